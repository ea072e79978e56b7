"""Staff pages and the public pages of the open selection: forms with Chinese messages, one-time links shown
once, blind scoring pages, retry-safe public applications, the printable sheet, and who may see what."""

from datetime import timedelta

import pytest
from django.test import Client

from niangjia.core import sensitive
from niangjia.core.models import AuditEntry
from niangjia.selection import services
from niangjia.selection.models import Candidate, Score, Selection
from tests.selection.conftest import add_scorers, close_call, score_all, submit, today

pytestmark = pytest.mark.django_db

TABLE = {"project": [[80, 70, 90, 60]], "expert": [[90, 70, 80, 60], [70, 75, 85, 60], [80, 80, 80, 60]],
         "jury": [[85, 80, 70, 60], [85, 80, 70, 60]]}


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _form(unit, **extra):
    data = {"unit": unit.pk, "title": "东县 2026 公开选配", "call_opens": str(today()),
            "call_closes": str(today() + timedelta(days=20)), "eligibility": "", "conditions": "",
            "post1_body": "leadership", "post1_title": "兼职副主席", "post1_seats": 3,
            "post2_body": "standing", "post2_title": "兼职常委", "post2_seats": 2,
            "weight_project": 40, "weight_expert": 30, "weight_jury": 30, "method_project": "mean",
            "method_expert": "trimmed", "method_jury": "trimmed", "tie_break": "jury,expert,project,applied",
            "trim_min": 3}
    return data | extra


