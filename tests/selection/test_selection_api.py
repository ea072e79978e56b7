"""The selection API: create, candidates, scorers with one-time links, blind scoring, close, ranking,
corrections, vetting and election — and who may reach what (404 outside the county, 403 without
selection.manage)."""

from datetime import timedelta

import pytest

from niangjia.core.models import AuditEntry, OneTimeToken
from niangjia.people.models import Post
from niangjia.selection.models import Candidate, Score, Selection
from tests.selection.conftest import POSTS, Api, close_call, error, today

pytestmark = pytest.mark.django_db


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def _selection_body(unit, **extra):
    return {"unit": unit.pk, "title": "东县公开选配", "call_opens": str(today() - timedelta(days=1)),
            "call_closes": str(today() + timedelta(days=9)), "posts": POSTS} | extra


def test_create_with_preset_and_read_back(tree, personas):
    api = Api(personas.east)
    r = api.post("/selections", _selection_body(tree.east))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "open" and body["tie_break"] == ["jury", "expert", "project", "applied"]
    assert [(p["kind"], p["weight"], p["method"]) for p in body["parts"]] == [
        ("project", "40.00", "mean"), ("expert", "30.00", "trimmed"), ("jury", "30.00", "trimmed")]
    assert [(p["title"], p["seats"]) for p in body["posts"]] == [("兼职副主席", 3), ("兼职常委", 2)]
    listed = api.get("/selections").json()["items"]
    assert [s["id"] for s in listed] == [body["id"]]


def test_weights_must_sum_to_100(tree, personas):
    r = Api(personas.east).post("/selections", _selection_body(
        tree.east, weights={"project": 50, "expert": 30, "jury": 30}))
    assert r.status_code == 400
    assert "100%" in error(r)["fields"]["weights"]
    assert not Selection.objects.exists()


def test_close_call_needs_a_candidate_and_a_fresh_version(sel, personas, tree):
    api = Api(personas.east)
    empty = api.post("/selections", _selection_body(tree.east, title="空的")).json()
    r = api.post(f"/selections/{empty['id']}/close-call", {"version": empty["version"]})
    assert r.status_code == 409 and error(r)["code"] == "invalid_transition"
    stale = api.post(f"/selections/{sel.selection.pk}/close-call", {"version": 99})
    assert stale.status_code == 409 and error(stale)["code"] == "stale_version"
    ok = api.post(f"/selections/{sel.selection.pk}/close-call", {"version": sel.selection.version})
    assert ok.status_code == 200 and ok.json()["status"] == "scoring"


def test_staff_entry_dedupes_by_phone_and_masks_it(sel, personas):
    api = Api(personas.east)
    body = {"name": "甲", "phone": "+86 139-0000-0001", "project_title": "又一个", "project_need": "需",
            "project_plan": "计划"}
    r = api.post(f"/selections/{sel.selection.pk}/candidates", body)
    assert r.status_code == 400 and "phone" in error(r)["fields"]
    items = api.get(f"/selections/{sel.selection.pk}/candidates").json()["items"]
    assert [c["phone_mask"] for c in items][0] == "139****0001"
    assert "13900000001" not in str(items)


def test_scoring_by_link_is_blind_until_the_part_closes(sel, personas):
    api, anon = Api(personas.east), Api()
    close_call(personas.east, sel.selection)
    jury = sel.parts["jury"]
    links = [api.post(f"/parts/{jury.pk}/scorers", {"name": f"评审{i}"}).json()["link"] for i in range(3)]
    tokens = [_token(link) for link in links]
    # her page shows the candidates' projects, and nothing of any score
    sheet = anon.get(f"/score/{tokens[0]}")
    assert sheet.status_code == 200
    assert [c["name"] for c in sheet.json()["candidates"]] == ["甲", "乙", "丙", "丁"]
    assert "value" not in str(sheet.json())
    # the first juror submits; the second still sees nothing of it, nor does staff
    ids = [c.pk for c in sel.candidates]
    r = anon.post(f"/score/{tokens[0]}", {"scores": [{"candidate": i, "value": 88} for i in ids]})
    assert r.status_code == 201 and [s["value"] for s in r.json()["scores"]] == ["88.00"] * 4
    assert "88.00" not in anon.get(f"/score/{tokens[1]}").content.decode()
    hidden = api.get(f"/parts/{jury.pk}/scores")
    assert hidden.status_code == 409 and error(hidden)["message"] == "评分环节结束前不公开分数"
    assert [s["submitted_at"] is not None for s in api.get(f"/parts/{jury.pk}/scorers").json()["items"]] == [True, False, False]
    # the same link cannot be used twice
    again = anon.post(f"/score/{tokens[0]}", {"scores": [{"candidate": i, "value": 10} for i in ids]})
    assert again.status_code == 409 and error(again)["message"] == "此链接已经使用过"
    assert anon.get(f"/score/{tokens[0]}").status_code == 409
    # closing the part kills the unused links and shows the scores
    part = api.post(f"/parts/{jury.pk}/close", {"version": jury.version})
    assert part.status_code == 200 and part.json()["closed_at"]
    assert anon.get(f"/score/{tokens[1]}").status_code == 404
    assert [s["value"] for s in api.get(f"/parts/{jury.pk}/scores").json()["items"]] == ["88.00"] * 4
    assert not Score.objects.filter(scorer__name="评审1").exists()


