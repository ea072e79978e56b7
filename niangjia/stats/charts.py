"""ECharts options built from dashboard rows (pure functions; the page draws them via app.js)."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from niangjia.core import charts

from .models import ActivityLog

CATEGORIES = dict(ActivityLog.Category.choices)
# the palette and the months of a chart are core's (fieldwork's charts use them too)
PALETTE, months_between = charts.PALETTE, charts.months_between


def category_color(code: str) -> str:
    """One colour per category, the same in every chart (its place among the categories, not among those
    that happen to have data): the pie's 走访 and the stacked bars' 走访 match."""
    order = list(CATEGORIES)
    return PALETTE[(order.index(code) if code in order else len(order)) % len(PALETTE)]


def _label(d: date) -> str:
    return f"{d.year}-{d.month:02d}"


def by_month_and_category(rows: list[dict], start: date, end: date, *, value: str = "n") -> dict:
    """A stacked bar per month, one series per category (value 'n' activities or 't' women reached)."""
    months = months_between(start, end)
    index = {m: i for i, m in enumerate(months)}
    cats = [c for c in CATEGORIES if any(r["category"] == c for r in rows)]
    series = []
    for cat in cats:
        data = [0] * len(months)
        for r in rows:
            if r["category"] == cat and r["period"] in index:
                data[index[r["period"]]] += r[value] or 0
        series.append({"name": CATEGORIES[cat], "type": "bar", "stack": "all", "data": data,
                       "itemStyle": {"color": category_color(cat)}})
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "bottom": 0},
        "grid": {"left": 40, "right": 12, "top": 16, "bottom": 56},
        "xAxis": {"type": "category", "data": [_label(m) for m in months]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": series,
    }


def totals_by_month(rows: list[dict], start: date, end: date) -> dict:
    """Activities (bars) and women reached (line) per month, on two axes."""
    months = months_between(start, end)
    index = {m: i for i, m in enumerate(months)}
    n, t = [0] * len(months), [0] * len(months)
    for r in rows:
        if r["period"] in index:
            n[index[r["period"]]] += r["n"] or 0
            t[index[r["period"]]] += r["t"] or 0
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 44, "right": 52, "top": 16, "bottom": 48},
        "xAxis": {"type": "category", "data": [_label(m) for m in months]},
        "yAxis": [{"type": "value", "name": _("活动"), "minInterval": 1}, {"type": "value", "name": pgettext("women reached", "人次")}],
        "series": [
            {"name": _("活动次数"), "type": "bar", "data": n},
            {"name": _("覆盖妇女人次"), "type": "line", "yAxisIndex": 1, "smooth": True, "data": t},
        ],
    }


def category_table(rows: list[dict]) -> list[dict]:
    """Totals per category, largest first: {code, name, n, t}."""
    acc: dict[str, dict] = {}
    for r in rows:
        a = acc.setdefault(r["category"], {"code": r["category"], "name": CATEGORIES.get(r["category"], r["category"]),
                                           "n": 0, "t": 0})
        a["n"] += r["n"] or 0
        a["t"] += r["t"] or 0
    return sorted(acc.values(), key=lambda a: (-a["n"], a["code"]))


def by_category_pie(table: list[dict]) -> dict:
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "item"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [{"type": "pie", "radius": ["35%", "65%"], "center": ["50%", "45%"],
                    "data": [{"name": a["name"], "value": a["n"], "itemStyle": {"color": category_color(a["code"])}}
                             for a in table]}],
    }


def month_table(rows: list[dict], start: date, end: date) -> list[dict]:
    """Per month: activities and women reached, for the table under the charts."""
    months = months_between(start, end)
    acc = {m: {"month": _label(m), "n": 0, "t": 0} for m in months}
    for r in rows:
        if r["period"] in acc:
            acc[r["period"]]["n"] += r["n"] or 0
            acc[r["period"]]["t"] += r["t"] or 0
    return list(acc.values())


def figure_months(rows: list[dict], start: date, end: date, labels: dict, *, total_label: str = "") -> dict:
    """One metric per month: bars stacked by category, and its total as a line when it has one."""
    months = months_between(start, end)
    index = {m: i for i, m in enumerate(months)}
    cats = sorted({r["category"] for r in rows}, key=lambda c: list(labels).index(c) if c in labels else len(labels))
    series, totals = [], [0] * len(months)
    for cat in cats:
        data = [0] * len(months)
        for r in rows:
            if r["category"] == cat and r["period"] in index:
                data[index[r["period"]]] += r["n"] or 0
        series.append({"name": labels.get(cat, cat) or _("合计"), "type": "bar", "stack": "n", "data": data})
    for r in rows:
        if r["period"] in index:
            totals[index[r["period"]]] += r["t"] or 0
    axes = [{"type": "value", "minInterval": 1}]
    if total_label:
        axes.append({"type": "value", "name": total_label})
        series.append({"name": total_label, "type": "line", "yAxisIndex": 1, "smooth": True, "data": totals})
    return {
        "color": PALETTE, "tooltip": {"trigger": "axis"}, "legend": {"type": "scroll", "bottom": 0},
        "grid": {"left": 40, "right": 48 if total_label else 12, "top": 24, "bottom": 56},
        "xAxis": {"type": "category", "data": [_label(m) for m in months]}, "yAxis": axes, "series": series,
    }


def bars(names: list[str], values: list[int], *, horizontal: bool = True) -> dict:
    """A plain bar chart, longest first (e.g. one bar per child federation)."""
    pairs = sorted(zip(names, values, strict=True), key=lambda p: p[1])
    cat_axis = {"type": "category", "data": [n for n, _ in pairs], "axisLabel": {"width": 90, "overflow": "truncate"}}
    val_axis = {"type": "value", "minInterval": 1}
    return {
        "color": PALETTE, "tooltip": {"trigger": "axis"},
        "grid": {"left": 100 if horizontal else 40, "right": 16, "top": 8, "bottom": 24, "containLabel": False},
        "xAxis": val_axis if horizontal else cat_axis, "yAxis": cat_axis if horizontal else val_axis,
        "series": [{"type": "bar", "data": [v for _, v in pairs]}],
    }