def test_staff_opens_a_call_from_the_form(tree, personas):
    c = login(personas.east)
    assert c.get("/selection/new/").status_code == 200
    r = c.post("/selection/new/", _form(tree.east))
    sel = Selection.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/selection/{sel.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert "兼职副主席 3 名" in page and "/p/selection/" in page


def test_weights_not_summing_to_100_are_shown_on_the_form(tree, personas):
    r = login(personas.east).post("/selection/new/", _form(tree.east, weight_jury=20))
    assert r.status_code == 400
    assert "三部分权重之和必须等于 100%（现为 90%）" in r.content.decode()
    assert not Selection.objects.exists()


def test_list_filters_and_exports(sel, personas):
    c = login(personas.east)
    assert "东县公开选配" in c.get("/selection/?status=open").content.decode()
    assert "东县公开选配" not in c.get("/selection/?status=done").content.decode()
    r = c.get("/selection/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_pages_answer_404_to_another_county_and_403_without_the_permission(sel, personas):
    s, part, cand = sel.selection, sel.parts["jury"], sel.candidates[0]
    urls = [f"/selection/{s.pk}/", f"/selection/{s.pk}/ranking/", f"/selection/{s.pk}/sheet/",
            f"/selection/{s.pk}/config/", f"/selection/parts/{part.pk}/", f"/selection/candidates/{cand.pk}/"]
    west, stats = login(personas.west), login(personas.statistician)
    for url in urls:
        assert west.get(url).status_code == 404, url
        assert stats.get(url).status_code == 403, url
    assert west.post(f"/selection/parts/{part.pk}/", {"name": "外县"}).status_code == 404
    assert stats.post(f"/selection/{s.pk}/step/close-call/", {"version": s.version}).status_code == 403
    assert not part.scorers.exists() and Selection.objects.get().status == "open"


def test_scorer_link_is_shown_once_and_scores_stay_hidden_until_close(sel, personas):
    c = login(personas.east)
    close_call(personas.east, sel.selection)
    part = sel.parts["expert"]
    r = c.post(f"/selection/parts/{part.pk}/", {"name": "王教授", "note": "高校教师"})
    body = r.content.decode()
    assert r.status_code == 200 and "/p/selection/score/" in body
    token = body.split("/p/selection/score/")[1].split("/")[0]
    assert token not in c.get(f"/selection/parts/{part.pk}/").content.decode()
    submit(token, sel.candidates, [91.5, 70, 80, 60])
    page = c.get(f"/selection/parts/{part.pk}/").content.decode()
    assert "已提交" in page and "91.5" not in page
    # the close asks for confirmation and then shows every score
    assert 'data-confirm="结束后未提交的链接作废' in page
    r = c.post(f"/selection/parts/{part.pk}/close/", {"version": part.version})
    assert r.status_code == 302
    assert "91.5" in c.get(f"/selection/parts/{part.pk}/").content.decode()


def test_correction_form_keeps_the_old_score_and_the_sheet_shows_both(sel, personas):
    c = login(personas.east)
    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    old = Score.objects.get(part=sel.parts["project"], candidate=sel.candidates[0])
    r = c.post(f"/selection/scores/{old.pk}/correct/", {"value": "", "reason": ""})
    assert r.status_code == 400 and "请填写更正后的分数" in r.content.decode()
    r = c.post(f"/selection/scores/{old.pk}/correct/", {"value": "84", "reason": "评分人书面更正笔误"})
    assert r.status_code == 302
    sheet = c.get(f"/selection/{sel.selection.pk}/sheet/").content.decode()
    assert "更正，原 80；理由：评分人书面更正笔误" in sheet
    assert "text-decoration-line-through" in sheet
    assert Score.objects.get(pk=old.pk).value == 80


def test_sheet_shows_every_score_the_arithmetic_and_the_rules(sel, personas):
    c = login(personas.east)
    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    sheet = c.get(f"/selection/{sel.selection.pk}/sheet/").content.decode()
    # 甲: 32 + 24 + 25.5 = 81.5; 丙: project 90 → 36; expert drop 85 and 80 → 80 → 24; jury 70 (2 scores:
    # plain mean) → 21 → 81
    assert "第 1 名 · 甲 · 总分 <span data-testid=\"sheet-total\">81.50</span>" in sheet
    assert "第 2 名 · 丙 · 总分 <span data-testid=\"sheet-total\">81.00</span>" in sheet
    assert "去掉最高分 85.00、最低分 80.00" in sheet
    assert "仅 2 个评分，未去掉最高最低分，取算术平均" in sheet
    assert "总分 = 36.00 + 24.00 + 21.00" in sheet
    assert "群众评审团 → 专家评议 → 项目评审 → 报名先后" in sheet
    assert "@media print" in open("niangjia/selection/static/selection/sheet.css").read()


def test_vetting_and_election_through_the_pages(sel, personas):
    c = login(personas.east)
    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    cand = Candidate.objects.get(pk=sel.candidates[2].pk)
    r = c.post(f"/selection/candidates/{cand.pk}/vet/", {"version": cand.version, "result": "passed", "note": ""})
    assert r.status_code == 400 and "考察意见" in r.content.decode()
    r = c.post(f"/selection/candidates/{cand.pk}/vet/", {"version": cand.version, "result": "passed", "note": "好"})
    assert r.status_code == 302
    s = Selection.objects.get()
    c.post(f"/selection/{s.pk}/step/start-election/", {"version": s.version})
    cand.refresh_from_db()
    vice = s.posts.get(title="兼职副主席")
    r = c.post(f"/selection/candidates/{cand.pk}/elect/", {"version": cand.version, "result": "elected",
                                                           "post": vice.pk})
    assert r.status_code == 302
    cand.refresh_from_db()
    assert cand.election == "elected" and cand.post.title == "兼职副主席" and cand.post.tenure == "part_time"
    other = Candidate.objects.get(pk=sel.candidates[0].pk)  # not vetted
    r = c.post(f"/selection/candidates/{other.pk}/elect/", {"version": other.version, "result": "elected",
                                                            "post": vice.pk})
    assert r.status_code == 400 and "考察合格的人选才能参加选举" in r.content.decode()


# ---------------------------------------------------------------- public pages


def _apply_data(key, **extra):
    return {"name": "陈静", "phone": "13712345678", "gender": "F", "workplace": "合作社", "id_number": "",
            "wish": "", "project_title": "妈妈托管班", "project_need": "采茶季孩子无人照看",
            "project_plan": "借用文化礼堂办托管班", "key": key} | extra


def test_public_application_is_retry_safe_and_seals_the_phone(sel):
    anon = Client()
    page = anon.get(f"/p/selection/{sel.selection.pk}/").content.decode()
    assert "我要报名" in page and 'name="key"' in page
    first = anon.post(f"/p/selection/{sel.selection.pk}/", _apply_data("k-1"))
    again = anon.post(f"/p/selection/{sel.selection.pk}/", _apply_data("k-1"))
    assert first.status_code == again.status_code == 200
    cand = Candidate.objects.get(name="陈静")
    assert cand.tracking_code in first.content.decode() and cand.tracking_code in again.content.decode()
    assert cand.channel == "public" and cand.phone_mask == "137****5678"
    assert "13712345678" not in cand.phone_enc and sensitive.decrypt(cand.phone_enc) == "+8613712345678"
    assert AuditEntry.objects.filter(action="candidate.apply", actor__isnull=True).count() == 1


def test_public_application_names_missing_fields_and_refuses_a_second_one(sel):
    anon = Client()
    r = anon.post(f"/p/selection/{sel.selection.pk}/", _apply_data("k-2", project_need="", name=""))
    body = r.content.decode()
    assert r.status_code == 400 and "请填写姓名" in body and "请写明项目回应的妇女需求" in body
    r = anon.post(f"/p/selection/{sel.selection.pk}/", _apply_data("k-3", phone="13900000001"))
    assert r.status_code == 400 and "该手机号已报名本次选配" in r.content.decode()
    assert Candidate.objects.count() == 4


def test_public_application_outside_the_call_is_refused(sel, personas):
    close_call(personas.east, sel.selection)
    anon = Client()
    assert "报名已截止" in anon.get(f"/p/selection/{sel.selection.pk}/").content.decode()
    r = anon.post(f"/p/selection/{sel.selection.pk}/", _apply_data("k-4"))
    assert r.status_code == 409 and Candidate.objects.count() == 4
    assert "东县公开选配" not in anon.get("/p/selection/").content.decode()


def test_public_scoring_page_scores_once_and_never_shows_other_scores(sel, personas):
    close_call(personas.east, sel.selection)
    (_, first), (_, second) = add_scorers(personas.east, sel.parts["jury"], 2)
    submit(first, sel.candidates, [97.25, 97.25, 97.25, 97.25])
    anon = Client()
    url = f"/p/selection/score/{second}/"
    page = anon.get(url).content.decode()
    assert "97.25" not in page and "甲的项目" in page and "留守妇女就业难" in page
    ids = [c.pk for c in sel.candidates]
    r = anon.post(url, {f"score_{ids[0]}": "80", f"score_{ids[1]}": "abc", f"score_{ids[2]}": "101"})
    body = r.content.decode()
    assert r.status_code == 400 and "乙的分数：分数应在 0 到 100 之间" in body and "丁的分数：请打分" in body
    r = anon.post(url, {f"score_{i}": v for i, v in zip(ids, ["80", "75.5", "90", "60"], strict=True)})
    assert r.status_code == 200 and "评分已提交" in r.content.decode() and "97.25" not in r.content.decode()
    reused = anon.post(url, {f"score_{i}": "10" for i in ids})
    assert reused.status_code == 409 and "此链接已经使用过" in reused.content.decode()
    assert Score.objects.filter(scorer__name="评委2").count() == 4
    assert anon.get("/p/selection/score/not-a-token/").status_code == 404


def test_reissued_link_replaces_the_old_one(sel, personas):
    close_call(personas.east, sel.selection)
    (scorer, old), = add_scorers(personas.east, sel.parts["jury"], 1)
    new = services.scorer_reissue(actor=personas.east, scorer=scorer)
    anon = Client()
    assert anon.get(f"/p/selection/score/{old}/").status_code == 404
    assert anon.get(f"/p/selection/score/{new}/").status_code == 200


def test_home_panel_and_nav_entry(sel, personas):
    page = login(personas.east).get("/").content.decode()
    assert 'href="/selection/"' in page and "东县公开选配" in page
    assert 'href="/selection/"' not in login(personas.statistician).get("/").content.decode()


def test_sheet_exports_one_line_per_score_from_the_page_and_the_cli(sel, personas, tmp_path):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from openpyxl import load_workbook

    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, TABLE)
    r = login(personas.east).get(f"/selection/{sel.selection.pk}/sheet/?export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    lines = list(ws.iter_rows(values_only=True))
    assert lines[0][:5] == ("名次", "姓名", "评分环节", "评分人", "分数")
    assert len(lines) == 1 + 4 * 6  # four candidates × six scores
    assert sum(1 for row in lines if row[5] == "去掉") == 4 * 2  # experts: three scores each, two dropped
    out = tmp_path / "sheet.xlsx"
    call_command("selection_sheet", str(sel.selection.pk), "--actor", "east", "-o", str(out), stdout=io.StringIO())
    assert len(list(load_workbook(out).active.iter_rows(values_only=True))) == len(lines)
    assert AuditEntry.objects.filter(action="selection.export_sheet").count() == 1
    with pytest.raises(CommandError):
        call_command("selection_sheet", str(sel.selection.pk), "--actor", "west", "-o", str(out))