def test_a_submission_must_score_everyone_in_range(sel, personas):
    api, anon = Api(personas.east), Api()
    close_call(personas.east, sel.selection)
    token = _token(api.post(f"/parts/{sel.parts['expert'].pk}/scorers", {"name": "专家"}).json()["link"])
    ids = [c.pk for c in sel.candidates]
    short = anon.post(f"/score/{token}", {"scores": [{"candidate": ids[0], "value": 80}]})
    assert short.status_code == 400 and set(error(short)["fields"]) == {f"score_{i}" for i in ids[1:]}
    high = anon.post(f"/score/{token}", {"scores": [{"candidate": i, "value": 101} for i in ids]})
    assert high.status_code == 400
    assert not Score.objects.exists()
    assert anon.post(f"/score/{token}", {"scores": [{"candidate": i, "value": 80} for i in ids]}).status_code == 201


def test_no_scoring_during_the_call(sel, personas):
    token = _token(Api(personas.east).post(f"/parts/{sel.parts['jury'].pk}/scorers", {"name": "早"}).json()["link"])
    r = Api().post(f"/score/{token}", {"scores": [{"candidate": c.pk, "value": 80} for c in sel.candidates]})
    assert r.status_code == 409 and not Score.objects.exists()
    assert OneTimeToken.objects.get().used_at is None


def _score_everything(api, sel, values_per_part):
    anon = Api()
    for kind, rows in values_per_part.items():
        part = sel.parts[kind]
        for i, values in enumerate(rows):
            token = _token(api.post(f"/parts/{part.pk}/scorers", {"name": f"{kind}{i}"}).json()["link"])
            anon.post(f"/score/{token}", {"scores": [{"candidate": c.pk, "value": v}
                                                     for c, v in zip(sel.candidates, values, strict=True)]})
        part.refresh_from_db()
        assert api.post(f"/parts/{part.pk}/close", {"version": part.version}).status_code == 200


