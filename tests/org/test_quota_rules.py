"""机构编制: the quota in force on a day and the cut of staffing, departments and institutions (pure rules)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.org.rules import Quota, dimension_cut, quota_cut, quota_in_force

Q2015 = Quota(15, 4, 5)
Q2017 = Quota(12, 3, 4)
HISTORY = [(date(2015, 1, 1), Q2015), (date(2017, 6, 30), Q2017)]


@pytest.mark.parametrize(("on", "expected"), [
    (date(2014, 12, 31), None),  # before the first approval: no quota
    (date(2015, 1, 1), Q2015),  # the day it takes effect
    (date(2017, 6, 29), Q2015),
    (date(2017, 6, 30), Q2017),
    (date(2030, 1, 1), Q2017),
])
def test_the_quota_in_force_is_the_latest_taking_effect_on_or_before_the_day(on, expected):
    assert quota_in_force(HISTORY, on) == expected
    assert quota_in_force(list(reversed(HISTORY)), on) == expected  # whatever order the rows come in


def test_huzhou_cut_each_of_staffing_departments_and_institutions_by_at_least_20_percent():
    # given: 湖州市 15 → 12 staff, 4 → 3 departments, 5 → 4 institutions
    cut = quota_cut(Q2015, Q2017, 20)
    # then: 20%, 25%, 20% — all met
    assert {k: d.pct for k, d in cut.dimensions.items()} == {"staff": 20.0, "departments": 25.0, "institutions": 20.0}
    assert cut.met is True and cut.missed == []


def test_a_cut_of_staffing_only_misses_the_departments_and_institutions():
    cut = quota_cut(Quota(15, 4, 5), Quota(12, 4, 5), 20)
    assert cut.met is False
    assert cut.missed == ["内设机构", "直属事业单位"]


@pytest.mark.parametrize(("before", "after", "target", "met", "pct"), [
    (15, 12, 20, True, 20.0),  # exactly the target meets it (integers, no rounding)
    (15, 13, 20, False, 13.3),
    (10, 8, 20, True, 20.0),
    (10, 9, 20, False, 10.0),
    (3, 2, 20, True, 33.3),
    (5, 6, 20, False, -20.0),  # more, not fewer
    (7, 7, 0, True, 0.0),  # no cut asked: keeping the quota meets it
    (0, 0, 20, None, None),  # nothing to cut: not assessed
    (0, 2, 20, None, None),
])
def test_one_dimension(before, after, target, met, pct):
    d = dimension_cut(before, after, target)
    assert (d.met, d.pct, d.cut) == (met, pct, before - after)


def test_a_unit_without_departments_or_institutions_is_judged_on_staffing_alone():
    assert quota_cut(Quota(6, 0, 0), Quota(4, 0, 0), 20).met is True
    assert quota_cut(Quota(6, 0, 0), Quota(6, 0, 0), 20).met is False
    assert quota_cut(Quota(0, 0, 0), Quota(0, 0, 0), 20).met is None


def test_no_quota_on_either_day_means_no_verdict():
    assert quota_cut(None, Q2017, 20) is None
    assert quota_cut(Q2015, None, 20) is None


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 100))
def test_met_is_exactly_a_cut_of_at_least_the_target_share(before, after, target):
    d = dimension_cut(before, after, target)
    if before == 0:
        assert d.met is None
    else:
        assert d.met == ((before - after) / before >= target / 100 - 1e-12)
