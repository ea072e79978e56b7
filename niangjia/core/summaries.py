"""Summary counts at city grain, kept current by the writing services.

`bump` runs in the writer's transaction, so a count never disagrees with its facts.
Dashboards for national, province and city scopes read these rows; county and below read
fact rows directly through the ancestor-column indexes.
"""

from datetime import date

from django.db import connection
from django.db.models import Q

from .models import SummaryCount
from .periods import month_start
from .scope import Reach


def _key(metric: str, unit, day: date, category: str, status: str) -> dict:
    return {
        "metric": metric,
        "period": month_start(day),
        "category": category or "",
        "status": status or "",
        "l1": unit.l1 or 0,
        "l2": unit.l2 or 0,
        "l3": unit.l3 or 0,
    }


def bump(metric: str, unit, day: date, *, category: str = "", status: str = "", count: int = 1, total: int = 0) -> None:
    """Add to one summary row (an upsert), inside the caller's transaction (one statement: no savepoint).

    New code declares a core.metrics.Metric and moves it with `Metric.move`, which nets and batches."""
    key = _key(metric, unit, day, category, status)
    table = SummaryCount._meta.db_table
    cols = ["metric", "period", "category", "status", "l1", "l2", "l3", "count", "total"]
    params = [key[c] for c in cols[:7]] + [count, total]
    sql = (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
        f"ON CONFLICT (metric, period, category, status, l1, l2, l3) DO UPDATE SET "
        f"count = {table}.count + excluded.count, total = {table}.total + excluded.total"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)


GRAIN_LEVEL = 3  # summary rows keep l1–l3: national, province, city


def covers(reach: Reach, group_level: int = 0) -> bool:
    """Whether summary rows can answer for `reach` (every subtree city or above), grouped by
    `l<group_level>` when given; county and below read fact rows instead."""
    return (reach.unrestricted or all(s.level <= GRAIN_LEVEL for s in reach.subtrees)) and group_level <= GRAIN_LEVEL


def reach_summary_q(reach: Reach) -> Q:
    """Summary rows inside a reach; only levels 1-3 are kept at this grain."""
    if reach.unrestricted:
        return Q()
    q = Q()
    for s in reach.subtrees:
        if s.level > GRAIN_LEVEL:
            raise ValueError("summary rows hold city grain; read facts for county and below")
        q |= Q(**{f"l{s.level}": s.unit_id})
    return q if reach.subtrees else Q(pk__in=[])
