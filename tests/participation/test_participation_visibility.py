"""A consultation run by a city for one county is visible to that county's cadres (its audience lies in
their reach) — read-only: only the city edits it. Another county never sees it; the owner's reach
works as before."""

import json

import pytest
from django.test import Client

from niangjia.participation.models import Consultation, Question
from tests.conftest import make_user
from tests.participation.conftest import make_consultation


@pytest.fixture
def city_for_east(tree, personas):
    city = make_user("city", ["cadre"], [tree.city])
    return city, make_consultation(city, tree.city, audience=tree.east)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_county_in_the_audience_reads_it(personas, city_for_east):
    _, c = city_for_east
    east = _client(personas.east)
    assert c.title in east.get("/participation/consultations/").content.decode()
    page = east.get(f"/participation/consultations/{c.pk}/").content.decode()
    assert 'id="read-only"' in page and "修改设置" not in page and "添加题目" not in page
    assert "据此策划活动" in page  # she may plan her own activity on it
    assert east.get(f"/participation/consultations/{c.pk}/results/").status_code == 200
    api = east.get("/api/v1/participation/consultations").json()
    assert [x["id"] for x in api["items"]] == [c.pk]
    assert east.get(f"/api/v1/participation/consultations/{c.pk}/results").status_code == 200


def test_filtering_by_her_county_keeps_it(tree, personas, city_for_east):
    _, c = city_for_east
    r = _client(personas.east).get("/api/v1/participation/consultations", {"unit": tree.east.pk}).json()
    assert [x["id"] for x in r["items"]] == [c.pk]


def test_she_cannot_change_it(personas, city_for_east):
    _, c = city_for_east
    east = _client(personas.east)
    patch = east.patch(f"/api/v1/participation/consultations/{c.pk}", json.dumps({"version": c.version,
                                                                                    "title": "改"}),
                       content_type="application/json")
    assert patch.status_code == 403 and "甲一市妇联" in patch.json()["error"]["message"]
    add = east.post(f"/api/v1/participation/consultations/{c.pk}/questions",
                    json.dumps({"kind": "text", "text": "加一题"}), content_type="application/json")
    assert add.status_code == 403
    assert east.post(f"/participation/consultations/{c.pk}/publish/", {"published": "0",
                                                                        "version": c.version}).status_code == 403
    assert east.get(f"/participation/consultations/{c.pk}/edit/").status_code == 403
    c.refresh_from_db()
    assert (c.title, c.published, Question.objects.filter(consultation=c).count()) == ("暑期活动意见征集", True, 4)


def test_another_county_and_a_township_below_do_not_see_it(personas, city_for_east):
    _, c = city_for_east
    for user in (personas.west, personas.township):
        client = _client(user)
        assert client.get(f"/participation/consultations/{c.pk}/").status_code == 404
        assert client.get("/api/v1/participation/consultations").json()["items"] == []


def test_the_owner_still_manages_it(city_for_east):
    city, c = city_for_east
    page = _client(city).get(f"/participation/consultations/{c.pk}/").content.decode()
    assert 'id="read-only"' not in page and "修改设置" in page
    r = _client(city).patch(f"/api/v1/participation/consultations/{c.pk}",
                            json.dumps({"version": c.version, "title": "新标题"}), content_type="application/json")
    assert r.status_code == 200 and Consultation.objects.get(pk=c.pk).title == "新标题"
