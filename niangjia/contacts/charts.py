"""ECharts option for contact events by month and channel (pure; app.js draws it)."""

from datetime import date

from .models import Channel

CHANNELS = dict(Channel.choices)
PALETTE = ["#b5223b", "#3d5a80", "#81b29a", "#e07a5f"]


def months_between(start: date, end: date) -> list[date]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def events_by_month_and_channel(rows: list[dict], start: date, end: date) -> dict:
    """A stacked bar per month, one series per channel, from rows {period, channel, n}."""
    months = months_between(start, end)
    index = {m: i for i, m in enumerate(months)}
    series = []
    for code, name in CHANNELS.items():
        data = [0] * len(months)
        for r in rows:
            if r["channel"] == code and r["period"] in index:
                data[index[r["period"]]] += r["n"] or 0
        series.append({"name": name, "type": "bar", "stack": "all", "data": data})
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 36, "right": 8, "top": 16, "bottom": 56},
        "xAxis": {"type": "category", "data": [f"{m.year}-{m.month:02d}" for m in months]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": series,
    }
