"""Keyset (cursor) pagination: a page costs the same on page 1 and page 10,000.

The cursor is the sort key of the last row, opaque to clients (base64 JSON). A list given as a
`Listing` (its query as a function of the reach and plain values) compiles its page's SQL once per
shape and runs it again with new values (core.prepared): the ORM's fixed cost of a page then stays
near the hand-written statement's (issue 16).
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from . import prepared
from .errors import ValidationFailed
from .scope import Reach

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


@dataclass(frozen=True)
class Listing:
    """A list's query as `build(reach, **values)`: the reach already decided by core.access (the caller's
    or a unit's subtree inside it), the values plain (ids, codes, dates; None or '' for an absent filter).
    `build` reads nothing else, so its SQL is compiled once per shape (core.prepared)."""

    name: str
    build: Callable[..., QuerySet]
    reach: Reach
    values: dict = dataclass_field(default_factory=dict)

    def queryset(self) -> QuerySet:
        """The same rows as a queryset (exports, counts, anything but a page)."""
        return self.build(self.reach, **self.values)


def _listing_rows(listing: Listing, order: tuple[str, ...], after: list | None, limit: int) -> list:
    cursor = {f"cursor_{i}": v for i, v in enumerate(after or ())}

    def build(**values):
        reach, rest = prepared.reach_from_values(values)
        qs = listing.build(reach, **{k: rest[k] for k in listing.values}).order_by(*order)
        if after is not None:
            qs = qs.filter(_after(order, [rest[f"cursor_{i}"] for i in range(len(order))]))
        return qs[: limit + 1]

    name = f"{listing.name}:page:{','.join(order)}:{limit}:{'after' if after is not None else 'first'}"
    return prepared.rows(name, build, {**prepared.reach_values(listing.reach), **listing.values, **cursor})


def keyset_page(qs: "QuerySet | Listing", *, order: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """One page of `qs` sorted by `order` (which must end in a unique field, e.g. id)."""
    limit = max(1, min(int(limit or 50), MAX_LIMIT))
    after = None
    if cursor:
        after = _decode(cursor)
        if len(after) != len(order):
            raise ValidationFailed(_("分页游标无效"), fields={"cursor": _("无效")})
    if isinstance(qs, Listing):
        rows = _listing_rows(qs, order, after, limit)
    else:
        qs = qs.order_by(*order)
        if after is not None:
            qs = qs.filter(_after(order, after))
        rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode([getattr(last, f.lstrip("-")) for f in order])
    return Page(rows, next_cursor, limit)
