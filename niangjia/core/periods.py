"""Periods (year, half, quarter, two-month window, month) in one helper for every app, and the one clock.

The clock: `today()`, `now()` and `local_now()` are the only ways the platform asks what day or
time it is, so a date is always the platform's (settings.TIME_ZONE, e.g. Asia/Shanghai) and never
the server's own zone (`date.today()` on a UTC server is yesterday until 08:00 in China).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def today() -> date:
    """Today in the platform's time zone."""
    return timezone.localdate()


def now() -> datetime:
    """Now, time-zone aware (UTC inside; shown in the platform's zone)."""
    return timezone.now()


def local_now() -> datetime:
    """Now in the platform's time zone (for names and stamps people read, e.g. backup files)."""
    return timezone.localtime()

KIND_MONTHS = {"year": 12, "half": 6, "quarter": 3, "bimonth": 2, "month": 1}
KIND_NAMES = {"year": gettext_lazy("年"), "half": gettext_lazy("半年"), "quarter": gettext_lazy("季度"), "bimonth": gettext_lazy("双月"), "month": gettext_lazy("月")}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return _("{y}年").format(y=y)
        if self.kind == "month":
            return _("{y}年{m}月").format(y=y, m=m)
        if self.kind == "quarter":
            return _("{y}年第{value}季度").format(y=y, value=(m - 1) // 3 + 1)
        if self.kind == "half":
            return (_("{y}年上半年") if m == 1 else _("{y}年下半年")).format(y=y)
        return _("{y}年{m}–{month}月").format(y=y, m=m, month=self.end.month)

    def next(self) -> "Period":
        return period_of(self.end + timedelta(days=1), self.kind)


def _month_end(y: int, m: int) -> date:
    if m == 12:
        return date(y, 12, 31)
    return date(y, m + 1, 1) - timedelta(days=1)


def period_of(day: date, kind: str) -> Period:
    """The period of `kind` that contains `day`; windows start in January."""
    if kind not in KIND_MONTHS:
        raise ValueError(f"unknown period kind {kind!r}")
    size = KIND_MONTHS[kind]
    first_month = ((day.month - 1) // size) * size + 1
    last_month = first_month + size - 1
    return Period(date(day.year, first_month, 1), _month_end(day.year, last_month), kind)


def periods_between(start: date, end: date, kind: str) -> list[Period]:
    """Every period of `kind` touching [start, end], in order."""
    out, p = [], period_of(start, kind)
    while p.start <= end:
        out.append(p)
        p = p.next()
    return out


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return period_of(day, "month").end
