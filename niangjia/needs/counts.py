"""Counts of the needs ledger and its service orders, scoped (the ledger's header and charts, GET /needs/counts).

A reach at city level or above reads the city-grain summary rows the services keep current
(metrics `need` category × status, `need_channel` channel × status, `need_overdue` escalations by
category, `service_order` category × status): one grouped query each, whatever the size of the
subtree. A county and below count the fact rows through the ancestor-column indexes. The live
figure "overdue now" (open and past the deadline) always comes from the rows, through the
(status, deadline) index: it changes with the clock, so no summary can hold it.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from niangjia.core.access import scoped
from niangjia.core.scope import in_subtree

from . import metrics, rules
from .models import Category, Need, ServiceOrder
from .queries import overdue_q, summary_reach

Pairs = dict[tuple, int]


def count_tables(user, unit=None) -> tuple[dict[str, Pairs], bool]:
    """({need, channel, escalated, orders}: {(key, status): n}, read from summaries?) for the user's reach
    or the subtree under `unit` (which the caller has already fetched through the user's reach)."""
    use = summary_reach(user, unit) is not None
    return {"need": metrics.NEED.pairs(user, "category", "status", unit=unit, summaries=use),
            "channel": metrics.NEED_CHANNEL.pairs(user, "category", "status", unit=unit, summaries=use),
            "escalated": metrics.NEED_OVERDUE.pairs(user, "category", unit=unit, summaries=use),
            "orders": metrics.SERVICE_ORDER.pairs(user, "category", "status", unit=unit, summaries=use)}, use


def _sum_by(pairs: Pairs, index: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, n in pairs.items():
        out[key[index]] = out.get(key[index], 0) + n
    return out


def _labelled(got: dict[str, int], choices) -> list[dict]:
    return [{"key": k, "label": str(label), "n": got.get(k, 0)} for k, label in choices]


def overdue_now(user, unit=None, now: datetime | None = None) -> int:
    """Open needs past their deadline right now (from the rows: it moves with the clock)."""
    return in_subtree(scoped(Need.objects.filter(overdue_q(now)), user), unit).count()


def counts_for(user, *, unit=None, now: datetime | None = None) -> dict:
    """Needs by category, status and channel (with the open ones per channel), escalations by category,
    overdue now, and service orders by category and status, in the user's reach or under `unit`."""
    tables, from_summaries = count_tables(user, unit)
    by_status = _sum_by(tables["need"], 1)
    channel_open: dict[str, int] = {}
    for (channel, status), n in tables["channel"].items():
        if status in rules.OPEN:
            channel_open[channel] = channel_open.get(channel, 0) + n
    by_channel = _labelled(_sum_by(tables["channel"], 0), Need.Channel.choices)
    for row in by_channel:
        row["open"] = channel_open.get(row["key"], 0)
    order_status = _sum_by(tables["orders"], 1)
    return {
        "total": sum(by_status.values()),
        "open": sum(by_status.get(s, 0) for s in rules.OPEN),
        "overdue": overdue_now(user, unit, now),
        "escalated": sum(tables["escalated"].values()),
        "by_category": _labelled(_sum_by(tables["need"], 0), Category.choices),
        "by_status": _labelled(by_status, Need.Status.choices),
        "by_channel": by_channel,
        "escalated_by_category": _labelled(_sum_by(tables["escalated"], 0), Category.choices),
        "by_category_status": [{"category": c, "status": s, "n": n} for (c, s), n in sorted(tables["need"].items())],
        "orders": {"total": sum(order_status.values()),
                   "by_status": _labelled(order_status, ServiceOrder.Status.choices),
                   "by_category": _labelled(_sum_by(tables["orders"], 0), Category.choices)},
        "from_summaries": from_summaries,
    }


def status_table(c: dict) -> dict[str, dict[str, int]]:
    """{category: {status: n}} of counts_for's result (the ledger's chart and table)."""
    table: dict[str, dict[str, int]] = {}
    for r in c["by_category_status"]:
        table.setdefault(r["category"], {})[r["status"]] = r["n"]
    return table


def channel_chart_option(c: dict) -> dict:
    """An ECharts horizontal bar: needs per channel, open ones apart; escalations by category beside."""
    rows = [r for r in c["by_channel"] if r["n"]]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [r["label"] for r in rows], "inverse": True},
        "series": [{"name": _("未办结"), "type": "bar", "stack": "n", "data": [r["open"] for r in rows]},
                   {"name": _("已办结/转介/关闭"), "type": "bar", "stack": "n", "data": [r["n"] - r["open"] for r in rows]}],
    }


def overdue_chart_option(c: dict) -> dict:
    """An ECharts bar: needs escalated for being overdue, by category."""
    rows = [r for r in c["escalated_by_category"] if r["n"]]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 8, "bottom": 8, "top": 16, "containLabel": True},
        "xAxis": {"type": "category", "data": [r["label"] for r in rows], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": _("超期上报"), "type": "bar", "data": [r["n"] for r in rows], "itemStyle": {"color": "#c0392b"}}],
    }
