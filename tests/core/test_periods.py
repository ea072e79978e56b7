from datetime import date

import pytest

from niangjia.core import periods
from niangjia.core.periods import Period, period_of, periods_between


@pytest.mark.parametrize("day, kind, start, end", [
    (date(2024, 2, 29), "bimonth", date(2024, 1, 1), date(2024, 2, 29)),  # leap year
    (date(2023, 2, 28), "bimonth", date(2023, 1, 1), date(2023, 2, 28)),
    (date(2025, 3, 1), "bimonth", date(2025, 3, 1), date(2025, 4, 30)),
    (date(2025, 12, 31), "bimonth", date(2025, 11, 1), date(2025, 12, 31)),
    (date(2025, 4, 1), "quarter", date(2025, 4, 1), date(2025, 6, 30)),
    (date(2025, 7, 1), "half", date(2025, 7, 1), date(2025, 12, 31)),
    (date(2025, 6, 15), "year", date(2025, 1, 1), date(2025, 12, 31)),
    (date(2025, 6, 15), "month", date(2025, 6, 1), date(2025, 6, 30)),
])
def test_period_of(day, kind, start, end):
    p = period_of(day, kind)
    assert (p.start, p.end) == (start, end) and p.contains(day)


def test_leap_year_has_366_days():
    assert period_of(date(2024, 5, 5), "year").days == 366
    assert period_of(date(2025, 5, 5), "year").days == 365


def test_periods_between_covers_the_range_in_order():
    windows = periods_between(date(2025, 2, 10), date(2025, 7, 1), "bimonth")
    assert [w.label for w in windows] == ["2025年1–2月", "2025年3–4月", "2025年5–6月", "2025年7–8月"]
    assert windows[-1].next() == Period(date(2025, 9, 1), date(2025, 10, 31), "bimonth")


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        period_of(date(2025, 1, 1), "fortnight")


@pytest.mark.parametrize(("day", "end"), [(date(2024, 2, 1), date(2024, 2, 29)), (date(2025, 2, 28), date(2025, 2, 28)),
                                          (date(2025, 12, 31), date(2025, 12, 31)), (date(2026, 4, 15), date(2026, 4, 30))])
def test_month_end(day, end):
    assert periods.month_end(day) == end
