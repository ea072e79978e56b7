"""The award API: a whole round through the endpoints, scope (404), permission (403), errors, OpenAPI."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from niangjia.awards.models import AwardRound, Ballot, Nomination, Objection
from niangjia.core.sms import last_sent_to
from tests.awards.conftest import PHONE_A, PHONE_B, end_notice, org_nom

pytestmark = pytest.mark.django_db
BASE = "/api/v1/awards"


class Api:
    def __init__(self, user=None):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def get(self, url, **params):
        return self.client.get(BASE + url, params)

    def post(self, url, body=None, **extra):
        return self.client.post(BASE + url, json.dumps(body or {}), content_type="application/json", **extra)

    def patch(self, url, body):
        return self.client.patch(BASE + url, json.dumps(body), content_type="application/json")


def read_version(api, rid) -> int:
    """The round's version as the client reads it before moving it."""
    return api.get(f"/rounds/{rid}").json()["version"]


def error(r) -> dict:
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def test_openapi_documents_the_award_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ("/api/v1/awards/rounds", "/api/v1/awards/rounds/{id}/quotas", "/api/v1/awards/rounds/{id}/nominations",
              "/api/v1/awards/nominations/{id}/consent", "/api/v1/awards/nominations/{id}/shortlist",
              "/api/v1/awards/rounds/{id}/results", "/api/v1/awards/rounds/{id}/objections",
              "/api/v1/awards/objections/{id}/answer", "/api/v1/awards/rounds/{id}/finalize",
              "/api/v1/awards/public/{code}/nominations", "/api/v1/awards/public/{code}/ballots"):
        assert p in paths, p


def test_a_whole_round_through_the_api(tree, personas, city, today):
    # given the city opens a round
    api = Api(city)
    r = api.post("/rounds", {"unit": tree.city.id, "name": "三八红旗手评选", "award": "三八红旗手", "places": 1,
                             "public_quota": 1, "nomination_ends": str(today + timedelta(days=5)),
                             "evaluation_ends": str(today + timedelta(days=9))})
    assert r.status_code == 201, r.content
    rnd = r.json()
    assert rnd["phase"] == "nomination" and rnd["default_org_quota"] == 3  # the policy preset
    rid = rnd["id"]
    api.post(f"/rounds/{rid}/quotas", {"unit": tree.east.id, "org_quota": 1})
    # 东县 nominates within its quota of 1, then is refused
    east = Api(personas.east)
    r = east.post(f"/rounds/{rid}/nominations", {"unit": tree.east.id, "nominee_name": "王芳", "nominee_place": "东村",
                                                 "deeds": "带头致富", "consent_in_person": True})
    assert r.status_code == 201, r.content
    a = r.json()
    assert a["consent"] == "given" and a["consent_by"] == "east"
    r = east.post(f"/rounds/{rid}/nominations", {"unit": tree.east.id, "nominee_name": "李丽", "nominee_place": "东村",
                                                 "deeds": "x"})
    assert r.status_code == 409 and error(r)["message"] == "东县妇联的组织推荐名额为 1 名，已推荐 1 名"
    quotas = east.get(f"/rounds/{rid}/quotas").json()
    assert {u["unit"]["name"]: (u["quota"], u["used"]) for u in quotas["units"]} == {"东县妇联": (1, 1), "西县妇联": (3, 0)}
    # a public nomination without login; her consent through the SMS link
    code = rnd["code"]
    r = Api().post(f"/public/{code}/nominations", {"place_unit": tree.west.id, "nominator_name": "张三",
                                                   "nominator_phone": PHONE_A, "nominee_name": "赵敏",
                                                   "nominee_place": "西村", "deeds": "照顾老人",
                                                   "nominee_phone": PHONE_B, "form_key": "f1"})
    assert r.status_code == 201, r.content
    b_id = r.json()["id"]
    token = last_sent_to("+86" + PHONE_B, purpose="awards.consent").body.split("/consent/")[1].rstrip("/")
    assert Api().post("/consent", {"token": token, "given": True}).status_code == 200
    # shortlist both, evaluate by link
    for nid in (a["id"], b_id):
        r = api.post(f"/nominations/{nid}/shortlist", {"on": True})
        assert r.json()["status"] == "shortlisted", r.content
    assert api.post(f"/rounds/{rid}/phase", {"to": "evaluation", "version": read_version(api, rid)}).json()["phase"] == "evaluation"
    links = api.post(f"/rounds/{rid}/evaluation-links", {"count": 2}).json()["links"]
    for link in links:
        token = link.rstrip("/").rsplit("/", 1)[1]
        r = Api().post(f"/public/{code}/ballots", {"token": token, "marks": {str(b_id): 1}})
        assert r.status_code == 201, r.content
    results = api.get(f"/rounds/{rid}/results").json()
    assert results["ballots"] == 2 and results["results"][0]["nomination"]["id"] == b_id
    # notice: 赵敏 proposed; an objection filed and answered; finalize after the period
    assert api.post(f"/rounds/{rid}/phase", {"to": "notice", "version": read_version(api, rid)}).json()["phase"] == "notice"
    notice = Api().get(f"/public/{code}/notice").json()["items"]
    assert [n["nominee_name"] for n in notice] == ["赵敏"] and notice[0]["nominator_phone_mask"] == ""
    r = Api().post(f"/public/{code}/objections", {"nomination": b_id, "text": "事迹不实"})
    assert r.status_code == 201
    obj_id = r.json()["id"]
    r = api.post(f"/rounds/{rid}/finalize", {"version": read_version(api, rid)})
    assert r.status_code == 409 and "还有 1 条异议未答复" in error(r)["message"] and "公示期至" in error(r)["message"]
    pending = api.get(f"/rounds/{rid}/objections", pending=True).json()["items"]
    assert [o["id"] for o in pending] == [obj_id]
    r = api.post(f"/objections/{obj_id}/answer", {"outcome": "dismissed", "answer": "经核实属实",
                                              "version": Objection.objects.get(pk=obj_id).version})
    assert r.json()["outcome"] == "dismissed"
    end_notice(AwardRound.objects.get(pk=rid))
    r = api.post(f"/rounds/{rid}/finalize", {"version": read_version(api, rid)})
    assert r.status_code == 200 and r.json()["phase"] == "final"
    assert Nomination.objects.get(pk=b_id).status == "awarded"


