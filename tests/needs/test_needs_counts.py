"""Needs counts (GET /api/v1/needs/counts, the ledger's channel and overdue figures): summary rows for a city
and above agree with the fact rows below, and they are really read; scoped; the case counts page filters by unit."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.core.models import SummaryCount
from niangjia.needs import counts, services
from tests.needs.conftest import register

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def ledger(tree, personas, east_worker, catalogue, city_cadre):
    """Needs in both counties through every kind of step: assigned, resolved, ordered and delivered, escalated."""
    past = timezone.now() - timedelta(days=30)
    a = register(personas.east, tree.east_village, category="legal", channel="hotline")
    b = register(personas.east, tree.east_village2, category="rights", channel="wechat", urgency="critical", at=past)
    c = register(personas.east, tree.east_town, category="legal", channel="walk_in")
    w = register(personas.west, tree.west_village, category="employment", channel="website", urgency="urgent", at=past)
    register(personas.west, tree.west_village, category="legal", channel="hotline")
    services.need_assign(actor=personas.east, need=a, assignee=east_worker, version=1)
    services.need_resolve(actor=east_worker, need=a, version=a.version, resolution="已解答")
    order = services.order_create(actor=personas.east, need=c, service=catalogue.legal, provider=catalogue.provider)
    services.order_deliver(actor=personas.east, order=order, version=order.version, outcome="律师已答复")
    services.needs_escalate()
    return {"escalated": [b, w], "order": order}


def test_summary_counts_of_the_city_agree_with_the_rows_of_its_counties(tree, personas, ledger, city_cadre):
    # when the city reads the summaries and each county its rows
    city = counts.counts_for(city_cadre)
    east, west = counts.counts_for(personas.east), counts.counts_for(personas.west)
    # then
    assert city["from_summaries"] and not east["from_summaries"] and not west["from_summaries"]

    def added(key):
        return [{**r, "n": r["n"] + w["n"], **({"open": r["open"] + w["open"]} if "open" in r else {})}
                for r, w in zip(east[key], west[key], strict=True)]

    for key in ("by_category", "by_status", "by_channel", "escalated_by_category"):
        assert city[key] == added(key), key
    assert (city["total"], city["open"], city["overdue"], city["escalated"]) == (5, 3, 2, 2)
    assert (east["total"], east["open"], east["escalated"]) == (3, 1, 1)
    assert [r["n"] for r in city["by_channel"] if r["key"] == "hotline"] == [2]
    assert [r["open"] for r in city["by_channel"] if r["key"] == "hotline"] == [1]
    assert city["orders"] == east["orders"]
    assert city["orders"]["total"] == 1
    assert [r["key"] for r in city["orders"]["by_status"] if r["n"]] == ["delivered"]
    # and a county asked for by the city is counted from its rows, as the county sees it
    assert counts.counts_for(city_cadre, unit=tree.east) == east


def test_the_city_really_reads_the_summary_rows(tree, personas, ledger, city_cadre):
    # given a drifted summary row of each metric
    for metric in ("need_channel", "need_overdue", "service_order"):
        row = SummaryCount.objects.filter(metric=metric).exclude(count=0).order_by("id").first()
        SummaryCount.objects.filter(pk=row.pk).update(count=row.count + 10)
    # then the city's figures move by 10 each and the county's rows do not
    city = counts.counts_for(city_cadre)
    assert sum(r["n"] for r in city["by_channel"]) == 15
    assert city["escalated"] == 12 and city["orders"]["total"] == 11
    assert counts.counts_for(personas.east)["escalated"] == 1


def test_the_counts_api_is_scoped_and_permission_checked(tree, personas, ledger):
    r = client_for(personas.east).get("/api/v1/needs/counts")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["total"], body["escalated"], body["from_summaries"]) == (3, 1, False)
    assert {r["key"]: r["n"] for r in body["by_channel"] if r["n"]} == {"hotline": 1, "wechat": 1, "walk_in": 1}
    assert client_for(personas.east).get("/api/v1/needs/counts", {"unit": tree.east_village.pk}).json()["total"] == 1
    assert client_for(personas.east).get("/api/v1/needs/counts", {"unit": tree.west.pk}).status_code == 404
    assert client_for(personas.village).get("/api/v1/needs/counts").status_code == 403
    province = client_for(personas.province).get("/api/v1/needs/counts").json()
    assert (province["total"], province["from_summaries"]) == (5, True)


def test_the_ledger_shows_needs_per_channel_and_the_overdue_figures(tree, personas, ledger):
    body = client_for(personas.province).get("/needs/").content.decode()
    assert 'data-testid="by-channel"' in body and 'data-channel="hotline"><td>12338热线</td><td class="text-end">2<' in body
    assert "当前超期未办结 <strong class=\"text-danger\">2</strong>" in body
    assert "累计超期上报上一级妇联 <strong class=\"text-danger\">2</strong>" in body
    assert 'data-escalated="rights"' in body and 'data-escalated="employment"' in body
    east = client_for(personas.east).get("/needs/").content.decode()
    assert 'data-escalated="employment"' not in east and 'data-channel="website"' not in east


def test_the_case_counts_page_filters_by_unit(tree, personas):
    from niangjia.cases import services as case_services
    from tests.conftest import make_user

    worker = make_user("cw", ["case_worker"], [tree.east])
    west_worker = make_user("ww", ["case_worker"], [tree.west])
    for who, unit in ((worker, tree.east), (worker, tree.east_town), (west_worker, tree.west)):
        case_services.case_open(actor=who, unit=unit, channel="walk_in", case_type="custody", narrative="抚养费",
                                worker=who, name="某女士")
    c = client_for(personas.province)
    assert 'data-testid="case-total">3<' in c.get("/cases/counts/").content.decode()
    page = c.get("/cases/counts/", {"unit": tree.east.pk}).content.decode()
    assert 'data-testid="case-total">2<' in page and "东县妇联" in page
    assert c.get("/cases/counts/", {"unit": tree.east.pk, "export": "xlsx"}).status_code == 200
    assert client_for(personas.east).get("/cases/counts/", {"unit": tree.west.pk}).status_code == 404


def test_overdue_now_counts_a_need_only_after_its_deadline(tree, personas):
    # given an urgent need (three days) and the clock at its deadline, then one second past it
    need = register(personas.east, tree.east_village, urgency="urgent")
    at_deadline = need.deadline
    # then at the deadline it is still on time; a second later it is overdue (the same for a city, from the rows)
    assert counts.counts_for(personas.east, now=at_deadline)["overdue"] == 0
    assert counts.counts_for(personas.east, now=at_deadline + timedelta(seconds=1))["overdue"] == 1
    assert counts.counts_for(personas.province, now=at_deadline + timedelta(seconds=1))["overdue"] == 1
