"""Duty checklist pages as members and federations meet them."""


import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from niangjia.duties.models import Assignment, ChecklistTemplate, Evidence, Reminder, Review
from tests.duties.conftest import executive, record

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_member_sees_her_checklist_as_cards(tree, personas, duty, as_user):
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 3)
    page = as_user(duty.exec_a).get("/duties/").content.decode()
    assert "我的履职清单" in page and "经常联系妇女代表" in page and "3/5–7 名代表" in page
    assert page.count(">记录</a>") == 8
    assert "已完成 0/8 项" in page


def test_member_without_a_person_is_told_why(tree, personas, as_user):
    page = as_user(personas.village).get("/duties/").content.decode()
    assert "还没有关联人员档案" in page


def test_recording_by_htmx_returns_the_updated_card(tree, personas, duty, as_user):
    c = as_user(duty.exec_a)
    item = duty.items["proposal"]
    url = f"/duties/a/{duty.a.id}/items/{item.id}/record/"
    form = c.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="what"' in form and f'value="{timezone.localdate().isoformat()}"' in form
    r = c.post(url, {"what": "提交建议案", "day": timezone.localdate().isoformat(), "with_whom": ""},
               HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "已记录" in html and "1/至少 1 份" in html and "已完成 1/8 项" in html
    assert 'hx-swap-oob="true"' in html
    assert Evidence.objects.get().recorded_by == duty.exec_a


def test_recording_errors_stay_in_the_form(tree, personas, duty, as_user):
    c = as_user(duty.exec_a)
    url = f"/duties/a/{duty.a.id}/items/{duty.items['proposal'].id}/record/"
    r = c.post(url, {"what": "", "day": timezone.localdate().isoformat()}, HTTP_HX_REQUEST="true")
    assert "请填写做了什么" in r.content.decode() and r["HX-Retarget"].startswith("#form-")
    r = c.post(url, {"what": "x", "day": "2001-05-01"})
    assert r.status_code == 400 and f"应在 {duty.year} 年内" in r.content.decode()
    assert not Evidence.objects.exists()


def test_recording_with_a_photo_and_reading_it_back(tree, personas, duty, as_user):
    c = as_user(duty.exec_a)
    url = f"/duties/a/{duty.a.id}/items/{duty.items['poor_family'].id}/record/"
    photo = SimpleUploadedFile("家访.jpg", b"\xff\xd8\xff\xe0" + b"1" * 64, content_type="image/jpeg")
    r = c.post(url, {"what": "入户走访", "day": timezone.localdate().isoformat(), "attachment": photo})
    assert r.status_code == 302
    ev = Evidence.objects.get()
    r = c.get(f"/duties/evidence/{ev.id}/file/")
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert b"".join(r.streaming_content).startswith(b"\xff\xd8")
    # another member of the county cannot read it
    assert as_user(duty.exec_b).get(f"/duties/evidence/{ev.id}/file/").status_code == 404


def test_another_member_cannot_open_or_record_on_her_checklist(tree, personas, duty, as_user):
    c = as_user(duty.exec_b)
    assert c.get(f"/duties/a/{duty.a.id}/").status_code == 404
    r = c.post(f"/duties/a/{duty.a.id}/items/{duty.items['proposal'].id}/record/",
               {"what": "x", "day": timezone.localdate().isoformat()})
    assert r.status_code == 404 and not Evidence.objects.exists()


def test_withdraw_needs_confirmation_and_keeps_the_row(tree, personas, duty, as_user):
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    c = as_user(duty.exec_a)
    page = c.get(f"/duties/a/{duty.a.id}/").content.decode()
    assert "data-confirm" in page and f"/duties/evidence/{ev.id}/withdraw/" in page
    r = c.post(f"/duties/evidence/{ev.id}/withdraw/", {"version": ev.version})
    assert r.status_code == 302
    ev.refresh_from_db()
    assert ev.status == "withdrawn"
    assert "已撤回" in c.get(f"/duties/a/{duty.a.id}/").content.decode()


def test_progress_table_chart_and_export(tree, personas, duty, as_user):
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 5)
    c = as_user(personas.east)
    page = c.get("/duties/progress/", {"year": duty.year}).content.decode()
    assert "执委甲" in page and "执委乙" in page and "西执委" not in page
    assert 'class="nj-chart"' in page and "echarts.min.js" in page
    assert 'data-testid="count-total">3<' in page
    r = c.get("/duties/progress/", {"year": duty.year, "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    sorted_page = c.get("/duties/progress/", {"year": duty.year, "sort": "-progress"}).content.decode()
    assert sorted_page.index("执委甲") < sorted_page.index("执委乙")


def test_behind_list_and_the_remind_button(tree, personas, duty, as_user):
    c = as_user(personas.east)
    page = c.get("/duties/behind/", {"year": duty.year - 1}).content.decode()
    assert "没有进度落后的执委" in page
    # last year's checklists, all empty, are behind after the year
    from niangjia.duties import services

    services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl, year=duty.year - 1)
    page = c.get("/duties/behind/", {"year": duty.year - 1}).content.decode()
    assert "执委甲" in page and "发送提醒" in page and "data-confirm" in page
    r = c.post("/duties/remind/", {"year": duty.year - 1, "unit": tree.east.id}, follow=True)
    assert "已向 3 名进度落后的执委发送提醒" in r.content.decode()
    r = c.post("/duties/remind/", {"year": duty.year - 1, "unit": tree.east.id}, follow=True)
    assert "今天已提醒过" in r.content.decode() and Reminder.objects.count() == 3
    # and the member sees the reminder on her checklist
    page = as_user(duty.exec_a).get("/duties/", {"year": duty.year - 1}).content.decode()
    assert "请抓紧履职" in page


def test_executive_cannot_remind_or_see_progress(tree, personas, duty, as_user):
    c = as_user(duty.exec_a)
    assert c.get("/duties/progress/").status_code == 403
    assert c.post("/duties/remind/", {"year": duty.year}).status_code == 403
    assert not Reminder.objects.exists()


def test_review_form(tree, personas, duty, as_user):
    c = as_user(personas.east)
    r = c.post(f"/duties/a/{duty.a.id}/review/", {"reviewed_on": timezone.localdate().isoformat()})
    assert r.status_code == 400 and "请选择评议等次" in r.content.decode()
    r = c.post(f"/duties/a/{duty.a.id}/review/", {"rating": "competent", "comment": "履职到位",
                                                  "reviewed_on": timezone.localdate().isoformat()})
    assert r.status_code == 302 and Review.objects.get().rating == "competent"
    assert "称职" in c.get(f"/duties/a/{duty.a.id}/").content.decode()
    assert as_user(personas.west).get(f"/duties/a/{duty.a.id}/review/").status_code == 404


def test_preset_button_and_hand_out_form(tree, personas, as_user):
    for i in range(4):
        executive(personas.east, tree.east, f"执委{i}")
    c = as_user(personas.east)
    assert "使用预设清单" in c.get("/duties/templates/").content.decode()
    r = c.post("/duties/templates/new/", {"unit": tree.east.id, "preset": "1"})
    tpl = ChecklistTemplate.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/duties/templates/{tpl.id}/"
    assert "5–7 名代表" in c.get(f"/duties/templates/{tpl.id}/").content.decode()
    form = c.get("/duties/hand-out/", {"template": tpl.id}).content.decode()
    assert "执委会（4 人）" in form
    year = timezone.localdate().year
    r = c.post("/duties/hand-out/", {"template": tpl.id, "year": year, "body": "executive"}, follow=True)
    assert "已下发 4 份" in r.content.decode() and Assignment.objects.count() == 4
    r = c.post("/duties/hand-out/", {"template": tpl.id, "year": year, "body": "executive"}, follow=True)
    assert "已下发 0 份" in r.content.decode() and "4 人已有此清单" in r.content.decode()


def test_add_and_edit_an_item(tree, personas, duty, as_user):
    c = as_user(personas.east)
    r = c.post(f"/duties/templates/{duty.east_tpl.id}/", {"title": "参加执委会议", "target_kind": "at_least",
                                                           "target_min": 2, "evidence_kind": "other"})
    assert r.status_code == 302
    duty.a.refresh_from_db()
    assert duty.a.items_total == 9
    item = duty.items["contact_delegate"]
    r = c.post(f"/duties/items/{item.id}/edit/", {"title": item.title, "target_kind": "between", "target_min": 6,
                                                   "target_max": 4, "evidence_kind": "contact_delegate",
                                                   "version": item.version, "is_active": "1"})
    assert r.status_code == 400 and "上限不能小于目标数" in r.content.decode()
    assert as_user(duty.exec_a).get(f"/duties/items/{item.id}/edit/").status_code == 403


def test_editing_an_item_keeps_it_on_when_the_box_stays_ticked(tree, personas, duty, as_user):
    # given an active item and its edit form, which carries a hidden is_active=0 besides the box
    c = as_user(personas.east)
    item = duty.items["proposal"]
    form = c.get(f"/duties/items/{item.id}/edit/").content.decode()
    assert form.index('type="hidden" name="is_active" value="0"') < form.index('id="i-active"')
    fields = {"title": "提出建议案", "target_kind": "at_least", "target_min": 1, "evidence_kind": "proposal",
              "version": item.version}
    # when the browser posts both values (hidden 0, then the ticked box's 1)
    r = c.post(f"/duties/items/{item.id}/edit/", {**fields, "is_active": ["0", "1"]})
    # then the item is renamed and still on
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.is_active) == ("提出建议案", True)
    # and when the box is cleared only the hidden 0 arrives: the item is switched off
    r = c.post(f"/duties/items/{item.id}/edit/", {**fields, "version": item.version, "is_active": "0"})
    item.refresh_from_db()
    assert r.status_code == 302 and item.is_active is False


