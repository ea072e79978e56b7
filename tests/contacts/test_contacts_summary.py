"""The city-and-above contacts overview reads the contact_plans / contact_overdue summary rows,
kept by the services (contacts.tally) and rebuildable by `rollup --rebuild`; they agree with
the plans judged row by row."""

from datetime import date, timedelta

import pytest

from niangjia.contacts import queries, services, tally
from niangjia.contacts.models import ContactPlan, Kind, Slot
from niangjia.core.models import SummaryCount
from niangjia.stats import rollup
from tests.contacts.conftest import PLAN_YEAR

pytestmark = pytest.mark.django_db


def _rows():
    return set(SummaryCount.objects.filter(metric__in=[tally.PLANS, tally.OVERDUE]).exclude(count=0, total=0)
               .values_list("metric", "period", "category", "status", "l3", "count", "total"))


@pytest.fixture
def plans(cw):
    """A complete ten-women plan (one target silent for long), a half-filled three-ones plan."""
    ten = services.plan_create(actor=cw.east_leader, person=cw.leader_p, unit=cw.tree.east, year=PLAN_YEAR,
                               kind=Kind.TEN_WOMEN, started_on=date(PLAN_YEAR, 1, 1))
    for w in [*cw.rural[:8], cw.zhang, cw.li]:
        t = services.target_add(actor=cw.east_leader, plan=ten, slot=Slot.ORDINARY_WOMAN, person=w)
        if w is not cw.zhang:
            services.event_record(actor=cw.east_leader, target=t, day=date.today(), channel="phone")
    three = services.plan_create(actor=cw.east_leader, person=cw.cadre_a_p, unit=cw.tree.east, year=PLAN_YEAR,
                                 kind=Kind.THREE_ONES)
    services.target_add(actor=cw.cadre_a, plan=three, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.rural[8])
    return ten, three


def test_the_services_keep_the_plan_summary(cw, plans):
    # given the two plans; when nothing else happens
    t = cw.tree
    ys = date(PLAN_YEAR, 1, 1)
    ten, three = (ContactPlan.objects.get(pk=p.pk) for p in plans)
    # then each plan stores what its check found
    assert (ten.standing, ten.targets_n) == ("complete", 10)
    assert (three.standing, three.targets_n) == ("incomplete", 1)
    # and nobody is silent yet: 张秀兰 and 赵九 were added today
    assert (ten.overdue_n, ten.overdue_state, three.overdue_n, three.overdue_state) == (0, "ok", 0, "ok")
    # and the rows count them at city grain
    assert _rows() == {
        (tally.PLANS, ys, "ten_women", "complete", t.city.id, 1, 10),
        (tally.PLANS, ys, "three_ones", "incomplete", t.city.id, 1, 1),
        (tally.OVERDUE, ys, "ten_women", "ok", t.city.id, 1, 0),
        (tally.OVERDUE, ys, "three_ones", "ok", t.city.id, 1, 0),
    }


def test_the_summary_agrees_with_the_rows_and_a_rebuild(cw, plans):
    # given the plans, judged row by row at the city (as a county would) and from the summary
    ov = queries.overview(cw.personas.province, cw.tree.city, queries.OverviewFilters(year=PLAN_YEAR))
    from_rows = queries.row_totals(ov)
    from_summary = queries.overview_totals(ov)
    # then they agree, and the city page read the summary
    assert from_summary["source"] == "summary" and from_rows["source"] == "rows"
    drop = lambda d: {k: v for k, v in d.items() if k != "source"}  # noqa: E731
    assert drop(from_summary) == drop(from_rows)
    assert drop(from_summary)["plans"] == 2 and drop(from_summary)["complete"] == 1
    # and a rebuild from the plan rows gives the same summary rows
    bumped = _rows()
    rollup.rebuild(tally.PLANS)
    rollup.rebuild(tally.OVERDUE)
    assert _rows() == bumped


def test_silence_crossing_the_days_is_counted_after_a_refresh(cw, plans):
    # given the three-ones plan's target added long ago and never contacted
    ten, three = plans
    ContactPlan.objects.filter(pk=three.pk).update(started_on=date(PLAN_YEAR, 1, 1))
    three.refresh_from_db()
    three.targets.update(since=date.today() - timedelta(days=400))
    # when the plan is refreshed (as the daily command does)
    changed = tally.refresh(three)
    # then the summary says one target is overdue, like the rows
    assert changed is True
    ov = queries.overview(cw.personas.province, cw.tree.city, queries.OverviewFilters(year=PLAN_YEAR))
    assert queries.overview_totals(ov)["overdue"] == queries.row_totals(ov)["overdue"]
    assert tally.refresh(three) is False  # a second refresh moves nothing


def test_a_city_reads_the_summary_a_county_or_a_filtered_list_reads_the_rows(cw, plans):
    # given the same plans seen from the city (level 3) and from the county (level 4)
    def source(unit, **f):
        ov = queries.overview(cw.personas.province, unit, queries.OverviewFilters(year=PLAN_YEAR, **f))
        return queries.overview_totals(ov)["source"]

    # then the city reads summary rows, the county and a name-filtered city list judge the plans
    assert source(cw.tree.city) == "summary" and source(cw.tree.province) == "summary"
    assert source(cw.tree.east) == "rows"
    assert (source(cw.tree.city, q="刘"), source(cw.tree.city, gaps=True), source(cw.tree.city, overdue=True)) == (
        "rows", "rows", "rows")


def test_a_kind_filter_still_reads_the_summary_and_agrees_with_the_rows(cw, plans):
    ov = queries.overview(cw.personas.province, cw.tree.city, queries.OverviewFilters(year=PLAN_YEAR, kind="ten_women"))
    from_summary, from_rows = queries.overview_totals(ov), queries.row_totals(ov)
    assert from_summary["source"] == "summary"
    assert {k: v for k, v in from_summary.items() if k != "source"} == {
        k: v for k, v in from_rows.items() if k != "source"} == {
        "plans": 1, "complete": 1, "with_gaps": 0, "overdue": 0, "with_overdue": 0}
