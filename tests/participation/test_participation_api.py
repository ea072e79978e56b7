"""The API: consultations CRUD, questions, results, answers (public and paper), suggestions and
replies, activities, registrations, attendance, ratings; 404 outside the reach, 403 without
participation.manage, errors in the one JSON shape."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client

from niangjia.participation.models import Registration, Response, Suggestion
from tests.participation.conftest import phone

BASE = "/api/v1/participation"


class Api:
    def __init__(self, user=None):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def call(self, method, url, body=None):
        fn = getattr(self.client, method.lower())
        if method == "GET":
            return fn(BASE + url)
        return fn(BASE + url, json.dumps(body or {}), content_type="application/json")


def err(r):
    body = r.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.fixture
def east(personas):
    return Api(personas.east)


def make(east, tree):
    today = date.today()
    r = east.call("POST", "/consultations", {"unit": tree.east.pk, "title": "托管意见征集",
                                             "opens_on": str(today), "closes_on": str(today + timedelta(days=3))})
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    for q in ({"kind": "single", "text": "时间", "options": ["上午", "下午"]},
              {"kind": "rating", "text": "满意度"}, {"kind": "text", "text": "建议", "required": False}):
        assert east.call("POST", f"/consultations/{cid}/questions", q).status_code == 201
    r = east.call("POST", f"/consultations/{cid}/publish", {"version": 1, "published": True})
    assert r.status_code == 200 and r.json()["state"] == "open", r.content
    return r.json()


def test_consultation_flow(tree, personas, east):
    c = make(east, tree)
    qids = [q["id"] for q in c["questions"]]
    anon = Api()
    pub = anon.call("GET", f"/public/consultations/{c['id']}")
    assert pub.status_code == 200 and [q["kind"] for q in pub.json()["questions"]] == ["single", "rating", "text"]
    sheet = {"key": "k1", "answers": {str(qids[0]): [1], str(qids[1]): 5, str(qids[2]): "要午饭"}}
    first = anon.call("POST", f"/public/consultations/{c['id']}/responses", sheet)
    again = anon.call("POST", f"/public/consultations/{c['id']}/responses", sheet)
    assert (first.status_code, again.status_code) == (201, 200) and again.json()["created"] is False
    bad = anon.call("POST", f"/public/consultations/{c['id']}/responses",
                    {"key": "k2", "answers": {str(qids[0]): [5], str(qids[1]): 0}})
    assert bad.status_code == 400 and set(err(bad)["fields"]) == {f"q{qids[0]}", f"q{qids[1]}"}
    res = east.call("GET", f"/consultations/{c['id']}/results").json()
    assert res["questions"][0]["options"] == [{"label": "上午", "count": 0}, {"label": "下午", "count": 1}]
    assert (res["questions"][1]["rating_sum"], res["questions"][1]["rating_mean"]) == (5, 5.0)
    text_id = res["questions"][2]["texts"][0]["id"]
    need = east.call("POST", f"/answers/{text_id}/need", {"category": "family_education"})
    assert need.status_code == 201 and need.json()["tracking_code"]
    assert east.call("POST", f"/answers/{text_id}/need", {"category": "other"}).status_code == 409
    frozen = east.call("POST", f"/consultations/{c['id']}/questions", {"kind": "text", "text": "迟到的题"})
    assert frozen.status_code == 409
    lst = east.call("GET", "/consultations?state=open").json()
    assert [x["id"] for x in lst["items"]] == [c["id"]]
    stale = east.call("PATCH", f"/consultations/{c['id']}", {"version": 1, "title": "新标题"})
    assert stale.status_code == 409


def test_consultation_scope_and_permissions(tree, personas, east):
    c = make(east, tree)
    west = Api(personas.west)
    assert err(west.call("GET", f"/consultations/{c['id']}"))["code"] == "not_found"
    assert west.call("GET", "/consultations").json()["items"] == []
    assert west.call("POST", f"/consultations/{c['id']}/questions", {"kind": "text", "text": "x"}).status_code == 404
    stats = Api(personas.statistician)
    assert stats.call("GET", f"/consultations/{c['id']}").status_code == 200
    r = stats.call("PATCH", f"/consultations/{c['id']}", {"version": 2, "title": "改"})
    assert r.status_code == 403 and err(r)["code"] == "forbidden"
    assert Api().call("GET", "/consultations").status_code == 401


def test_suggestions(tree, personas, east):
    anon = Api()
    r = anon.call("POST", "/public/suggestions", {"federation": tree.east.pk, "text": "希望周末开门", "key": "w1",
                                                  "channel": "wechat", "anonymous": False, "contact_phone": "13800138000"})
    assert r.status_code == 201
    code, sid = r.json()["tracking_code"], r.json()["id"]
    assert anon.call("POST", "/public/suggestions", {"federation": tree.east.pk, "text": "x", "key": "w1",
                                                     "channel": "wechat"}).json()["created"] is False
    item = east.call("GET", f"/suggestions/{sid}").json()
    assert item["contact_phone"] == "138****8000" and item["status"] == "new"
    assert Api(personas.west).call("POST", f"/suggestions/{sid}/reply", {"reply": "越权", "version": 1}).status_code == 404
    assert Api(personas.statistician).call("POST", f"/suggestions/{sid}/reply", {"reply": "无权", "version": 1}).status_code == 403
    replied = east.call("POST", f"/suggestions/{sid}/reply", {"reply": "从下周起开放", "is_public": True,
                                                                  "version": item["version"]})
    assert replied.status_code == 200 and replied.json()["is_public"]
    mine = anon.call("GET", f"/public/suggestions/{code}").json()
    assert mine["reply"] == "从下周起开放" and "contact_phone" not in mine
    assert Suggestion.objects.get().status == "replied"


def test_activities_registrations_attendance_ratings(tree, personas, east):
    r = east.call("POST", "/activities", {"unit": tree.east.pk, "title": "妈妈课堂", "day": str(date.today()),
                                          "capacity": 1, "status": "open"})
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    anon = Api()
    a1 = anon.call("POST", f"/public/activities/{aid}/registrations", {"name": "甲", "phone": phone(1), "key": "a"})
    a2 = anon.call("POST", f"/public/activities/{aid}/registrations", {"name": "乙", "phone": phone(2), "key": "b"})
    assert (a1.json()["status"], a2.json()["status"]) == ("confirmed", "waiting")
    cancelled = anon.call("POST", f"/public/registrations/{a1.json()['tracking_code']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    second = Registration.objects.get(name="乙")
    assert second.status == "confirmed"
    early = anon.call("POST", f"/public/registrations/{a2.json()['tracking_code']}/rating", {"score": 5})
    assert early.status_code == 400 and err(early)["message"] == "只有到场参加活动的妇女才能评价"
    assert Api(personas.west).call("POST", f"/registrations/{second.pk}/attendance", {"attended": True}).status_code == 404
    assert east.call("POST", f"/registrations/{second.pk}/attendance", {"attended": True}).json()["status"] == "attended"
    rated = anon.call("POST", f"/public/registrations/{a2.json()['tracking_code']}/rating", {"score": 4})
    assert rated.status_code == 201
    detail = east.call("GET", f"/activities/{aid}").json()
    assert detail["figures"]["rating_mean"] == 4.0 and detail["figures"]["attended"] == 1
    assert east.call("POST", f"/activities/{aid}/co-designers", {"name": "王秀英"}).status_code == 201
    assert len(east.call("GET", f"/activities/{aid}/registrations").json()["items"]) == 2
    assert Api(personas.west).call("GET", f"/activities/{aid}").status_code == 404
    assert Response.objects.count() == 0


def test_openapi_documents_the_endpoints(db):
    from niangjia.api import api

    paths = set(api.get_openapi_schema()["paths"])
    for p in ["/api/v1/participation/consultations", "/api/v1/participation/public/suggestions",
              "/api/v1/participation/activities/{pk}/registrations", "/api/v1/participation/registrations/{pk}/attendance",
              "/api/v1/participation/public/registrations/{code}/rating", "/api/v1/participation/consultations/{pk}/results"]:
        assert p in paths
