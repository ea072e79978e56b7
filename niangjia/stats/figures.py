"""Every rolled-up count (PRODUCT.md §11) for a subtree and a span of months, read in one place.

City grain and above read the summary rows (one query for all metrics); county and below read
each metric's fact rows through the ancestor-column indexes, as the rollup sources describe them.
Both answer the same numbers: the summary rows are exactly GROUP BYs of those facts.
"""

from datetime import date

from niangjia.core import metrics as core_metrics
from niangjia.core.access import reach_within
from niangjia.core.errors import NotFound, ValidationFailed
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
    """{metric: {"n": count, "t": total}} over whole months from start's to end's (each metric's headline:
    the statuses it counts, `Metric.counted`)."""
    if not metrics:
        return {}
    reach = reach_within(user, unit)
    out = {m: {"n": 0, "t": 0} for m in metrics}
    if from_summaries(reach):  # every metric in one query over the summary rows
        wanted = {m: rollup.SOURCES[m].headline() or None for m in metrics}  # each figure's headline
        for m, rows in core_metrics.read(wanted, reach=reach, start=start, end=end).items():
            out[m] = {"n": rows[0]["n"], "t": rows[0]["t"]}
        return out
    for m in metrics:
        source = rollup.SOURCES[m]
        for r in source.counts(user, unit=unit, start=start, end=end, where=source.headline(), summaries=False):
            out[m] = {"n": r["n"], "t": r["t"]}
    return out


def breakdown(user, *, unit, start: date, end: date, metric: str) -> list[dict]:
    """One metric by month, category and status: rows {period, category, status, n, t}."""
    use = from_summaries(reach_within(user, unit))
    return rollup.SOURCES[metric].counts(user, unit=unit, start=start, end=end, group=("period", "category", "status"),
                                         summaries=use)


def by_child(user, *, unit, start: date, end: date, metric: str) -> list[dict]:
    """One metric's headline per direct child of `unit` (its own rows as unit None): rows {unit_id, n, t}."""
    level = unit.level + 1
    if level > 6:
        return []
    use = from_summaries(reach_within(user, unit), level)
    source = rollup.SOURCES[metric]
    rows = source.counts(user, unit=unit, start=start, end=end, group=(f"l{level}",), where=source.headline(),
                         summaries=use)
    return [{"unit_id": r[f"l{level}"] or None, "n": r["n"] or 0, "t": r["t"] or 0} for r in rows]


def year_before(day: date) -> date:
    """The same day a year earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


SORTS = {"n": lambda c: (-c["n"], c["name"]), "name": lambda c: (c["code"], c["name"]),
         "change": lambda c: (-(c["change"] if c["change"] is not None else -10 ** 12), c["name"]),
         "-n": lambda c: (c["n"], c["name"])}


def named_children(user, *, unit, start: date, end: date, metric: str, sort: str = "n") -> list[dict]:
    """by_child with names, every active child in the user's reach included (zeros too), beside the same
    months a year before: rows {id, name, code, n, t, total, prior, change}; sorted by count (`n`, the
    default), fewest first (`-n`), by code (`name`) or by the change on last year (`change`)."""
    from niangjia.org.queries import federations_for

    rows = {r["unit_id"]: r for r in by_child(user, unit=unit, start=start, end=end, metric=metric)}
    before = {r["unit_id"]: r["n"] for r in by_child(user, unit=unit, start=year_before(start),
                                                      end=year_before(end), metric=metric)}
    kids = list(federations_for(user).filter(parent=unit, is_active=True).values_list("pk", "name", "code"))
    named = {pk: (name, code) for pk, name, code in kids}
    extra = [i for i in rows if i and i not in named]  # rows of a unit since moved or deactivated
    if extra:
        named.update({pk: (name, code) for pk, name, code in
                      federations_for(user).filter(pk__in=extra).values_list("pk", "name", "code")})
    fig = catalogue.figure(metric)
    out = []
    for pk in [*named, *([None] if None in rows or None in before else [])]:
        r = rows.get(pk, {"n": 0, "t": 0})
        name, code = named.get(pk, ("（已停用或调整的组织）", "")) if pk else (f"{unit.name}（本级）", "")
        prior = before.get(pk, 0)
        out.append({"id": pk, "name": name, "code": code, "n": r["n"], "t": r["t"],
                    "total": fig.total_text(r["n"], r["t"]), "prior": prior, "change": r["n"] - prior})
    return sorted(out, key=SORTS.get(sort, SORTS["n"]))


def pilot_units(user, pilot) -> list:
    """A pilot's member federations in the caller's reach, a member under another member left out (so
    nothing counts twice), in code order."""
    from niangjia.org.queries import federations_for

    from .coverage import units_for

    ids = [g.id for g in units_for(user, unit=None, pilot=pilot)]
    return list(federations_for(user).filter(pk__in=ids).order_by("code"))


def pilot_totals(user, *, units: list, start: date, end: date, metrics: list[str]) -> dict[str, dict]:
    """`totals` over a pilot's members (disjoint subtrees, so their sums add up)."""
    out = {m: {"n": 0, "t": 0} for m in metrics}
    for u in units:
        for m, v in totals(user, unit=u, start=start, end=end, metrics=metrics).items():
            out[m]["n"] += v["n"]
            out[m]["t"] += v["t"]
    return out


