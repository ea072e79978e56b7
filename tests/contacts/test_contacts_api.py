"""The contacts API: plans, targets, events, my check, the unit overview, the reveal; OpenAPI documented."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client

from niangjia.contacts.models import ContactEvent, ContactPlan, ContactTarget
from niangjia.core.models import AuditEntry
from tests.contacts.conftest import PLAN_YEAR

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


class Api:
    def __init__(self, user):
        self.c = Client()
        self.c.force_login(user)

    def get(self, url, **params):
        return self.c.get(BASE + url, params)

    def post(self, url, body=None):
        return self.c.post(BASE + url, json.dumps(body or {}), content_type="application/json")

    def patch(self, url, body):
        return self.c.patch(BASE + url, json.dumps(body), content_type="application/json")


def test_a_leader_builds_her_ten_women_plan_through_the_api(cw):
    api = Api(cw.east_leader)
    r = api.post("/contacts/plans", {"person": cw.leader_p.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                     "kind": "ten_women", "contact_point": cw.point.pk, "wechat_group": "好姐妹"})
    assert r.status_code == 201, r.content
    plan = r.json()
    assert plan["own"] is True and plan["contact_point"]["name"] == "东镇妇联领导基层联系点"
    assert plan["check"]["missing"] == ["还需 10 名普通妇女", "缺少困难妇女", "缺少新经济新社会组织中的妇女"]
    for woman in [cw.zhang, cw.li, *cw.rural[:7]]:
        r = api.post(f"/contacts/plans/{plan['id']}/targets", {"slot": "ordinary_woman", "person": woman.pk})
        assert r.status_code == 201, r.content
    assert r.json()["label"] == "赵七" and r.json()["phone"].startswith("139****")
    again = api.post(f"/contacts/plans/{plan['id']}/targets", {"slot": "ordinary_woman", "person": cw.zhang.pk})
    assert again.status_code == 409 and "张秀兰已在本计划" in again.json()["error"]["message"]
    mine = api.get("/contacts/my").json()["items"]
    assert [p["check"]["missing"] for p in mine] == [["还需 1 名普通妇女"]]
    assert mine[0]["check"]["have"] == 11 and mine[0]["check"]["need"] == 12


def test_record_an_event_defaults_to_today_and_updates_the_flags(cw):
    api = Api(cw.cadre_a)
    plan = api.post("/contacts/plans", {"person": cw.cadre_a_p.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                        "kind": "three_ones"}).json()
    target = api.post(f"/contacts/plans/{plan['id']}/targets",
                      {"slot": "township_federation", "federation": cw.tree.east_town.pk}).json()
    r = api.post(f"/contacts/targets/{target['id']}/events", {"channel": "wechat", "note": "群里通知"})
    assert r.status_code == 201
    assert r.json()["day"] == date.today().isoformat() and r.json()["channel_name"] == "微信"
    detail = api.get(f"/contacts/plans/{plan['id']}").json()
    t = detail["targets"][0]
    assert (t["last_contact_on"], t["days_silent"], t["overdue"]) == (date.today().isoformat(), 0, False)
    assert [e["note"] for e in api.get(f"/contacts/targets/{target['id']}/events").json()["items"]] == ["群里通知"]


def test_refused_writes_answer_with_the_error_shape_and_change_nothing(cw):
    api = Api(cw.cadre_a)
    plan = api.post("/contacts/plans", {"person": cw.cadre_a_p.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                        "kind": "three_ones"}).json()
    target = api.post(f"/contacts/plans/{plan['id']}/targets",
                      {"slot": "township_federation", "federation": cw.tree.east_town.pk}).json()
    before = (ContactPlan.objects.count(), ContactTarget.objects.count(), ContactEvent.objects.count(),
              AuditEntry.objects.count())
    cases = [
        (api.post(f"/contacts/targets/{target['id']}/events",
                  {"channel": "visit", "day": (date.today() + timedelta(days=1)).isoformat()}), 400, "day"),
        (api.post(f"/contacts/targets/{target['id']}/events", {"channel": "fax"}), 400, "channel"),
        (api.post(f"/contacts/plans/{plan['id']}/targets", {"slot": "county_federation",
                                                             "federation": cw.tree.east.pk}), 400, "slot"),
        (api.post("/contacts/plans", {"person": cw.cadre_b_p.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                      "kind": "three_ones"}), 403, None),
        (api.post("/contacts/plans", {"person": cw.cadre_a_p.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                      "kind": "three_ones"}), 409, None),
        (api.post("/contacts/plans", {"person": cw.cadre_a_p.pk, "unit": cw.tree.west.pk, "year": PLAN_YEAR,
                                      "kind": "five_ones"}), 404, None),
    ]
    for r, status, field in cases:
        assert r.status_code == status, r.content
        err = r.json()["error"]
        assert set(err) == {"code", "message", "fields"}
        if field:
            assert field in err["fields"], err
    after = (ContactPlan.objects.count(), ContactTarget.objects.count(), ContactEvent.objects.count(),
             AuditEntry.objects.count())
    assert after == before


def test_plan_patch_needs_the_version(cw):
    api = Api(cw.cadre_a)
    plan = api.post("/contacts/plans", {"person": cw.cadre_a_p.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                        "kind": "three_ones"}).json()
    ok = api.patch(f"/contacts/plans/{plan['id']}", {"version": plan["version"], "wechat_group": "好姐妹·东镇"})
    assert ok.status_code == 200 and ok.json()["wechat_group"] == "好姐妹·东镇"
    stale = api.patch(f"/contacts/plans/{plan['id']}", {"version": plan["version"], "wechat_group": "旧"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"


def test_remove_a_target(cw):
    api = Api(cw.cadre_a)
    plan = api.post("/contacts/plans", {"person": cw.cadre_a_p.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                        "kind": "three_ones"}).json()
    target = api.post(f"/contacts/plans/{plan['id']}/targets",
                      {"slot": "representative_woman", "person": cw.zhang.pk}).json()
    assert Api(cw.cadre_b).post(f"/contacts/targets/{target['id']}/remove",
                                {"version": target["version"]}).status_code == 403
    assert api.post(f"/contacts/targets/{target['id']}/remove", {"version": target["version"]}).json() == {"ok": True}
    assert api.get(f"/contacts/plans/{plan['id']}").json()["targets"] == []


def test_unit_overview_counts_gaps_and_overdue(cw):
    leader = Api(cw.east_leader)
    for person in (cw.cadre_a_p, cw.cadre_b_p):
        p = leader.post("/contacts/plans", {"person": person.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                            "kind": "three_ones"}).json()
        for slot, link in (("township_federation", {"federation": cw.tree.east_town.pk}),
                           ("village_federation", {"federation": cw.tree.east_village.pk})):
            leader.post(f"/contacts/plans/{p['id']}/targets", {"slot": slot, **link})
        if person == cw.cadre_a_p:
            leader.post(f"/contacts/plans/{p['id']}/targets", {"slot": "representative_woman",
                                                                "person": cw.zhang.pk})
    ContactTarget.objects.update(since=date.today() - timedelta(days=120))  # joined four months ago, never heard
    body = leader.get(f"/contacts/units/{cw.tree.east.pk}/overview").json()
    rows = {r["person"]["name"]: r for r in body["items"]}
    assert rows["陈干部"]["complete"] is True and rows["陈干部"]["overdue"] == 3
    assert rows["周干部"]["missing"] == ["缺：一名代表性妇女"] and rows["周干部"]["overdue"] == 2
    assert body["totals"] == {"plans": 2, "complete": 1, "with_gaps": 1, "overdue": 5, "with_overdue": 2}
    gaps = leader.get(f"/contacts/units/{cw.tree.east.pk}/overview", gaps="true").json()
    assert [r["person"]["name"] for r in gaps["items"]] == ["周干部"]
    assert leader.get(f"/contacts/units/{cw.tree.east.pk}/overview", kind="five_ones").json()["items"] == []
    assert "张秀兰" not in str(body)
    ContactTarget.objects.filter(plan__person=cw.cadre_b_p).update(last_contact_on=date.today())
    overdue = leader.get(f"/contacts/units/{cw.tree.east.pk}/overview", overdue="true").json()
    assert [r["person"]["name"] for r in overdue["items"]] == ["陈干部"]


def test_overview_pages_with_a_cursor(cw):
    leader = Api(cw.east_leader)
    for person in (cw.cadre_a_p, cw.cadre_b_p):
        leader.post("/contacts/plans", {"person": person.pk, "unit": cw.tree.east.pk, "year": PLAN_YEAR,
                                        "kind": "three_ones"})
    first = leader.get(f"/contacts/units/{cw.tree.east.pk}/overview", limit=1).json()
    second = leader.get(f"/contacts/units/{cw.tree.east.pk}/overview", limit=1, cursor=first["next_cursor"]).json()
    assert len(first["items"]) == len(second["items"]) == 1 and second["next_cursor"] is None
    assert first["items"][0]["id"] != second["items"][0]["id"]


def test_openapi_documents_the_contact_endpoints(cw):
    spec = Client().get("/api/openapi.json").json()
    for path in ("/api/v1/contacts/my", "/api/v1/contacts/plans", "/api/v1/contacts/plans/{id}",
                 "/api/v1/contacts/plans/{id}/targets", "/api/v1/contacts/targets/{id}/events",
                 "/api/v1/contacts/targets/{id}/reveal", "/api/v1/contacts/targets/{id}/remove",
                 "/api/v1/contacts/units/{id}/overview"):
        assert path in spec["paths"], path
    reveal = spec["paths"]["/api/v1/contacts/targets/{id}/reveal"]["post"]
    assert "仅计划本人" in reveal["summary"] and {"200", "403", "404"} <= set(reveal["responses"])


def test_overview_query_count_does_not_grow_with_plans(cw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from niangjia.contacts import queries, services

    leader = Api(cw.east_leader)

    def count_queries():
        ov = queries.overview(cw.east_leader, cw.tree.east, queries.OverviewFilters(year=PLAN_YEAR))
        with CaptureQueriesContext(connection) as ctx:
            rows = [queries.overview_row(ov, p) for p in ov.qs.order_by("person_id", "id")[:30]]
            queries.overview_totals(ov)
        return len(ctx.captured_queries), len(rows)

    services.plan_create(actor=cw.east_leader, person=cw.cadre_a_p, unit=cw.tree.east, year=PLAN_YEAR,
                         kind="three_ones")
    small = count_queries()
    for person in (cw.cadre_b_p, cw.leader_p):
        services.plan_create(actor=cw.east_leader, person=person, unit=cw.tree.east, year=PLAN_YEAR,
                             kind="three_ones" if person == cw.cadre_b_p else "ten_women")
    large = count_queries()
    assert small == (2, 1) and large == (2, 3)
    assert leader.get(f"/contacts/units/{cw.tree.east.pk}/overview").status_code == 200
