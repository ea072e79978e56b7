from datetime import date

import pytest

from niangjia.core.errors import ValidationFailed
from niangjia.core.models import SummaryCount
from niangjia.core.pagination import keyset_page
from niangjia.stats import queries as stats_q
from niangjia.stats import services as stats
from niangjia.stats.models import ActivityLog


@pytest.fixture
def activities(tree, personas):
    made = []
    for i in range(23):
        unit = [tree.east_village, tree.east_town, tree.west_village][i % 3]
        actor = personas.west if unit == tree.west_village else personas.east
        made.append(stats.activity_log(actor=actor, unit=unit, day=date(2025, 1 + i % 6, 1 + i),
                                       category=["visit", "training"][i % 2], title=f"活动{i}", women_reached=10 + i))
    return made


def test_keyset_pages_cover_every_row_once(activities, personas):
    qs = stats_q.activities_for(personas.province)
    seen, cursor = [], None
    while True:
        page = keyset_page(qs, order=("-day", "-id"), cursor=cursor, limit=5)
        seen += [a.pk for a in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    expected = list(ActivityLog.objects.order_by("-day", "-id").values_list("pk", flat=True))
    assert seen == expected and len(seen) == 23


def test_a_bad_cursor_is_a_clear_error(activities, personas):
    with pytest.raises(ValidationFailed):
        keyset_page(stats_q.activities_for(personas.province), order=("-day", "-id"), cursor="!!nonsense", limit=5)


def test_limits_are_bounded(activities, personas):
    page = keyset_page(stats_q.activities_for(personas.province), order=("-day", "-id"), cursor=None, limit=10_000)
    assert page.limit == 200


def test_summary_rows_match_the_facts(activities, tree):
    total = sum(SummaryCount.objects.filter(metric="activity").values_list("count", flat=True))
    reached = sum(SummaryCount.objects.filter(metric="activity").values_list("total", flat=True))
    assert total == 23 and reached == sum(10 + i for i in range(23))
    assert set(SummaryCount.objects.filter(metric="activity").values_list("l3", flat=True)) == {tree.city.id}
    # and the province-grain rows (issue 16) hold the same counts, one row per province
    coarse = SummaryCount.objects.filter(metric="activity@l2")
    assert set(coarse.values_list("l2", "l3")) == {(tree.province.id, 0)}
    assert sum(coarse.values_list("count", flat=True)) == 23
    assert sum(coarse.values_list("total", flat=True)) == reached


def test_province_dashboard_from_summaries_equals_county_dashboard_from_facts(activities, personas, tree):
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    province = stats_q.activity_counts(personas.province, start=start, end=end)
    east = stats_q.activity_counts(personas.east, start=start, end=end)
    west = stats_q.activity_counts(personas.west, start=start, end=end)
    assert sum(r["n"] for r in province) == 23
    assert sum(r["n"] for r in east) + sum(r["n"] for r in west) == 23
    by_unit = stats_q.activity_counts(personas.province, unit=tree.east, start=start, end=end)
    assert by_unit == east


def test_a_county_user_never_counts_another_county(activities, personas):
    east = stats_q.activity_counts(personas.east, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert sum(r["n"] for r in east) == ActivityLog.objects.filter(l4=personas.east.get_reach().subtrees[0].unit_id).count()


def test_the_province_dashboard_reads_province_rows_that_a_rebuild_reproduces(activities, personas, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from niangjia.stats import rollup

    # given the rows the writing services kept
    kept = sorted(SummaryCount.objects.filter(metric="activity@l2").values_list("period", "category", "count", "total"))
    # when a province leader opens her dashboard
    with CaptureQueriesContext(connection) as ctx:
        rows = stats_q.activity_counts(personas.province, start=date(2025, 1, 1), end=date(2025, 12, 31))
    # then it reads the province-grain rows, and they agree with the facts
    assert "'activity@l2'" in ctx.captured_queries[-1]["sql"] or "activity@l2" in str(ctx.captured_queries[-1])
    assert sum(r["n"] for r in rows) == 23
    # and a rebuild from the facts gives the same province rows
    rollup.rebuild("activity")
    rebuilt = sorted(SummaryCount.objects.filter(metric="activity@l2").values_list("period", "category", "count",
                                                                                   "total"))
    assert rebuilt == kept
