"""The field-work JSON API: scoped, permission-checked, errors in the shared shape."""

from datetime import date

import pytest
from django.test import Client

from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Diary, FieldStay
from niangjia.needs.models import Need
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db
BASE = "/api/v1/fieldwork"


def api(user):
    c = Client()
    c.force_login(user)
    return c


def post(c, url, body):
    return c.post(BASE + url, body, content_type="application/json")


def test_log_a_stay_and_read_it_back(tree, personas, fw_people):
    c = api(personas.east)
    r = post(c, "/stays", {"place": tree.east_village.pk, "start": str(days_ago(3)), "end": str(days_ago(1))})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["days"], body["status"], body["person"]["name"], body["place"]["name"]) == (3, "done", "东县干部", "东村妇联")
    assert c.get(f"{BASE}/stays/{body['id']}").json()["id"] == body["id"]
    assert [s["id"] for s in c.get(f"{BASE}/stays", {"mine": "true"}).json()["items"]] == [body["id"]]


def test_an_overlapping_stay_answers_400_overlap(tree, personas, fw_people):
    c = api(personas.east)
    post(c, "/stays", {"place": tree.east_village.pk, "start": str(days_ago(5)), "end": str(days_ago(3))})
    r = post(c, "/stays", {"place": tree.east_town.pk, "start": str(days_ago(3)), "end": str(days_ago(1))})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "overlap"
    assert "东村妇联" in r.json()["error"]["message"]
    assert FieldStay.objects.count() == 1


def test_a_stale_patch_answers_409(tree, personas, fw_people):
    c = api(personas.east)
    sid = post(c, "/stays", {"place": tree.east_village.pk, "start": str(days_ago(3)), "end": str(days_ago(1))}).json()["id"]
    assert c.patch(f"{BASE}/stays/{sid}", {"version": 1, "note": "新"}, content_type="application/json").status_code == 200
    r = c.patch(f"{BASE}/stays/{sid}", {"version": 1, "note": "旧"}, content_type="application/json")
    assert r.status_code == 409
    assert FieldStay.objects.get(pk=sid).note == "新"


def test_east_cannot_see_or_edit_wests_stay(tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.west, person=fw_people.west, place=tree.west_village, start=days_ago(2),
                       end=days_ago(1))
    c = api(personas.east)
    assert c.get(f"{BASE}/stays/{stay.pk}").status_code == 404
    r = c.patch(f"{BASE}/stays/{stay.pk}", {"version": stay.version, "note": "x"}, content_type="application/json")
    assert r.status_code == 404
    assert post(c, f"/stays/{stay.pk}/cancel", {"version": stay.version}).status_code == 404
    assert FieldStay.objects.get(pk=stay.pk).status == "done"
    assert c.get(f"{BASE}/stays").json()["items"] == []


def test_a_cadre_cannot_log_for_someone_else(tree, personas, fw_people):
    r = post(api(personas.east), "/stays", {"person": fw_people.township.pk, "place": tree.east_village.pk,
                                            "start": str(days_ago(2)), "end": str(days_ago(1))})
    assert r.status_code == 403
    assert not FieldStay.objects.exists()


def test_an_executive_sees_only_her_own_stays(tree, personas, fw_people):
    fw.stay_log(actor=personas.township, person=fw_people.township, place=tree.east_village, start=days_ago(2),
                end=days_ago(1))
    mine = fw.stay_log(actor=personas.village, person=fw_people.village, place=tree.east_village, start=days_ago(2),
                       end=days_ago(1))
    assert [s["id"] for s in api(personas.village).get(f"{BASE}/stays").json()["items"]] == [mine.pk]


def test_diary_with_needs_and_a_bad_need_writes_nothing(tree, personas, fw_people):
    c = api(personas.village)
    ok = post(c, "/diaries", {"place": tree.east_village.pk, "date": str(days_ago(1)), "title": "走访", "text": "内容",
                              "women_met": 5, "needs": [{"category": "legal", "description": "咨询"}]})
    assert ok.status_code == 201, ok.content
    assert [n["category"] for n in ok.json()["needs"]] == ["legal"]
    bad = post(c, "/diaries", {"place": tree.east_village.pk, "date": str(days_ago(1)), "title": "走访", "text": "内容",
                               "needs": [{"category": "legal", "description": ""}]})
    assert bad.status_code == 400
    assert Diary.objects.count() == 1 and Need.objects.count() == 1


def test_reports_and_proposals(tree, personas, fw_people):
    c = api(personas.east)
    assert post(c, "/reports", {"date": str(days_ago(1)), "title": "调研", "topic": "就业"}).status_code == 201
    p = post(c, "/proposals", {"date": str(days_ago(1)), "title": "建议", "text": "内容", "addressed_to": "县政府"})
    assert p.status_code == 201
    r = post(c, f"/proposals/{p.json()['id']}/status", {"version": 1, "status": "responded"})
    assert r.json()["status"] == "responded"
    assert len(c.get(f"{BASE}/reports").json()["items"]) == 1


def test_adoption_and_standings(tree, personas, fw_people):
    c = api(personas.province)
    r = post(c, "/adoptions", {"unit": tree.province.pk, "preset": "fieldwork.organ_cadres"})
    assert r.status_code == 201, r.content
    assert r.json()["rule"]["params"]["min_days"] == 5
    assert post(api(personas.east), "/adoptions", {"unit": tree.east.pk, "preset": "fieldwork.organ_cadres"}).status_code == 403
    me = api(personas.east).get(f"{BASE}/standing/me").json()["items"]
    assert [s["kind"] for s in me] == ["window_week"]
    year = date.today().year
    unit = c.get(f"{BASE}/standing/unit/{tree.province.pk}", {"year": year}).json()
    assert {i["person"]["name"] for i in unit["items"]} == {"东县干部", "西县干部", "东镇干部"}
    assert api(personas.east).get(f"{BASE}/standing/unit/{tree.west.pk}").status_code == 404


def test_openapi_lists_the_fieldwork_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/fieldwork/stays" in paths and "/api/v1/fieldwork/standing/unit/{pk}" in paths
