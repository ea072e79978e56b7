"""各项工作汇总: every rolled-up count for a subtree, from summaries at city grain and above, from facts below.

Records (tests/api/helpers.build_records): activities in 东县 (10 women), 东镇 (20), 东村 (30) and 西县 (40)
in March 2025; village conversions in 东村 (+4), 东二村 (+3), 西村 (+5) and township regionalisations in
东镇 (+4) and 西镇 (+4) in 2024.
"""

from datetime import date

import pytest
from api.helpers import build_records

from niangjia.stats import catalogue, figures

SPAN = {"start": date(2024, 1, 1), "end": date(2025, 12, 31)}
ORG = ["activity", "village_conversion", "township_regionalisation"]


@pytest.fixture
def records(tree, admin_user):
    return build_records(tree, admin_user)


def _facts_only(monkeypatch):
    monkeypatch.setattr(figures, "from_summaries", lambda reach, extra_level=0: False)


def test_a_province_reads_summaries_and_sees_both_counties(personas, records, tree):
    sums = figures.totals(personas.province, unit=None, metrics=ORG, **SPAN)
    assert sums == {"activity": {"n": 4, "t": 100}, "village_conversion": {"n": 3, "t": 12},
                    "township_regionalisation": {"n": 2, "t": 8}}


def test_summaries_and_facts_agree_for_every_unit_of_the_branch(personas, records, tree, monkeypatch):
    units = [tree.province, tree.city]
    from_summary = [figures.totals(personas.province, unit=u, metrics=ORG, **SPAN) for u in units]
    _facts_only(monkeypatch)
    assert [figures.totals(personas.province, unit=u, metrics=ORG, **SPAN) for u in units] == from_summary


def test_a_county_cadre_counts_her_county_only(personas, records):
    sums = figures.totals(personas.east, unit=None, metrics=ORG, **SPAN)
    assert sums == {"activity": {"n": 3, "t": 60}, "village_conversion": {"n": 2, "t": 7},
                    "township_regionalisation": {"n": 1, "t": 4}}


def test_whole_months_count_whatever_day_the_span_names(personas, records):
    # given the activities fall on 1–4 March 2025
    def n(start, end):
        return figures.totals(personas.province, unit=None, metrics=["activity"], start=start, end=end)["activity"]["n"]

    assert n(date(2025, 3, 31), date(2025, 3, 31)) == 4
    assert n(date(2025, 2, 1), date(2025, 2, 28)) == 0
    assert n(date(2025, 4, 1), date(2025, 12, 31)) == 0


def test_by_child_splits_a_city_into_its_counties(personas, records, tree):
    rows = figures.named_children(personas.province, unit=tree.city, metric="activity", **SPAN)
    assert [(r["name"], r["n"], r["t"]) for r in rows] == [("东县妇联", 3, 60), ("西县妇联", 1, 40)]


def test_by_child_from_summaries_agrees_with_facts(personas, records, tree, monkeypatch):
    summary = figures.by_child(personas.province, unit=tree.province, metric="activity", **SPAN)
    _facts_only(monkeypatch)
    assert figures.by_child(personas.province, unit=tree.province, metric="activity", **SPAN) == summary
    assert summary == [{"unit_id": tree.city.id, "n": 4, "t": 100}]


def test_own_rows_of_a_unit_show_as_its_own_level(personas, records, tree):
    rows = figures.named_children(personas.province, unit=tree.east, metric="activity", **SPAN)
    assert [(r["name"], r["n"]) for r in rows] == [("东镇妇联", 2), ("东县妇联（本级）", 1)]  # 东镇 holds 东村


def test_breakdown_by_month_and_category(personas, records, tree, monkeypatch):
    summary = figures.breakdown(personas.province, unit=tree.city, metric="activity", **SPAN)
    assert summary == [{"period": date(2025, 3, 1), "category": "training", "status": "", "n": 4, "t": 100}]
    _facts_only(monkeypatch)
    assert figures.breakdown(personas.province, unit=tree.city, metric="activity", **SPAN) == summary


