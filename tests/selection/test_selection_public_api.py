"""The selection's public API: open calls, the call notice, application (retry-safe by key), and
rate limits on every public endpoint (the scorer's link included)."""

from datetime import timedelta

import pytest

from niangjia.selection import services
from niangjia.selection.models import Candidate, Score
from tests.selection.conftest import (
    Api,
    add_scorers,
    apply,
    close_call,
    error,
    new_selection,
    today,
)

pytestmark = pytest.mark.django_db

APPLICATION = {"name": "林芳", "phone": "13900001234", "project_title": "妈妈岗就业", "project_need": "带娃妈妈难就业",
               "project_plan": "联系十家企业开设妈妈岗"}


def test_open_calls_list_only_calls_taking_applications(tree, personas, sel):
    # given one open call and one whose call has closed
    closed = new_selection(personas.east, tree.east)
    apply(personas.east, closed, "甲", "13900000009")
    close_call(personas.east, closed)
    # when anyone reads the list
    r = Api().get("/public/calls")
    # then only the open one is there, with its posts and page, and nothing about candidates
    assert r.status_code == 200
    items = r.json()["items"]
    assert [c["id"] for c in items] == [sel.selection.pk]
    assert items[0]["is_open"] is True and items[0]["url"] == f"/p/selection/{sel.selection.pk}/"
    assert [(p["title"], p["seats"]) for p in items[0]["posts"]] == [("兼职副主席", 3), ("兼职常委", 2)]
    assert "candidates" not in items[0] and "13900000001" not in r.content.decode()
    assert Api().get(f"/public/calls/{closed.pk}").json()["is_open"] is False


def test_public_application_is_retry_safe(sel):
    anon = Api()
    first = anon.post(f"/public/calls/{sel.selection.pk}/applications", APPLICATION | {"key": "a1"})
    again = anon.post(f"/public/calls/{sel.selection.pk}/applications", APPLICATION | {"key": "a1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"] and again.json()["created"] is False
    cand = Candidate.objects.get(pk=first.json()["id"])
    assert (cand.channel, cand.name, cand.phone_mask) == ("public", "林芳", "139****1234")
    dup = anon.post(f"/public/calls/{sel.selection.pk}/applications", APPLICATION | {"key": "a2"})
    assert dup.status_code == 400 and error(dup)["fields"] == {"phone": "该手机号已报名本次选配"}


def test_public_application_needs_a_key_and_an_open_call(tree, personas, sel):
    anon = Api()
    r = anon.post(f"/public/calls/{sel.selection.pk}/applications", APPLICATION)
    assert r.status_code == 400 and error(r)["fields"] == {"key": "必填"}
    later = services.selection_create(actor=personas.east, unit=tree.east, title="下月的选配",
                                      call_opens=today() + timedelta(days=3), call_closes=today() + timedelta(days=9),
                                      posts=[{"body": "leadership", "title": "兼职副主席", "seats": 1}])
    r = anon.post(f"/public/calls/{later.pk}/applications", APPLICATION | {"key": "x"})
    assert r.status_code == 409 and error(r)["message"] == "报名已截止或尚未开始"
    assert Candidate.objects.filter(selection=later).count() == 0


def test_application_is_rate_limited(sel):
    anon = Api()
    for i in range(20):  # well-formed but refused on their merits (a bad phone): each one counts
        anon.post(f"/public/calls/{sel.selection.pk}/applications", APPLICATION | {"key": f"k{i}", "phone": "1"})
    r = anon.post(f"/public/calls/{sel.selection.pk}/applications", APPLICATION | {"key": "late"})
    assert r.status_code == 429 and error(r)["code"] == "rate_limited"
    assert not Candidate.objects.filter(name="林芳").exists()


def test_scoring_link_endpoints_are_rate_limited(sel, personas):
    close_call(personas.east, sel.selection)
    token = add_scorers(personas.east, sel.parts["jury"], 1)[0][1]
    anon = Api()
    for _ in range(30):
        anon.post("/score/not-a-token", {"scores": []})
    r = anon.post(f"/score/{token}", {"scores": [{"candidate": c.pk, "value": 80} for c in sel.candidates]})
    assert r.status_code == 429 and error(r)["code"] == "rate_limited"
    assert Score.objects.count() == 0
    for _ in range(120):
        anon.get("/score/not-a-token")
    assert anon.get(f"/score/{token}").status_code == 429