def test_another_countys_cadre_gets_404(tree, personas, rnd):
    nom = org_nom(personas.east, rnd, tree.east)
    west = Api(personas.west)
    for r in (west.get(f"/nominations/{nom.pk}"), west.post(f"/nominations/{nom.pk}/consent", {"given": True}),
              west.post(f"/rounds/{rnd.pk}/nominations", {"unit": tree.east.id, "nominee_name": "x",
                                                          "nominee_place": "y", "deeds": "z"})):
        assert r.status_code == 404 and error(r)["code"] == "not_found"
    # and her list of the round leaves 东县's nomination out
    assert west.get(f"/rounds/{rnd.pk}/nominations").json()["items"] == []
    assert Nomination.objects.count() == 1


def test_a_county_round_is_404_for_the_other_county(tree, personas, today):
    r = Api(personas.east).post("/rounds", {"unit": tree.east.id, "name": "东县评选", "award": "三八红旗手",
                                            "nomination_ends": str(today), "evaluation_ends": str(today)})
    rid = r.json()["id"]
    west = Api(personas.west)
    assert west.get(f"/rounds/{rid}").status_code == 404
    assert west.post(f"/rounds/{rid}/phase", {"to": "evaluation", "version": 1}).status_code == 404
    assert rid not in [x["id"] for x in west.get("/rounds").json()["items"]]


def test_without_awards_manage_403(tree, personas, rnd):
    village = Api(personas.village)
    assert village.get("/rounds").status_code == 403
    r = village.post("/rounds", {"unit": tree.east_village.id, "name": "x", "award": "y",
                                 "nominate_ends": "2026-01-01", "nomination_ends": "2026-01-01",
                                 "evaluation_ends": "2026-01-02"})
    assert r.status_code == 403 and error(r)["code"] == "forbidden"


def test_a_participating_county_cannot_run_the_city_round(tree, personas, rnd):
    east = Api(personas.east)
    assert east.get(f"/rounds/{rnd.pk}").status_code == 200
    r = east.post(f"/rounds/{rnd.pk}/phase", {"to": "evaluation", "version": rnd.version})
    assert r.status_code == 403 and "甲一市妇联" in error(r)["message"]
    assert east.post(f"/rounds/{rnd.pk}/quotas", {"unit": tree.east.id, "org_quota": 9}).status_code == 403


def test_bad_input_names_the_field(city, tree):
    r = Api(city).post("/rounds", {"unit": tree.city.id, "name": "x", "award": "y", "mode": "lottery",
                                   "nomination_ends": "2026-03-01", "evaluation_ends": "2026-02-01"})
    assert r.status_code == 400 and "mode" in error(r)["fields"]
    r = Api(city).post("/rounds", {"unit": tree.city.id, "name": "x", "award": "y",
                                   "nomination_ends": "2026-03-01", "evaluation_ends": "2026-02-01"})
    assert r.status_code == 400 and error(r)["fields"] == {"evaluation_ends": "评议截止日期不能早于推荐截止日期"}
    assert AwardRound.objects.count() == 0


def test_public_api_validation_and_rate_limit(tree, rnd):
    api = Api()
    r = api.post(f"/public/{rnd.code}/nominations", {"place_unit": tree.east_town.id, "nominator_name": "",
                                                     "nominator_phone": "1", "nominee_name": "a",
                                                     "nominee_place": "b", "deeds": "c"})
    assert r.status_code == 400
    assert set(error(r)["fields"]) == {"nominator_name", "nominator_phone", "place_unit"}
    for _ in range(19):
        api.post(f"/public/{rnd.code}/objections", {"nomination": 1, "text": "x"})
    r = api.post(f"/public/{rnd.code}/objections", {"nomination": 1, "text": "x"})
    assert r.status_code == 400  # the 20th in the hour is still heard (and refused on its merits)
    r = api.post(f"/public/{rnd.code}/objections", {"nomination": 1, "text": "x"})
    assert r.status_code == 429 and error(r)["code"] == "rate_limited"
    assert Objection.objects.count() == 0


def test_a_ballot_link_of_another_round_is_refused(tree, personas, city, rnd, today):
    from niangjia.awards import evaluation, services

    other = services.round_create(actor=city, unit=tree.city, name="另一轮", award="三八红旗集体",
                                  nomination_ends=today, evaluation_ends=today)
    token = evaluation.links_issue(actor=city, rnd=other, count=1)[0]
    r = Api().post(f"/public/{rnd.code}/ballots", {"token": token, "marks": {"1": 1}})
    assert r.status_code == 404 and Ballot.objects.count() == 0
