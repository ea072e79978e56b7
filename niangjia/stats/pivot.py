"""A figure as a pivot table (数据透视): rows by units below, category or status; columns by month, quarter
or year. Pure: it shapes rows a metric already answered (stats.figures), no I/O.

Every column of the span is shown (zeros too) and every row the caller names (a unit below with
nothing is a row of zeros), so a statistician reads gaps as gaps, not as missing rows.
"""

from datetime import date

from niangjia.core.periods import period_of, periods_between

ROWS = {"unit": "下级组织", "category": "类别", "status": "状态"}
COLUMNS = {"month": "月", "quarter": "季度", "year": "年"}


def column_label(start: date, grain: str) -> str:
    """'2026-03', '2026年第1季度' or '2026年' for the period of `grain` starting on `start`."""
    if grain == "month":
        return f"{start:%Y-%m}"
    if grain == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年"


def columns(start: date, end: date, grain: str) -> list[tuple[date, str]]:
    """Every period of `grain` touching [start, end] as (its first day, its label), in order."""
    if grain not in COLUMNS:
        raise ValueError(f"unknown column grain {grain!r}")
    return [(p.start, column_label(p.start, grain)) for p in periods_between(start, end, grain)]


def table(rows: list[dict], *, key: str, grain: str, start: date, end: date,
          labels: list[tuple[object, str]], value: str = "n") -> dict:
    """The pivot of `rows` ({period: a month's first day, <key>: row key, n, t}).

    `labels` are the rows to show, in order, as (row key, label); a key seen in `rows` but not named is
    added after them under its own key (so nothing counted is dropped from the totals). Returns
    {"columns": [label], "rows": [{"key", "label", "cells": [..], "total"}], "totals": [..], "grand"}."""
    cols = columns(start, end, grain)
    index = {c: i for i, (c, _) in enumerate(cols)}
    named = dict(labels)
    order = [k for k, _ in labels] + sorted({r[key] for r in rows if r[key] not in named}, key=str)
    cells = {k: [0] * len(cols) for k in order}
    for r in rows:
        col = index.get(period_of(r["period"], grain).start)
        if col is not None:
            cells[r[key]][col] += r[value] or 0
    out = [{"key": k, "label": named.get(k, str(k) if k not in (None, "") else "（未分类）"), "cells": cells[k],
            "total": sum(cells[k])} for k in order]
    totals = [sum(r["cells"][i] for r in out) for i in range(len(cols))]
    return {"columns": [label for _, label in cols], "rows": out, "totals": totals, "grand": sum(totals)}


def clean_config(raw: dict) -> dict:
    """A saved view's settings, only the known keys, as strings (checked again when the view is opened)."""
    keys = ("metric", "rows", "cols", "unit", "pilot", "start", "end", "value")
    return {k: str(raw[k]) for k in keys if raw.get(k) not in (None, "")}
