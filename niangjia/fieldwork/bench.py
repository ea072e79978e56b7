"""Benchmark: the national field-days dashboard (下基层天数按月), read from city-grain summary rows.

`seed_summaries` fills SummaryCount with field_days rows at national shape (about 340 cities,
every month, kind and status) for a bench database; `measure_national_field_days` times
`queries.field_days_by_month` for an unrestricted (national) reach, which is one indexed
GROUP BY over those rows. Wiring into `niangjia bench` is left to the bench command.
"""

import time
from datetime import date

from niangjia.core.models import SummaryCount
from niangjia.core.periods import month_start

from .models import FieldStay


class _Nation:
    is_authenticated = is_active = is_superuser = True
    roles = ["admin"]

    def get_reach(self):
        from niangjia.core.scope import Reach

        return Reach(unrestricted=True)


def seed_summaries(*, year: int, provinces: int = 34, cities_per_province: int = 10, l1: int = 1) -> int:
    """Bulk-insert field_days summary rows for a whole nation and year (bench databases only)."""
    rows, statuses = [], [s for s, _ in FieldStay.Status.choices]
    for p in range(provinces):
        for c in range(cities_per_province):
            l2, l3 = 10_000 + p, 1_000_000 + p * 1000 + c
            for m in range(1, 13):
                for kind, _ in FieldStay.Kind.choices:
                    for status in statuses:
                        rows.append(SummaryCount(metric="field_days", period=date(year, m, 1), category=kind,
                                                 status=status, l1=l1, l2=l2, l3=l3, count=40, total=160))
    SummaryCount.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def measure_national_field_days(*, year: int, repeat: int = 30) -> dict:
    """p50/p95/max milliseconds of the national field-days-by-month query, and its result size."""
    from . import queries

    user, start, end = _Nation(), date(year, 1, 1), date(year, 12, 31)
    queries.field_days_by_month(user, None, start, end)  # warm-up
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        rows = queries.field_days_by_month(user, None, start, end)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"rows": len(rows), "summary_rows": SummaryCount.objects.filter(
                metric="field_days", period__gte=month_start(start), period__lte=end).count(),
            "p50_ms": round(samples[len(samples) // 2], 2),
            "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2),
            "max_ms": round(samples[-1], 2), "days": sum(r["t"] for r in rows)}
