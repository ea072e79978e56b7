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
    """Add to one summary row (an upsert), inside the caller's transaction (one statement: no savepoint);
    a metric with province-grain rows moves its province row in the same statement.

    New code declares a core.metrics.Metric and moves it with `Metric.move`, which nets and batches."""
    key = _key(metric, unit, day, category, status)
    table = SummaryCount._meta.db_table
    cols = ["metric", "period", "category", "status", "l1", "l2", "l3", "count", "total"]
    rows = [[key[c] for c in cols[:7]] + [count, total]]
    if metric in COARSE:
        rows.append([coarse_name(metric), *rows[0][1:6], 0, count, total])
    one = "(" + ", ".join(["%s"] * len(cols)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES {', '.join([one] * len(rows))} "
        f"ON CONFLICT (metric, period, category, status, l1, l2, l3) DO UPDATE SET "
        f"count = {table}.count + excluded.count, total = {table}.total + excluded.total"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [v for row in rows for v in row])


GRAIN_LEVEL = 3  # summary rows keep l1–l3: national, province, city
# Metrics that also keep rows at province grain (metric `<name>@l2`, l3 = 0), moved with their city rows:
# a national dashboard then sums a few thousand rows instead of tens of thousands (issue 16).
COARSE: set[str] = set()
COARSE_LEVEL = 2


def coarse_name(metric: str) -> str:
    return f"{metric}@l{COARSE_LEVEL}"


def grain_for(metric: str, reach: Reach, group_level: int = 0) -> str:
    """The metric name whose rows answer for `reach`: the province-grain rows when the metric keeps them and
    every subtree is a province or the nation (grouped no finer than by province), else the city rows."""
    if metric in COARSE and group_level <= COARSE_LEVEL and (
            reach.unrestricted or (reach.subtrees and all(s.level <= COARSE_LEVEL for s in reach.subtrees))):
        return coarse_name(metric)
    return metric


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
