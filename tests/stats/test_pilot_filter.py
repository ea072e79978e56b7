"""试点 as a filter on every figures page: the overview cards, a figure's page, the activity dashboard, the
pivot, the coverage board, and the figures API — all count the pilot's members' subtrees, nothing else.

Records (tests/api/helpers.build_records): activities in 东县 (10 women), 东镇 (20), 东村 (30) and 西县 (40);
the pilot is 西县 and 东镇 (with 东村 below it): 3 activities, 90 women; 东县's own activity is outside it.
"""

import pytest
from api.helpers import Api, build_records
from django.test import Client

from niangjia.reform import services as reform

YEAR = {"start": "2025-01", "end": "2025-12"}


@pytest.fixture
def pilot(tree, admin_user):
    build_records(tree, admin_user)
    return reform.pilot_create(actor=admin_user, unit=tree.province, name="试点县", members=[tree.west, tree.east_town])


@pytest.fixture
def client(personas):
    c = Client()
    c.force_login(personas.province)
    return c


def test_the_overview_cards_count_the_pilot_only(client, pilot):
    whole = client.get("/stats/figures/", YEAR)
    only = client.get("/stats/figures/", {**YEAR, "pilot": pilot.id})
    card = {c["fig"].metric: c for c in only.context["cards"]}["activity"]
    assert {c["fig"].metric: c for c in whole.context["cards"]}["activity"]["n"] == 4
    assert (card["n"], card["t"]) == (3, 90)
    html = only.content.decode()
    assert "试点：试点县" in html and f'value="{pilot.id}" selected' in html
    assert f"pilot={pilot.id}" in html  # the cards open the figure's page with the same pilot


def test_the_overview_export_names_the_pilot(client, pilot):
    r = client.get("/stats/figures/", {**YEAR, "pilot": pilot.id, "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_activity_dashboard_counts_the_pilot_only(client, pilot):
    r = client.get("/stats/", {"start": "2025-01-01", "end": "2025-12-31", "pilot": pilot.id})
    assert (r.context["total_n"], r.context["total_t"]) == (3, 90)
    assert "试点：试点县" in r.content.decode()


def test_the_figures_api_takes_the_pilot(personas, pilot):
    api = Api(personas.province)
    span = {"start": "2025-01-01", "end": "2025-12-31"}
    totals = api.get("/stats/figures", pilot=pilot.id, **span).json()
    assert next(f for f in totals["figures"] if f["metric"] == "activity")["count"] == 3
    detail = api.get("/stats/figures/activity", pilot=pilot.id, **span).json()
    assert detail["count"] == 3 and sorted(c["name"] for c in detail["children"]) == ["东镇妇联", "西县妇联"]
    assert sum(r["count"] for r in detail["rows"]) == 3


def test_a_pilot_outside_the_callers_reach_is_404(personas, pilot):
    api = Api(personas.east)  # 东县's cadre: the pilot belongs to the province
    assert api.get("/stats/figures", pilot=pilot.id, start="2025-01-01", end="2025-12-31").status_code == 404
    c = Client()
    c.force_login(personas.east)
    assert c.get("/stats/figures/", {**YEAR, "pilot": pilot.id}).status_code == 404
