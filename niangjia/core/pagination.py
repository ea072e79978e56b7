"""Keyset (cursor) pagination: a page costs the same on page 1 and page 10,000.

The cursor is the sort key of the last row, opaque to clients (base64 JSON). A list given as a
`Listing` (its query as a function of the reach and plain values) compiles its page's SQL once per
shape and runs it again with new values (core.prepared): the ORM's fixed cost of a page then stays
near the hand-written statement's (issue 16).

A table partitioned by time (its model names the partition column in `partition_field`, core.partitions) read
newest first asks first for the rows of the last year before the page's start: PostgreSQL then plans and reads
only that year's partitions, so a page costs the same with 5 or 25 years of history; only when those rows do not
fill the page is the whole range asked. A listing of a county's or a village's subtree (whose year may not fill a
page) asks the whole range at once: one statement.
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta

from django.db.models import DateTimeField, Q, QuerySet
from django.utils.translation import gettext as _

from . import periods, prepared
from .errors import ValidationFailed
from .scope import Reach

MAX_LIMIT = 200
RECENT_SPAN = timedelta(days=366)  # a time-partitioned list's page asks this far back first
WIDE_LEVEL = 3  # reaches at this level or above (national, province, city) ask the recent partitions first


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


_listing_models: dict = {}  # listing name → its model (for the partition field), found once


def _model_of(qs) -> type:
    if isinstance(qs, Listing):
        if qs.name not in _listing_models:
            _listing_models[qs.name] = qs.queryset().model
        return _listing_models[qs.name]
    return qs.model


def _wide(qs) -> bool:
    """A listing over national, province or city subtrees (their last year fills a page: a county's or a village's
    may not, and would pay a second statement), or a plain queryset (no reach known here)."""
    if not isinstance(qs, Listing):
        return True
    reach = qs.reach
    return reach.unrestricted or bool(reach.subtrees) and all(s.level <= WIDE_LEVEL for s in reach.subtrees)


def _recent_bound(qs, order: tuple[str, ...], after: list | None):
    """(field, lower bound) for a page of a time-partitioned table read newest first by a wide reach, else None."""
    model = _model_of(qs)
    field = getattr(model, "partition_field", None)
    if not field or order[0] != f"-{field}" or not _wide(qs):
        return None
    if after:
        start = after[0]
    else:
        start = periods.now() if isinstance(model._meta.get_field(field), DateTimeField) else periods.today()
    return field, start - RECENT_SPAN


def _listing_rows(listing: Listing, order: tuple[str, ...], after: list | None, limit: int, recent=None) -> list:
    cursor = {f"cursor_{i}": v for i, v in enumerate(after or ())}
    since = {"recent_since": recent[1]} if recent else {}

    def build(**values):
        reach, rest = prepared.reach_from_values(values)
        qs = listing.build(reach, **{k: rest[k] for k in listing.values}).order_by(*order)
        if after is not None:
            qs = qs.filter(_after(order, [rest[f"cursor_{i}"] for i in range(len(order))]))
        if recent:
            qs = qs.filter(**{f"{recent[0]}__gte": rest["recent_since"]})
        return qs[: limit + 1]

    name = (f"{listing.name}:page:{','.join(order)}:{limit}:{'after' if after is not None else 'first'}"
            f"{':recent' if recent else ''}")
    return prepared.rows(name, build, {**prepared.reach_values(listing.reach), **listing.values, **cursor, **since})


def _rows(qs: "QuerySet | Listing", order: tuple[str, ...], after: list | None, limit: int, recent=None) -> list:
    if isinstance(qs, Listing):
        return _listing_rows(qs, order, after, limit, recent)
    qs = qs.order_by(*order)
    if after is not None:
        qs = qs.filter(_after(order, after))
    if recent:
        qs = qs.filter(**{f"{recent[0]}__gte": recent[1]})
    return list(qs[: limit + 1])


def keyset_page(qs: "QuerySet | Listing", *, order: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """One page of `qs` sorted by `order` (which must end in a unique field, e.g. id)."""
    limit = max(1, min(int(limit or 50), MAX_LIMIT))
    after = None
    if cursor:
        after = _decode(cursor)
        if len(after) != len(order):
            raise ValidationFailed(_("分页游标无效"), fields={"cursor": _("无效")})
    recent = _recent_bound(qs, order, after)
    rows = _rows(qs, order, after, limit, recent) if recent else []
    if len(rows) <= limit:  # the last year did not fill the page (or the table is not partitioned by time)
        rows = _rows(qs, order, after, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode([getattr(last, f.lstrip("-")) for f in order])
    return Page(rows, next_cursor, limit)