def test_a_village_has_no_children_level():
    class Village:
        level = 6

    assert figures.by_child(None, unit=Village(), metric="activity", **SPAN) == []


# ---- the catalogue


def test_figures_need_their_permission():
    only_stats = [f.metric for f in catalogue.figures_for(lambda p: p == "stats.view")]
    assert "activity" in only_stats and "case" not in only_stats and "need" not in only_stats
    everything = [f.metric for f in catalogue.figures_for(lambda p: True)]
    assert {"case", "need", "field_days", "duty_members", "selection_candidate"} <= set(everything)


def test_every_registered_metric_has_words(db):
    from niangjia.stats import rollup

    assert [m for m in rollup.registered_metrics() if catalogue.figure(m).area == "其他"] == []


def test_codes_take_their_names_from_the_models_choices():
    assert catalogue.code_labels(catalogue.figure("activity"), "category")["training"] == "培训"
    assert catalogue.code_labels(catalogue.figure("activity"), "status") == {}


@pytest.mark.parametrize(("n", "t", "shown"), [(4, 17, "4.2"), (0, 0, "—"), (1, 5, "5.0")])
def test_a_rating_total_shows_as_its_mean(n, t, shown):
    assert catalogue.figure("participation_rating").total_text(n, t) == shown


def test_a_sum_total_shows_as_is_and_no_total_shows_nothing():
    assert catalogue.figure("field_days").total_text(3, 12) == "12"
    assert catalogue.figure("case").total_text(3, 0) == ""


def test_the_cli_exports_the_figures_a_user_may_see(personas, records, tmp_path):
    from django.core.management import call_command
    from openpyxl import load_workbook

    out = tmp_path / "figures.xlsx"
    call_command("export_list", "figures", "--actor", "province", "-o", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("组织范围", "起始月份", "截止月份", "领域", "指标")
    labels = [r[4] for r in rows[1:]]
    assert "工作活动" in labels and "维权个案" in labels  # a leader holds cases.view
    assert "妇女需求（按来源渠道）" not in labels  # views of another figure are left to its page


def test_every_child_is_listed_with_zeros_beside_last_year(personas, records, tree):
    # conversions happened in May 2024: the 2025 page lists both counties at 0, beside 2024's counts
    rows = figures.named_children(personas.province, unit=tree.city, metric="village_conversion",
                                  start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert [(r["name"], r["n"], r["prior"], r["change"]) for r in rows] == [("东县妇联", 0, 2, -2), ("西县妇联", 0, 1, -1)]
    by_change = figures.named_children(personas.province, unit=tree.city, metric="village_conversion", sort="change",
                                       start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert [r["name"] for r in by_change] == ["西县妇联", "东县妇联"]


def test_the_figure_page_shows_zeros_and_last_year(client, personas, records, tree):
    client.force_login(personas.province)
    r = client.get("/stats/figures/village_conversion/", {"unit": tree.city.id, "start": "2025-01", "end": "2025-12"})
    body = r.content.decode()
    assert r.status_code == 200 and "西县妇联" in body and "上年同期 3" in body


def test_a_pilot_filters_a_figure_to_its_members_side_by_side(client, personas, records, tree, admin_user):
    from niangjia.reform import services as reform

    pilot = reform.pilot_create(actor=admin_user, unit=tree.province, name="试点县", members=[tree.west, tree.east_town])
    client.force_login(personas.province)
    r = client.get("/stats/figures/activity/", {"pilot": pilot.id, "start": "2025-01", "end": "2025-12"})
    assert r.status_code == 200
    # 西县 (40 women) and 东镇 with 东村 (20 + 30): 3 activities; 东县's own is outside the pilot
    assert r.context["n"] == 3
    assert [(c["name"], c["n"]) for c in r.context["children"]] == [("东镇妇联", 2), ("西县妇联", 1)]
