"""Rebuild summary rows (core.SummaryCount) from their fact rows, for bulk loads and repair.

Writing services keep summaries current as they write (core.metrics.Metric.move). A bulk
load skips the bumps and calls `rebuild` once; so does an operator who suspects drift. A
rebuild is one DELETE and one INSERT ... SELECT ... GROUP BY at city grain in a single
transaction, and it yields exactly the rows the bumps would have: month of the fact's date,
its category and status ('' when the metric has none), l1/l2/l3 with 0 for a missing level,
count(*) and the sum of the metric's quantity.
"""

from django.apps import apps
from django.db import connection, transaction

from niangjia.core import metrics, summaries
from niangjia.core.models import SummaryCount

SOURCES = metrics.REGISTRY  # every metric's facts, as its app declared them (core.metrics)


def registered_metrics() -> list[str]:
    return sorted(SOURCES)


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    raise NotImplementedError(f"rollup has no month expression for {connection.vendor}")


def rebuild_sql(metric: str) -> tuple[str, list]:
    """The INSERT ... SELECT ... GROUP BY that recomputes one metric's rows."""
    src = SOURCES[metric]
    model = apps.get_model(src.model)
    qn = connection.ops.quote_name
    cols = {f.name: qn(f.column) for f in model._meta.concrete_fields}
    month = _month(cols[src.date_field])
    category = f"COALESCE({cols[src.category_field]}, '')" if src.category_field else ""
    status = f"COALESCE({cols[src.status_field]}, '')" if src.status_field else ""
    levels = [f"COALESCE({cols[f'l{n}']}, 0)" for n in (1, 2, 3)]
    # PostgreSQL refuses a constant in GROUP BY, so only real expressions are grouped on.
    group = [month, *(e for e in (category, status) if e), *levels]
    empty = "''"
    table = SummaryCount._meta.db_table
    sql = (
        f"INSERT INTO {qn(table)} (metric, period, category, status, l1, l2, l3, count, total) "
        f"SELECT %s, {month}, {category or empty}, {status or empty}, {', '.join(levels)}, COUNT(*), "
        f"COALESCE(SUM({src.total.format(**cols)}), 0) "
        f"FROM {qn(model._meta.db_table)} GROUP BY {', '.join(group)}"
    )
    return sql, [metric]


def rebuild(metric: str) -> int:
    """Replace every summary row of `metric` with rows recomputed from the facts; returns the row count."""
    if metric not in SOURCES:
        raise KeyError(f"unknown metric {metric!r}; known: {', '.join(sorted(SOURCES))}")
    sql, params = rebuild_sql(metric)
    with transaction.atomic():
        SummaryCount.objects.filter(metric=metric).delete()
        with connection.cursor() as cur:
            cur.execute(sql, params)
        if metric in summaries.COARSE:
            rebuild_coarse(metric)
        return SummaryCount.objects.filter(metric=metric).count()


def rebuild_coarse(metric: str) -> None:
    """The province-grain rows of `metric` (core.summaries.COARSE), summed from its city rows."""
    table = connection.ops.quote_name(SummaryCount._meta.db_table)
    coarse = summaries.coarse_name(metric)
    SummaryCount.objects.filter(metric=coarse).delete()
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (metric, period, category, status, l1, l2, l3, count, total) "
                    f"SELECT %s, period, category, status, l1, l2, 0, SUM(count), SUM(total) FROM {table} "
                    f"WHERE metric = %s GROUP BY period, category, status, l1, l2", [coarse, metric])


def rebuild_all(metrics: list[str] | None = None) -> dict[str, int]:
    with transaction.atomic():
        return {m: rebuild(m) for m in (metrics or sorted(SOURCES))}
