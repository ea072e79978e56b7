"""Benchmark: the field-days dashboard (下基层天数按月), read from city-grain summary rows.

`seed_summaries` fills SummaryCount with field_days rows at national shape (every city of the
bench tree × every month of the years × stay kind × status) for a bench database;
`measure_field_days` times `queries.field_days_by_month` for a national, a provincial and a
city reach, each one indexed GROUP BY over those rows. duties/bench.py puts both in the
"Cadre work dashboards" section of `niangjia bench` (core.extensions.register_bench).
"""

import time
from datetime import date

from niangjia.core.models import SummaryCount
from niangjia.core.scope import Reach

from . import queries
from .models import FieldStay

METRIC = "field_days"


class Nation:
    """The national user of the benchmark: unrestricted reach, as a superuser has."""

    is_authenticated = is_active = is_superuser = True
    roles = ["admin"]
    pk = person_id = None

    def get_reach(self):
        return Reach(unrestricted=True)


def seed_summaries(cities: list[tuple[int, int, int]], years: list[int]) -> int:
    """Replace the field_days summary rows with a nation's worth: `cities` are (l1, l2, l3) triples.

    Counts are deterministic and vary by city and month (a pseudo-random spread, not a constant),
    so the sums the dashboard reads are realistic. Bench databases only.
    """
    SummaryCount.objects.filter(metric=METRIC).delete()
    rows = []
    kinds = [k for k, _ in FieldStay.Kind.choices]
    statuses = [s for s, _ in FieldStay.Status.choices]
    for l1, l2, l3 in cities:
        for year in years:
            for m in range(1, 13):
                for ki, kind in enumerate(kinds):
                    for si, status in enumerate(statuses):
                        stays = 5 + (l3 * 7 + m * 13 + ki * 3 + si) % 40
                        rows.append(SummaryCount(metric=METRIC, period=date(year, m, 1), category=kind, status=status,
                                                 l1=l1, l2=l2, l3=l3, count=stays, total=stays * (3 + ki)))
    SummaryCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def timed(fn, repeat: int) -> tuple[list[float], object]:
    """Warm up once, then `repeat` timed runs; (sorted milliseconds, last result)."""
    result = fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return sorted(samples), result


def measure_field_days(units: dict, *, year: int, repeat: int = 30) -> dict:
    """{reach: (sorted ms samples, result rows)} of field days by month in `year`; `units` maps
    'national' / 'province' / 'city' to None or a Federation."""
    user, start, end = Nation(), date(year, 1, 1), date(year, 12, 31)
    return {key: timed(lambda unit=unit: queries.field_days_by_month(user, unit, start, end), repeat)
            for key, unit in units.items()}
