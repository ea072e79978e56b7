"""Every rolled-up count (PRODUCT.md §11) for a subtree and a span of months, read in one place.

City grain and above read the summary rows (one query for all metrics); county and below read
each metric's fact rows through the ancestor-column indexes, as the rollup sources describe them.
Both answer the same numbers: the summary rows are exactly GROUP BYs of those facts.
"""

from datetime import date

from niangjia.core import metrics as core_metrics
from niangjia.core.access import reach_within
from niangjia.core.errors import NotFound
from niangjia.core.periods import month_end
from niangjia.core.roles import require
from niangjia.core.summaries import covers

from . import catalogue, rollup

from_summaries = covers  # the tests swap this to force the fact rows


def figure_for(user, metric: str) -> catalogue.Figure:
    """A registered metric's figure, if the user may see it (404 unknown, 403 without its permission)."""
    if metric not in rollup.SOURCES:
        raise NotFound("没有这项统计")
    fig = catalogue.figure(metric)
    require(user, fig.perm)
    return fig


def children_parent(user, unit):
    """Whose children a figure's page splits by: the chosen unit, else the user's only top unit (or None)."""
    from niangjia.org.queries import tree_roots_for

    if unit is not None:
        return unit
    roots = tree_roots_for(user)
    return roots[0] if len(roots) == 1 else None


def totals(user, *, unit, start: date, end: date, metrics: list[str]) -> dict[str, dict]:
    """{metric: {"n": count, "t": total}} over whole months from start's to end's."""
    reach = reach_within(user, unit)
    out = {m: {"n": 0, "t": 0} for m in metrics}
    if from_summaries(reach):  # every metric in one query over the summary rows
        for m, rows in core_metrics.read(dict.fromkeys(metrics), reach=reach, start=start, end=end).items():
            out[m] = {"n": rows[0]["n"], "t": rows[0]["t"]}
        return out
    for m in metrics:
        for r in rollup.SOURCES[m].counts(user, unit=unit, start=start, end=end, summaries=False):
            out[m] = {"n": r["n"], "t": r["t"]}
    return out


def breakdown(user, *, unit, start: date, end: date, metric: str) -> list[dict]:
    """One metric by month, category and status: rows {period, category, status, n, t}."""
    use = from_summaries(reach_within(user, unit))
    return rollup.SOURCES[metric].counts(user, unit=unit, start=start, end=end, group=("period", "category", "status"),
                                         summaries=use)


def by_child(user, *, unit, start: date, end: date, metric: str) -> list[dict]:
    """One metric per direct child of `unit` (its own rows as unit None): rows {unit_id, n, t}."""
    level = unit.level + 1
    if level > 6:
        return []
    use = from_summaries(reach_within(user, unit), level)
    rows = rollup.SOURCES[metric].counts(user, unit=unit, start=start, end=end, group=(f"l{level}",), summaries=use)
    return [{"unit_id": r[f"l{level}"] or None, "n": r["n"] or 0, "t": r["t"] or 0} for r in rows]


def named_children(user, *, unit, start: date, end: date, metric: str) -> list[dict]:
    """by_child with names, largest first: rows {id, name, n, t, total} (total as the catalogue shows it)."""
    from niangjia.org.queries import federations_for

    rows = by_child(user, unit=unit, start=start, end=end, metric=metric)
    names = dict(federations_for(user).filter(pk__in=[r["unit_id"] for r in rows if r["unit_id"]])
                 .values_list("pk", "name"))
    fig = catalogue.figure(metric)
    out = [{"id": r["unit_id"], "name": names.get(r["unit_id"], "（已停用或调整的组织）") if r["unit_id"]
            else f"{unit.name}（本级）", "n": r["n"], "t": r["t"], "total": fig.total_text(r["n"], r["t"])}
           for r in rows]
    return sorted(out, key=lambda c: (-c["n"], c["name"]))


EXPORT_HEADERS = ["组织范围", "起始月份", "截止月份", "领域", "指标", "数量", "单位", "合计", "合计的含义"]


def export_rows(user, unit):
    """`niangjia export figures`: every figure the user may see over the last twelve months."""
    from niangjia.core.roles import has_perm

    from .forms import default_months

    start, end = default_months()
    end = month_end(end)
    visible = [f for f in catalogue.figures_for(lambda p: has_perm(user, p)) if not f.view_of]
    sums = totals(user, unit=unit, start=start, end=end, metrics=[f.metric for f in visible])
    scope = unit.name if unit is not None else "全部管辖范围"
    return EXPORT_HEADERS, ([scope, f"{start:%Y-%m}", f"{end:%Y-%m}", f.area, f.label, sums[f.metric]["n"], f.noun,
                             f.total_text(**sums[f.metric]), f.total_label] for f in visible)