def test_ranking_correction_vetting_and_election(sel, personas):
    api = Api(personas.east)
    close_call(personas.east, sel.selection)
    assert api.get(f"/selections/{sel.selection.pk}/ranking").status_code == 409
    _score_everything(api, sel, {"project": [[90, 80, 70, 60]], "expert": [[90, 80, 70, 60]],
                                 "jury": [[90, 80, 70, 60], [80, 90, 70, 60]]})
    ranking = api.get(f"/selections/{sel.selection.pk}/ranking").json()["items"]
    # 甲: 36 + 27 + 25.5 = 88.5; 乙: 32 + 24 + 25.5 = 81.5 (jury: two scores, nothing dropped)
    assert [(r["name"], r["total"]) for r in ranking] == [("甲", "88.50"), ("乙", "81.50"), ("丙", "70.00"),
                                                           ("丁", "60.00")]
    jury = ranking[0]["parts"][2]
    assert jury["note"] == "仅 2 个评分，未去掉最高最低分，取算术平均" and jury["contribution"] == "25.50"

    # a correction supersedes, both rows stay, the total moves
    score = Score.objects.get(part=sel.parts["project"], candidate=sel.candidates[1])
    r = api.post(f"/scores/{score.pk}/correct", {"value": 100, "reason": "笔误"})
    assert r.status_code == 201 and r.json()["supersedes_id"] == score.pk
    assert Score.objects.get(pk=score.pk).value == 80  # the old row is untouched
    again = api.post(f"/scores/{score.pk}/correct", {"value": 90, "reason": "再改"})
    assert again.status_code == 409
    assert api.post(f"/scores/{r.json()['id']}/correct", {"value": 90, "reason": ""}).status_code == 400
    ranking = api.get(f"/selections/{sel.selection.pk}/ranking").json()["items"]
    assert (ranking[0]["name"], ranking[0]["total"]) == ("乙", "89.50")  # 40 + 24 + 25.5
    assert AuditEntry.objects.filter(action="score.correct").count() == 1

    # election before vetting is refused; vetting then election creates posts
    by = {c.name: c for c in Candidate.objects.filter(selection=sel.selection)}
    vice = sel.selection.posts.get(title="兼职副主席")
    assert api.post(f"/candidates/{by['乙'].pk}/election",
                    {"version": by["乙"].version, "result": "elected", "post": vice.pk}).status_code == 409
    for name in ("甲", "乙", "丙", "丁"):
        c = Candidate.objects.get(pk=by[name].pk)
        r = api.post(f"/candidates/{c.pk}/vetting", {"version": c.version, "result": "passed", "note": "合格"})
        assert r.status_code == 200, r.content
    sel.selection.refresh_from_db()
    assert api.post(f"/selections/{sel.selection.pk}/start-election",
                    {"version": sel.selection.version}).status_code == 200
    results = {}
    for name in ("乙", "甲", "丙", "丁"):
        c = Candidate.objects.get(pk=by[name].pk)
        results[name] = api.post(f"/candidates/{c.pk}/election",
                                 {"version": c.version, "result": "elected", "post": vice.pk})
    assert [results[n].status_code for n in ("乙", "甲", "丙", "丁")] == [200, 200, 200, 409]
    assert "名额为 3 名" in error(results["丁"])["message"]
    posts = Post.objects.filter(unit=sel.selection.unit, title="兼职副主席")
    assert sorted(p.person.name for p in posts) == ["丙", "乙", "甲"]
    assert {p.tenure for p in posts} == {"part_time"}
    sel.selection.refresh_from_db()
    unfinished = api.post(f"/selections/{sel.selection.pk}/finish", {"version": sel.selection.version})
    assert unfinished.status_code == 409  # 丁 has no result yet
    c = Candidate.objects.get(pk=by["丁"].pk)
    assert api.post(f"/candidates/{c.pk}/election", {"version": c.version, "result": "not_elected"}).status_code == 200
    sel.selection.refresh_from_db()
    assert api.post(f"/selections/{sel.selection.pk}/finish", {"version": sel.selection.version}).json()["status"] == "done"


def test_another_county_gets_404_everywhere(sel, personas):
    api, s = Api(personas.west), sel.selection
    part, cand = sel.parts["jury"], sel.candidates[0]
    for url in (f"/selections/{s.pk}", f"/selections/{s.pk}/candidates", f"/selections/{s.pk}/ranking",
                f"/parts/{part.pk}/scorers", f"/parts/{part.pk}/scores", f"/candidates/{cand.pk}"):
        assert api.get(url).status_code == 404, url
    for url, body in ((f"/selections/{s.pk}/close-call", {"version": s.version}),
                      (f"/parts/{part.pk}/scorers", {"name": "外县"}),
                      (f"/parts/{part.pk}/close", {"version": part.version}),
                      (f"/candidates/{cand.pk}/vetting", {"version": cand.version, "result": "passed", "note": "x"}),
                      (f"/selections/{s.pk}/candidates", {"name": "x", "phone": "13911112222", "project_title": "x",
                                                          "project_need": "x", "project_plan": "x"})):
        assert api.post(url, body).status_code == 404, url
    assert api.post("/selections", _selection_body(tree_unit := s.unit)).status_code == 404, tree_unit
    assert api.get("/selections").json()["items"] == []
    s.refresh_from_db()
    assert s.status == "open" and s.candidates.count() == 4 and not part.scorers.exists()


def test_without_selection_manage_403(sel, personas):
    api = Api(personas.statistician)  # 东县, but a statistician
    assert api.get(f"/selections/{sel.selection.pk}").status_code == 403
    assert api.get("/selections").status_code == 403
    r = api.post(f"/parts/{sel.parts['jury'].pk}/scorers", {"name": "x"})
    assert r.status_code == 403 and not sel.parts["jury"].scorers.exists()


def test_openapi_documents_the_selection_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ("/api/v1/selection/selections", "/api/v1/selection/parts/{id}/close",
              "/api/v1/selection/score/{token}", "/api/v1/selection/candidates/{id}/election",
              "/api/v1/selection/selections/{id}/ranking", "/api/v1/selection/scores/{id}/correct"):
        assert p in paths, p