def test_home_panel_shows_her_progress(tree, personas, duty, as_user):
    record(duty.exec_a, duty.a, duty.items["proposal"])
    page = as_user(duty.exec_a).get("/").content.decode()
    assert "我的履职清单" in page and 'data-testid="home-duty-done">1/8<' in page
    leader = as_user(personas.east).get("/").content.decode()
    assert "履职清单 · " in leader and "进度落后" in leader


def test_link_search_finds_people_and_organisations_in_reach(tree, personas, duty, records_org, as_user):
    html = as_user(personas.east).get("/duties/link-search/", {"link_q": "执委"}).content.decode()
    assert "执委甲" in html and "西执委" not in html
    html = as_user(personas.east).get("/duties/link-search/", {"link_q": "巾帼"}).content.decode()
    assert records_org.name in html


def test_evidence_linked_to_an_organisation_from_the_form(tree, personas, duty, records_org, as_user):
    c = as_user(personas.east)
    r = c.post(f"/duties/a/{duty.c.id}/items/{duty.items['social_org'].id}/record/",
               {"what": "指导协会活动", "day": timezone.localdate().isoformat(), "organisation": records_org.id})
    assert r.status_code == 302
    ev = Evidence.objects.get()
    assert ev.organisation == records_org and ev.on_behalf


