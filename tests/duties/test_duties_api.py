"""The duty checklist API: who sees and writes which checklist, pages, uploads, errors, OpenAPI."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.core.models import AuditEntry
from niangjia.duties.models import Assignment, ChecklistTemplate, Evidence, Reminder, Review
from tests.duties.conftest import executive, record

pytestmark = pytest.mark.django_db
BASE = "/api/v1/duties"


class Api:
    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def get(self, url, **params):
        return self.client.get(BASE + url, {k: v for k, v in params.items() if v is not None})

    def post(self, url, body=None):
        return self.client.post(BASE + url, json.dumps(body or {}), content_type="application/json")

    def patch(self, url, body):
        return self.client.patch(BASE + url, json.dumps(body), content_type="application/json")

    def form(self, url, data):
        return self.client.post(BASE + url, data)


def error(r) -> dict:
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def test_openapi_documents_the_duty_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/v1/duties/templates", "/api/v1/duties/templates/preset", "/api/v1/duties/hand-out",
              "/api/v1/duties/my/assignments", "/api/v1/duties/assignments", "/api/v1/duties/assignments/{id}/evidence",
              "/api/v1/duties/evidence/{id}/withdraw", "/api/v1/duties/reminders", "/api/v1/duties/reviews",
              "/api/v1/duties/behind", "/api/v1/duties/assignments/{id}/review"):
        assert p in paths, p
    assert "multipart/form-data" in paths["/api/v1/duties/assignments/{id}/evidence"]["post"]["requestBody"]["content"]


def test_preset_and_hand_out_through_the_api(tree, personas):
    api = Api(personas.east)
    for i in range(3):
        executive(personas.east, tree.east, f"执委{i}")
    r = api.post("/templates/preset", {"unit": tree.east.id})
    assert r.status_code == 201, r.content
    tpl = r.json()
    assert len(tpl["items"]) == 8 and tpl["items"][0]["target_text"] == "5–7"
    year = timezone.localdate().year
    r = api.post("/hand-out", {"template": tpl["id"], "year": year, "body": "executive"})
    assert r.status_code == 201 and r.json()["created"] == 3 and r.json()["skipped"] == 0
    # the same again hands out nothing new
    r = api.post("/hand-out", {"template": tpl["id"], "year": year, "body": "executive"})
    assert r.json()["created"] == 0 and r.json()["skipped"] == 3
    assert Assignment.objects.count() == 3


def test_template_of_the_west_is_404_for_the_east(tree, personas, duty):
    api = Api(personas.east)
    assert api.get(f"/templates/{duty.west_tpl.id}").status_code == 404
    r = api.post("/hand-out", {"template": duty.west_tpl.id, "year": duty.year})
    assert r.status_code == 404 and error(r)["code"] == "not_found"
    assert api.post("/templates/preset", {"unit": tree.west.id}).status_code == 404
    assert ChecklistTemplate.objects.count() == 2


def test_executive_cannot_hand_out_or_make_templates(tree, personas, duty):
    api = Api(duty.exec_a)
    r = api.post("/templates", {"unit": tree.east.id, "name": "我的"})
    assert r.status_code == 403 and error(r)["code"] == "forbidden"
    assert api.post("/hand-out", {"template": duty.east_tpl.id, "year": duty.year}).status_code in (403, 404)
    assert ChecklistTemplate.objects.count() == 2


def test_template_with_items_and_a_bad_target(tree, personas):
    api = Api(personas.east)
    r = api.post("/templates", {"unit": tree.east.id, "name": "自建", "items": [
        {"title": "联系代表", "target_kind": "between", "target_min": 3, "target_max": 4, "noun": "名代表"}]})
    assert r.status_code == 201 and r.json()["items"][0]["target_text"] == "3–4"
    r = api.post(f"/templates/{r.json()['id']}/items", {"title": "x", "target_kind": "between", "target_min": 5})
    assert r.status_code == 400 and "target_max" in error(r)["fields"]


def test_my_assignments_show_progress_per_item(tree, personas, duty):
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 3)
    r = Api(duty.exec_a).get("/my/assignments")
    assert r.status_code == 200
    [mine] = r.json()["items"]
    assert mine["id"] == duty.a.id and mine["items_total"] == 8
    delegates = next(i for i in mine["items"] if i["item"]["evidence_kind"] == "contact_delegate")
    assert delegates["label"] == "3/5–7" and delegates["state"] == "partly"


def test_member_records_evidence_with_a_photo(tree, personas, duty):
    api = Api(duty.exec_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.png", b"\x89PNG\r\n" + b"0" * 100, content_type="image/png")
    r = api.form(f"/assignments/{duty.a.id}/evidence", {"item": duty.items["proposal"].id, "what": "提交建议案",
                                                        "with_whom": "村妇联", "file": photo})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["has_file"] and body["day"] == timezone.localdate().isoformat() and not body["on_behalf"]
    assert Api(duty.exec_a).get(f"/assignments/{duty.a.id}").json()["items_done"] == 1


def test_evidence_form_errors_name_the_field(tree, personas, duty):
    r = Api(duty.exec_a).form(f"/assignments/{duty.a.id}/evidence", {"item": duty.items["proposal"].id, "what": "x",
                                                                      "day": "2001-01-01"})
    assert r.status_code == 400 and "day" in error(r)["fields"]
    r = Api(duty.exec_a).form(f"/assignments/{duty.a.id}/evidence", {"item": duty.w_items["proposal"].id, "what": "x"})
    assert r.status_code == 400 and "item" in error(r)["fields"]
    assert not Evidence.objects.exists()


def test_an_executive_cannot_record_on_another_members_checklist(tree, personas, duty):
    # 执委乙 cannot see 执委甲's checklist at all: 404, nothing written
    r = Api(duty.exec_b).form(f"/assignments/{duty.a.id}/evidence", {"item": duty.items["proposal"].id, "what": "x"})
    assert r.status_code in (403, 404)
    assert not Evidence.objects.exists()
    assert Api(duty.exec_b).get(f"/assignments/{duty.a.id}").status_code == 404


def test_east_cadre_cannot_see_the_wests_assignments_or_evidence(tree, personas, duty):
    ev = record(duty.exec_w, duty.w, duty.w_items["proposal"])[0]
    api = Api(personas.east)
    assert api.get(f"/assignments/{duty.w.id}").status_code == 404
    assert api.get(f"/assignments/{duty.w.id}/evidence").status_code == 404
    r = api.post(f"/evidence/{ev.id}/withdraw", {"version": ev.version})
    assert r.status_code == 404
    ids = {a["id"] for a in api.get("/assignments", year=duty.year).json()["items"]}
    assert ids == {duty.a.id, duty.b.id, duty.c.id}
    assert api.get("/assignments", unit=tree.west.id).status_code == 404
    ev.refresh_from_db()
    assert ev.status == "recorded"


def test_the_cadre_records_on_behalf_and_the_member_withdraws(tree, personas, duty):
    r = Api(personas.east).form(f"/assignments/{duty.c.id}/evidence", {"item": duty.items["proposal"].id,
                                                                       "what": "代为登记建议案"})
    assert r.status_code == 201 and r.json()["on_behalf"]
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    r = Api(duty.exec_a).post(f"/evidence/{ev.id}/withdraw", {"version": ev.version, "reason": "重复"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    listed = Api(duty.exec_a).get(f"/assignments/{duty.a.id}/evidence").json()["items"]
    assert listed == []
    everything = Api(duty.exec_a).get(f"/assignments/{duty.a.id}/evidence", all="true").json()["items"]
    assert [e["status"] for e in everything] == ["withdrawn"]


def test_correction_through_the_api(tree, personas, duty):
    ev = record(duty.exec_a, duty.a, duty.items["proposal"])[0]
    r = Api(duty.exec_a).post(f"/evidence/{ev.id}/correct", {"version": ev.version, "what": "更正后"})
    assert r.status_code == 201 and r.json()["supersedes_id"] == ev.id and r.json()["what"] == "更正后"


def test_assignment_list_filters_and_pages(tree, personas, duty):
    for i in range(3):
        executive(personas.east, tree.east, f"新执委{i}")
    from niangjia.duties import services

    services.assignment_hand_out(actor=personas.east, unit=tree.east, template=duty.east_tpl, year=duty.year)
    api = Api(personas.east)
    first = api.get("/assignments", year=duty.year, limit=4).json()
    second = api.get("/assignments", year=duty.year, limit=4, cursor=first["next_cursor"]).json()
    assert len(first["items"]) == 4 and len(second["items"]) == 2 and second["next_cursor"] is None
    assert first["items"][0]["schedule"] in ("on_track", "behind")
    names = [a["person"]["name"] for a in api.get("/assignments", q="执委甲").json()["items"]]
    assert names == ["执委甲"]
    assert api.get("/assignments", state="nonsense").status_code == 400


def test_reminders_and_reviews(tree, personas, duty):
    api = Api(personas.east)
    r = api.post("/reminders", {"year": duty.year, "unit": tree.east.id})
    assert r.status_code == 201
    sent = len(r.json())
    behind = api.get("/behind", year=duty.year).json()["items"]
    assert sent == len(behind)
    assert api.post("/reminders", {"year": duty.year}).json() == []  # same day: none twice
    assert Reminder.objects.count() == sent
    assert Api(duty.exec_a).post("/reminders", {"year": duty.year}).status_code == 403
    r = api.post(f"/assignments/{duty.a.id}/review", {"rating": "excellent", "comment": "好", "version": 0})
    assert r.status_code == 200 and r.json()["rating_name"] == "优秀"
    r = api.post(f"/assignments/{duty.a.id}/review", {"rating": "basic", "version": 99})
    assert r.status_code == 409
    assert Api(duty.exec_a).post(f"/assignments/{duty.a.id}/review", {"rating": "excellent", "version": 1}).status_code == 403
    assert Api(personas.west).post(f"/assignments/{duty.a.id}/review", {"rating": "basic", "version": 1}).status_code == 404
    assert Review.objects.get().rating == "excellent"
    reviews = api.get("/reviews", year=duty.year).json()["items"]
    assert [x["person"] for x in reviews] == ["执委甲"]
    assert Api(personas.west).get("/reviews").json()["items"] == []


def test_statistician_reads_but_does_not_write(tree, personas, duty):
    api = Api(personas.statistician)
    assert api.get("/assignments", year=duty.year).status_code == 200
    r = api.form(f"/assignments/{duty.a.id}/evidence", {"item": duty.items["proposal"].id, "what": "x"})
    assert r.status_code == 403 and not Evidence.objects.exists()


def test_audit_notes_the_api_channel(tree, personas, duty):
    Api(duty.exec_a).form(f"/assignments/{duty.a.id}/evidence", {"item": duty.items["proposal"].id, "what": "x",
                                                                 "day": timezone.localdate().isoformat()})
    assert AuditEntry.objects.filter(action="duties.evidence.record").exists()
