"""/api/v1/stats/figures: every rolled-up count a caller may see, and one count in detail."""

from .helpers import Api, error_of

SPAN = {"start": "2024-01-01", "end": "2025-12-31"}


def _by_metric(body) -> dict:
    return {f["metric"]: f for f in body["figures"]}


def test_totals_for_the_callers_reach(personas, records):
    figs = _by_metric(Api(personas.east).get("/stats/figures", **SPAN).json())
    assert (figs["activity"]["count"], figs["activity"]["total"], figs["activity"]["total_label"]) == (3, 60, "覆盖妇女人次")
    assert (figs["village_conversion"]["count"], figs["village_conversion"]["total"]) == (2, 7)


def test_a_province_sees_both_counties(personas, records):
    figs = _by_metric(Api(personas.province).get("/stats/figures", **SPAN).json())
    assert figs["activity"]["count"] == 4


def test_figures_without_their_permission_are_left_out(personas, records):
    figs = _by_metric(Api(personas.village).get("/stats/figures", **SPAN).json())  # an executive member
    assert "activity" in figs and "case" not in figs and "need" not in figs


def test_the_span_is_whole_months(personas, records):
    body = Api(personas.east).get("/stats/figures", start="2025-03-15", end="2025-03-15").json()
    assert (body["start"], body["end"]) == ("2025-03-01", "2025-03-31")
    assert _by_metric(body)["activity"]["count"] == 3


def test_an_end_before_the_start_is_refused(personas):
    r = Api(personas.east).get("/stats/figures", start="2025-12-01", end="2025-01-01")
    assert r.status_code == 400 and "end" in error_of(r)["fields"]


def test_detail_by_month_and_by_child(personas, records, tree):
    body = Api(personas.province).get("/stats/figures/activity", unit=tree.city.id, **SPAN).json()
    assert body["rows"] == [{"period": "2025-03-01", "category": "training", "category_name": "培训", "status": "",
                             "status_name": "", "count": 4, "total": 100}]
    assert [(c["name"], c["count"]) for c in body["children"]] == [("东县妇联", 3), ("西县妇联", 1)]


def test_detail_of_an_unknown_metric_is_404_and_of_a_forbidden_one_403(personas):
    assert Api(personas.east).get("/stats/figures/nothing", **SPAN).status_code == 404
    r = Api(personas.village).get("/stats/figures/case", **SPAN)
    assert (r.status_code, error_of(r)["code"]) == (403, "forbidden")
