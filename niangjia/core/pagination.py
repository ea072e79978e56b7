"""Keyset (cursor) pagination: a page costs the same on page 1 and page 10,000.

The cursor is the sort key of the last row, opaque to clients (base64 JSON).
"""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .errors import ValidationFailed

MAX_LIMIT = 200


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


def keyset_page(qs: QuerySet, *, order: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """One page of `qs` sorted by `order` (which must end in a unique field, e.g. id)."""
    limit = max(1, min(int(limit or 50), MAX_LIMIT))
    qs = qs.order_by(*order)
    if cursor:
        values = _decode(cursor)
        if len(values) != len(order):
            raise ValidationFailed(_("分页游标无效"), fields={"cursor": _("无效")})
        qs = qs.filter(_after(order, values))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode([getattr(last, f.lstrip("-")) for f in order])
    return Page(rows, next_cursor, limit)
