"""Keyset (cursor) pagination: a page costs the same on page 1 and page 10,000.

The cursor is the sort key of the last row, opaque to clients (base64 JSON).

A table partitioned by time (its model names the partition column in `partition_field`, core.partitions) read
newest first asks first for the rows of the last year before the page's start: PostgreSQL then plans and reads
only that year's partitions, so a page costs the same with 5 or 25 years of history; only when those rows do not
fill the page is the whole range asked (a small reach's sparse list: one more short query).
"""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import DateTimeField, Q, QuerySet
from django.utils.translation import gettext as _

from . import periods
from .errors import ValidationFailed

MAX_LIMIT = 200
RECENT_SPAN = timedelta(days=366)  # a time-partitioned list's page asks this far back first


@dataclass
class Page:
    items: list
    next_cursor: str | None
    limit: int


def _encode(values: list) -> str:
    def conv(v):
        if isinstance(v, datetime | date):
            return {"__d": v.isoformat(), "t": "dt" if isinstance(v, datetime) else "d"}
        return v

    raw = json.dumps([conv(v) for v in values], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, json.JSONDecodeError) as exc:
        raise ValidationFailed(_("分页游标无效"), fields={"cursor": _("无效")}) from exc

    def conv(v):
        if isinstance(v, dict) and "__d" in v:
            return datetime.fromisoformat(v["__d"]) if v["t"] == "dt" else date.fromisoformat(v["__d"])
        return v

    return [conv(v) for v in values]


def _after(order: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in `order` (each field ascending or '-' descending)."""
    q = Q()
    for i, field in enumerate(order):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{op}": values[i]})
        for prev, prev_value in zip(order[:i], values[:i], strict=False):
            step &= Q(**{prev.lstrip("-"): prev_value})
        q |= step
    return q


def _recent_bound(qs: QuerySet, order: tuple[str, ...], values: list | None):
    """(field, lower bound) for a page of a time-partitioned table read newest first, else None."""
    field = getattr(qs.model, "partition_field", None)
    if not field or order[0] != f"-{field}":
        return None
    if values:
        start = values[0]
    else:
        start = periods.now() if isinstance(qs.model._meta.get_field(field), DateTimeField) else periods.today()
    return field, start - RECENT_SPAN


def keyset_page(qs: QuerySet, *, order: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """One page of `qs` sorted by `order` (which must end in a unique field, e.g. id)."""
    limit = max(1, min(int(limit or 50), MAX_LIMIT))
    qs = qs.order_by(*order)
    values = None
    if cursor:
        values = _decode(cursor)
        if len(values) != len(order):
            raise ValidationFailed(_("分页游标无效"), fields={"cursor": _("无效")})
        qs = qs.filter(_after(order, values))
    recent = _recent_bound(qs, order, values)
    if recent is not None:
        page = _page(qs.filter(**{f"{recent[0]}__gte": recent[1]}), order, limit)
        if page.next_cursor is not None:  # a full page from the recent partitions is the page
            return page
    return _page(qs, order, limit)


def _page(qs: QuerySet, order: tuple[str, ...], limit: int) -> Page:
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode([getattr(last, f.lstrip("-")) for f in order])
    return Page(rows, next_cursor, limit)