def pilot_members(user, *, units: list, start: date, end: date, metric: str, sort: str = "n") -> list[dict]:
    """The pilot's members side by side (zeros too) beside the same months last year, as named_children."""
    fig = catalogue.figure(metric)
    out = []
    for u in units:
        now = totals(user, unit=u, start=start, end=end, metrics=[metric])[metric]
        prior = totals(user, unit=u, start=year_before(start), end=year_before(end), metrics=[metric])[metric]["n"]
        out.append({"id": u.pk, "name": u.name, "code": u.code, "n": now["n"], "t": now["t"],
                    "total": fig.total_text(now["n"], now["t"]), "prior": prior, "change": now["n"] - prior})
    return sorted(out, key=SORTS.get(sort, SORTS["n"]))


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


def pivot_source(user, *, unit, pilot_members: list | None, start: date, end: date, metric: str,
                 by: str) -> tuple[list[dict], list[tuple], str]:
    """A metric's rows for the pivot (stats.pivot): ({period, key, n, t}, the row labels in order, the
    key's title). By `unit`: the units below `unit` (or a pilot's members), zeros included, the unit's
    own records as its own row; by `category` (the headline statuses) or `status` (every status)."""
    from niangjia.org.queries import federations_for

    source = rollup.SOURCES[metric]
    fig = catalogue.figure(metric)
    where = source.headline() if by != "status" else {}
    if by == "unit":
        if pilot_members is not None:
            rows = [{**r, "key": m.pk} for m in pilot_members
                    for r in source.counts(user, unit=m, start=start, end=end, group=("period",), where=where,
                                           summaries=from_summaries(reach_within(user, m)))]
            return rows, [(m.pk, m.name) for m in pilot_members], "试点成员"
        level = unit.level + 1
        if level > 6:
            return [], [], "下级组织"
        rows = source.counts(user, unit=unit, start=start, end=end, group=("period", f"l{level}"), where=where,
                             summaries=from_summaries(reach_within(user, unit), level))
        kids = list(federations_for(user).filter(parent=unit, is_active=True).order_by("code")
                    .values_list("pk", "name"))
        rows = [{**r, "key": r[f"l{level}"] or None} for r in rows]
        own = [(None, f"{unit.name}（本级）")] if any(r["key"] is None for r in rows) else []
        known = {pk for pk, _ in kids}
        extra = {r["key"] for r in rows if r["key"] is not None and r["key"] not in known}  # since moved or retired
        gone = list(federations_for(user).filter(pk__in=extra).values_list("pk", "name")) if extra else []
        return rows, [*kids, *gone, *own], "下级组织"
    units = pilot_members if pilot_members is not None else [unit]
    rows = [{**r, "key": r[by]} for u in units
            for r in source.counts(user, unit=u, start=start, end=end, group=("period", by), where=where,
                                   summaries=from_summaries(reach_within(user, u)))]
    return rows, list(catalogue.code_labels(fig, by).items()), fig.category_title if by == "category" else "状态"


def pivot_for(user, *, metric: str, by: str, grain: str, unit, pilot, start: date, end: date,
              value: str = "n") -> dict:
    """One figure as a pivot table for the caller's reach (stats.pivot.table), with what it shows."""
    from . import pivot

    fig = figure_for(user, metric)
    if by not in pivot.ROWS or grain not in pivot.COLUMNS or value not in ("n", "t"):
        raise ValidationFailed("透视表的行、列或数值不正确", fields={"rows": "unit/category/status",
                                                             "cols": "month/quarter/year", "value": "n/t"})
    members = pilot_units(user, pilot) if pilot is not None else None
    parent = children_parent(user, unit) if by == "unit" and members is None else unit
    if by == "unit" and members is None and parent is None:
        raise ValidationFailed("按下级组织透视时请选择组织", fields={"unit": "必填"})
    rows, labels, title = pivot_source(user, unit=parent, pilot_members=members, start=start, end=end, metric=metric,
                                       by=by)
    out = pivot.table(rows, key="key", grain=grain, start=start, end=end, labels=labels, value=value)
    return {**out, "figure": fig, "row_title": title, "unit": parent, "pilot": pilot,
            "value_label": (fig.total_label or "合计") if value == "t" else f"{fig.label}（{fig.noun}）"}