@pytest.mark.parametrize("sort", ["name", "progress", "-progress", "recent"])
def test_progress_pages_through_every_sort(tree, personas, duty, as_user, sort):
    # given 33 executive members in the county (3 from the fixture), some with evidence
    from niangjia.duties import services

    for i in range(30):
        executive(personas.east, tree.east, f"成员{i:02d}")
    services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl, year=duty.year)
    record(duty.exec_a, duty.a, duty.items["proposal"])
    c = as_user(personas.east)
    # when she pages through the table in this order
    first = c.get("/duties/progress/", {"year": duty.year, "sort": sort})
    assert first.status_code == 200
    html = first.content.decode()
    next_url = re.search(r'href="\?([^"]*)">下一页', html).group(1).replace("&amp;", "&")
    second = c.get(f"/duties/progress/?{next_url}").content.decode()
    # then every member appears exactly once across the two pages
    rows = html.count("data-assignment=") + second.count("data-assignment=")
    assert rows == 33


def test_the_behind_list_exports_to_excel(tree, personas, duty, as_user):
    from io import BytesIO

    from openpyxl import load_workbook

    c = as_user(personas.east)
    page = c.get("/duties/behind/", {"year": duty.year}).content.decode()
    assert "export=xlsx" in page
    r = c.get("/duties/behind/", {"year": duty.year, "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    assert "西执委" not in names
    assert as_user(duty.exec_a).get("/duties/behind/", {"export": "xlsx"}).status_code == 403


@pytest.mark.parametrize("path", ["/duties/progress/", "/duties/behind/"])
def test_the_excel_link_keeps_the_filters(tree, personas, duty, as_user, path):
    # given a cadre on a list of one year in one order
    c = as_user(personas.east)
    html = c.get(path, {"year": duty.year, "sort": "recent"}).content.decode()
    # then its 导出 Excel link names the same year and sort and asks for xlsx
    link = re.search(r'href="\?([^"]*)">导出 Excel', html).group(1).replace("&amp;", "&")
    assert link == f"year={duty.year}&sort=recent&export=xlsx"
