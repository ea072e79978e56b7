"""The subtree dashboard of field work (days, diaries, reports, proposals): summary rows at city
grain and above, fact rows below — the same figures either way, and one query from the summaries."""

from datetime import date

import pytest

from niangjia.fieldwork import queries
from niangjia.fieldwork import services as fw
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(tree, personas, fw_people):
    a = personas.province
    fw.stay_log(actor=a, person=fw_people.east, place=tree.east_village, start=days_ago(9), end=days_ago(6))
    fw.stay_log(actor=a, person=fw_people.township, place=tree.east_village2, start=days_ago(3), end=days_ago(2))
    cancelled = fw.stay_log(actor=a, person=fw_people.east, place=tree.east_village, start=days_ago(2),
                            end=days_ago(1))
    fw.stay_cancel(actor=a, stay=cancelled, version=cancelled.version)
    fw.stay_plan(actor=a, person=fw_people.east, place=tree.east_village, start=date.today(), end=date.today())
    fw.diary_write(actor=a, person=fw_people.east, place=tree.east_village, date=days_ago(6), title="走访",
                   text="三户留守妇女", women_met=3)
    fw.diary_write(actor=a, person=fw_people.west, place=tree.west_village, date=days_ago(6), title="走访",
                   text="两户", women_met=2)
    fw.report_file(actor=a, person=fw_people.east, date=days_ago(4), title="东县调研", topic="就业")
    fw.proposal_file(actor=a, person=fw_people.township, date=days_ago(4), title="建议", text="设托管点",
                     addressed_to="县政府")
    return date.today().year


def test_city_summary_equals_the_counties_rows(tree, personas, admin_user, work):
    city = queries.work_counts(admin_user, tree.city, work)
    east = queries.work_counts(personas.province, tree.east, work)
    west = queries.work_counts(personas.province, tree.west, work)
    assert east == {"field_days": {"n": 2, "t": 6}, "diary": {"n": 1, "t": 3}, "research_report": {"n": 1, "t": 0},
                    "proposal": {"n": 1, "t": 0}}
    assert city == {m: {"n": east[m]["n"] + west[m]["n"], "t": east[m]["t"] + west[m]["t"]} for m in east}
    assert queries.work_counts(personas.province, None, work) == city  # her reach: the province


def test_summary_dashboard_is_one_query(admin_user, tree, work, django_assert_num_queries):
    with django_assert_num_queries(1):
        queries.work_counts(admin_user, tree.province, work)


def test_the_unit_page_shows_the_counts(client, tree, personas, work):
    client.force_login(personas.province)
    page = client.get(f"/fieldwork/unit/{tree.city.pk}/?year={work}").content.decode()
    assert 'data-testid="work-days">6<' in page and 'data-testid="work-diaries">2<' in page


def test_counts_api_and_its_scope(client, tree, personas, work):
    client.force_login(personas.province)
    body = client.get(f"/api/v1/fieldwork/units/{tree.city.pk}/counts?year={work}").json()
    assert body["field_days"] == {"n": 2, "t": 6} and body["diary"]["n"] == 2
    assert "/api/v1/fieldwork/units/{pk}/counts" in client.get("/api/openapi.json").json()["paths"]
    client.force_login(personas.east)
    assert client.get(f"/api/v1/fieldwork/units/{tree.west.pk}/counts").status_code == 404
    client.force_login(personas.village)  # an executive member has no subtree view
    assert client.get(f"/api/v1/fieldwork/units/{tree.east_village.pk}/counts").status_code == 403
