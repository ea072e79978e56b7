"""Summary metrics, each declared once in the app that owns its facts: source, dimensions, words.

A `Metric` says where its facts live (model, date field, category and status fields, the SQL of
its total), what it means to a reader (label, area, nouns, who may see it), and does the two
things every metric needs:

- `move(obj, before=…, after=…)` moves its city-grain summary counts when a fact is created,
  changes dimension or goes away: the rows netted in Python and written as one multi-row upsert
  in the caller's transaction (no savepoint: one statement is atomic on its own);
- `counts(user, unit=…, group=…)` answers counts for any reach from the summary rows at city
  grain and above, from the fact rows through the ancestor-column indexes below (DESIGN.md, Scale).

`REGISTRY` is the list the rollup (`niangjia rollup --rebuild`), the figures pages and the exports
read; nothing else declares a metric.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import connection
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from . import prepared
from .access import Reach, reach_within, scoped
from .models import SummaryCount
from .periods import month_end, month_start
from .scope import in_subtree
from .summaries import COARSE, GRAIN_LEVEL, coarse_name, covers, grain_for, reach_summary_q

REGISTRY: dict[str, "Metric"] = {}
DIMENSIONS = ("period", "category", "status", "l1", "l2", "l3", "l4", "l5", "l6")


@dataclass(frozen=True)
class Delta:
    """One change to one summary row: its key and what to add."""

    metric: str
    period: date
    category: str
    status: str
    l1: int
    l2: int
    l3: int
    count: int = 1
    total: int = 0

    @property
    def key(self) -> tuple:
        return self.metric, self.period, self.category, self.status, self.l1, self.l2, self.l3


@dataclass(frozen=True)
class Metric:
    """A summary metric: its facts (`model` "app.Model", `date_field`, optional `category_field` and
    `status_field`, `total` as SQL over {field} placeholders) and its words for the figures pages."""

    name: str
    model: str
    date_field: str
    total: str = "0"
    category_field: str | None = None
    status_field: str | None = None
    # the words (stats' figures pages and exports)
    label: str = ""
    area: str = _("其他")
    noun: str = _("条")
    total_label: str = ""  # what the metric's sum means ("" when it has none)
    perm: str = "stats.view"
    category_title: str = _("类别")
    status_title: str = _("状态")
    labels: dict = field(default_factory=dict, compare=False)  # category/status codes without model choices
    view_of: str = ""  # the same facts by another category (shown from that metric's page, not as a card)
    mean: bool = False  # the total is a sum of scores: show total / count
    total_of: Callable | None = field(default=None, compare=False)  # the total of one fact, in Python
    # the statuses the figure counts (() = every status): a planned or cancelled stay, a withdrawn piece of
    # evidence is a row of the metric but not a stay made or evidence recorded, on every page alike
    counted: tuple = ()
    counted_label: str = ""  # what the headline counts, said beside it ("只计已完成")
    coarse: bool = False  # also keep province-grain rows (core.summaries.COARSE) for national dashboards

    @property
    def metric(self) -> str:  # the figures pages' templates name it so
        return self.name

    def headline(self) -> dict:
        """The `where` of the figure's headline (what every page counts as this figure)."""
        return {"status": list(self.counted)} if self.counted else {}

    def headline_q(self) -> Q:
        """The same, over summary rows (for a query reading several metrics at once)."""
        return Q(metric=self.name, **({"status__in": list(self.counted)} if self.counted else {}))

    def total_value(self, n: int, t: int):
        """The total as a number for a spreadsheet (None when there is none)."""
        if not self.total_label or (self.mean and not n):
            return None
        return round(t / n, 1) if self.mean else t

    def total_text(self, n: int, t: int) -> str:
        if not self.total_label:
            return ""
        return f"{t / n:.1f}" if self.mean and n else ("—" if self.mean else str(t))

    # ------------------------------------------------------------ writing

    def add(self, place, day: date, *, category: str = "", status: str = "", count: int = 1, total: int = 0) -> Delta:
        """One row's change by explicit values (`place` carries the l1–l3 columns: a unit or a scoped row)."""
        return Delta(self.name, month_start(day), category or "", status or "", place.l1 or 0, place.l2 or 0,
                     place.l3 or 0, count, total)

    def values(self, obj, **over) -> dict:
        """The fact's dimensions as stored on `obj`, with `over` replacing some, by dimension (place, day,
        category, status, total) or by the model field behind one (e.g. an old `risk_level`), so one
        `before` serves several metrics over the same facts."""
        def pick(dim, field_name, default):
            if dim in over:
                return over[dim]
            if field_name and field_name in over:
                return over[field_name]
            return getattr(obj, field_name) if field_name else default

        return {"place": over.get("place", obj), "day": pick("day", self.date_field, None),
                "category": pick("category", self.category_field, ""), "status": pick("status", self.status_field, ""),
                "total": over["total"] if "total" in over else (self.total_of(obj) if self.total_of else 0)}

    def delta(self, obj, *, before: dict | None = None, after: dict | None = None, count: int = 1) -> list[Delta]:
        """The changes for one fact moving from `before` to `after`: each a dict of replaced dimensions
        ({} for the object as it is now), a copy of the fact as it was (read before an edit), or None for
        no row (a new or a removed fact)."""
        out = []
        for side, sign in ((before, -1), (after, 1)):
            if side is None:
                continue
            v = self.values(obj, **side) if isinstance(side, dict) else self.values(side)  # or the fact as it was
            out.append(self.add(v["place"], v["day"], category=v["category"], status=v["status"], count=sign * count,
                                total=sign * count * v["total"]))
        return out

    def move(self, obj, *, before: dict | None = None, after: dict | None = None, count: int = 1) -> None:
        """Move the counts of one fact (see `delta`) in one upsert; nothing is written when they cancel."""
        write(self.delta(obj, before=before, after=after, count=count))

    # ------------------------------------------------------------ reading

    def facts(self, user, unit=None, start: date | None = None, end: date | None = None):
        """The metric's fact rows in the user's reach (or under `unit`), optionally within whole months."""
        qs = apps.get_model(self.model)._base_manager.all()
        if start is not None:
            qs = qs.filter(**{f"{self.date_field}__gte": month_start(start)})
        if end is not None:
            qs = qs.filter(**{f"{self.date_field}__lte": month_end(end)})
        return in_subtree(scoped(qs, user), unit)

    def counts(self, user, *, unit=None, group: Iterable[str] = (), start: date | None = None,
               end: date | None = None, where: dict | None = None, summaries: bool | None = None) -> list[dict]:
        """Rows {<group dims>, n, t} for the user's reach or the subtree under `unit` (fetched by the caller
        through the user's reach). Dimensions: period, category, status, l1…l6; `where` filters on
        category/status (a value or a collection). Summary rows when they can answer (city grain and
        above, grouped at most by l3), else fact rows; `summaries` forces the choice."""
        group = tuple(group)
        unknown = set(group) - set(DIMENSIONS)
        if unknown:
            raise ValueError(f"unknown dimensions {sorted(unknown)}")
        level = max((int(g[1]) for g in group if g.startswith("l")), default=0)
        if summaries is None:
            summaries = covers(reach_within(user, unit), level)
        if summaries:
            return self._from_summaries(user, unit, group, start, end, where or {})
        return self._from_facts(user, unit, group, start, end, where or {})

    def _from_summaries(self, user, unit, group, start, end, where) -> list[dict]:
        return _summary_rows(reach_within(user, unit), {self.name: where}, group, start, end)[self.name]

    def _from_facts(self, user, unit, group, start, end, where) -> list[dict]:
        names = {"category": self.category_field, "status": self.status_field}
        qs = self.facts(user, unit, start, end).filter(_where(where, names))
        fields, renames = [], {}
        for g in group:
            if g == "period":
                qs = qs.annotate(_period=TruncMonth(self.date_field))
                fields.append("_period")
                renames["_period"] = "period"
            elif g in names:
                if names[g]:
                    fields.append(names[g])
                    renames[names[g]] = g
            else:
                fields.append(g)
        if not fields:
            r = qs.aggregate(n=Count("pk"), t=self._total_expr())
            return [{**{g: "" for g in group}, "n": r["n"] or 0, "t": r["t"] or 0}]
        rows = qs.values(*fields).annotate(n=Count("pk"), t=self._total_expr()).order_by(*fields)
        out = []
        for r in rows:
            row = {renames.get(k, k): v for k, v in r.items()}
            for g in group:  # a dimension the metric does not have reads as '' (as the summary rows hold it)
                row.setdefault(g, "")
                if g in names and row[g] is None:
                    row[g] = ""
            if "period" in row and hasattr(row["period"], "date") and callable(row["period"].date):
                row["period"] = row["period"].date()
            row["t"] = row["t"] or 0
            out.append(row)
        return out

    def _total_expr(self):
        if self.total == "0":
            return Coalesce(Sum(RawSQL("0", [])), 0, output_field=IntegerField())
        model = apps.get_model(self.model)
        cols = {f.name: connection.ops.quote_name(f.column) for f in model._meta.concrete_fields}
        return Sum(RawSQL(self.total.format(**cols), []), output_field=IntegerField())

    def pairs(self, user, *group: str, unit=None, **kw) -> dict[tuple, int]:
        """{(dims…): count} of `counts` (zero counts left out): the shape the apps' tables use."""
        return {tuple(r[g] for g in group): r["n"] for r in self.counts(user, unit=unit, group=group, **kw) if r["n"]}


def read(wanted: Mapping[str, dict | None], user=None, *, unit=None, reach: Reach | None = None,
         group: Iterable[str] = (), start: date | None = None, end: date | None = None,
         summaries: bool | None = None) -> dict[str, list[dict]]:
    """Several metrics at once, each with its own `where` ({name: where or None}): {name: rows as
    `Metric.counts` gives them}. From the summary rows it is one GROUP BY over all of them (a dashboard
    of four figures costs one query); from the fact rows, one query per metric. `reach` (instead of a
    user) reads a known reach from the summary rows only (e.g. a unit's subtree chosen by the caller)."""
    group = tuple(group)
    if reach is None:
        reach = reach_within(user, unit)
    elif user is None and summaries is False:
        raise ValueError("fact rows are read through a user's reach: pass the user")
    level = max((int(g[1]) for g in group if g.startswith("l")), default=0)
    if summaries is None:
        summaries = covers(reach, level) if user is not None else True
    if summaries:
        return _summary_rows(reach, {n: where or {} for n, where in wanted.items()}, group, start, end)
    return {n: get(n).counts(user, unit=unit, group=group, start=start, end=end, where=where, summaries=False)
            for n, where in wanted.items()}


def _summary_rows(reach: Reach, wanted: dict[str, dict], group: tuple, start, end) -> dict[str, list[dict]]:
    """The summary rows of `wanted` metrics in `reach`, grouped by metric and `group`: one query."""
    unknown = set(group) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions {sorted(unknown)}")
    # the province-grain rows answer a national or province reach when the metric keeps them (grain_for)
    level = max((int(g[1:]) for g in group if re.fullmatch(r"l[1-6]", g)), default=0)
    stored = {grain_for(name, reach, level): name for name in wanted}

    def build(**values):  # reads the reach and window from its values, the rest from the shape's name
        within, v = prepared.reach_from_values(values)
        which = Q(pk__in=[])
        for stored_name, name in stored.items():
            which |= Q(metric=stored_name) & _where(wanted[name], {"category": "category", "status": "status"})
        qs = SummaryCount.objects.filter(which, reach_summary_q(within))
        if v["start"] is not None:
            qs = qs.filter(period__gte=v["start"])
        if v["end"] is not None:
            qs = qs.filter(period__lte=v["end"])
        return qs.values("metric", *group).annotate(n=Sum("count"), t=Sum("total")).order_by("metric", *group)

    # compiled once per shape: which metrics and filters, the grouping and the reach's levels (core.prepared)
    shape = repr((sorted(stored.items()), sorted((n, sorted(_frozen(w).items())) for n, w in wanted.items()), group))
    values = {**prepared.reach_values(reach), "start": month_start(start) if start is not None else None, "end": end}
    out: dict[str, list[dict]] = {name: [] for name in wanted}
    for r in prepared.rows(f"metrics.summary:{shape}", build, values):
        name = stored[r.pop("metric")]
        if r["n"] or r["t"] or not group:
            out[name].append({**r, "n": r["n"] or 0, "t": r["t"] or 0})
    for name in wanted:  # without a group every metric answers one row, zeros included
        if not group and not out[name]:
            out[name].append({"n": 0, "t": 0})
    return out


def _frozen(where: dict) -> dict:
    """A `where` with its collections as sorted tuples (part of a compiled shape's name)."""
    return {k: tuple(sorted(v)) if isinstance(v, (list, tuple, set, frozenset)) else v for k, v in where.items()}


def _where(where: dict, names: dict) -> Q:
    q = Q()
    for dim, value in where.items():
        column = names.get(dim)
        if column is None:  # the metric has no such dimension: only '' matches
            if (value if isinstance(value, (list, tuple, set, frozenset)) else [value]) == [""]:
                continue
            return Q(pk__in=[])
        if isinstance(value, (list, tuple, set, frozenset)):
            q &= Q(**{f"{column}__in": list(value)})
        else:
            q &= Q(**{column: value})
    return q


def register(metric: Metric) -> Metric:
    """Declare a metric (from its app's metrics module); declaring one name twice is an error."""
    old = REGISTRY.get(metric.name)
    if old is not None and old != metric:
        raise ValueError(f"metric {metric.name!r} declared twice")
    REGISTRY[metric.name] = metric
    if metric.coarse:
        COARSE.add(metric.name)
    return metric


def get(name: str) -> Metric:
    return REGISTRY[name]


def write(deltas: Iterable[Delta]) -> int:
    """Add every change to its summary row: netted by key, then one multi-row INSERT … ON CONFLICT
    DO UPDATE, inside the caller's transaction. Returns the number of rows written."""
    rows = netted(deltas)
    for i in range(0, len(rows), 500):  # SQLite caps the parameters of one statement
        _upsert(rows[i:i + 500])
    return len(rows)


def netted(deltas: Iterable[Delta]) -> list[tuple]:
    """The summary rows `write` upserts: (*key, count, total), netted by key, zero rows left out."""
    net: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for d in deltas:
        keys = [d.key]
        if d.metric in COARSE:  # its province row moves with its city row
            keys.append((coarse_name(d.metric), d.period, d.category, d.status, d.l1, d.l2, 0))
        for key in keys:
            acc = net[key]
            acc[0] += d.count
            acc[1] += d.total
    return [(*key, c, t) for key, (c, t) in net.items() if c or t]


def _upsert(rows: list[tuple]) -> None:
    table = SummaryCount._meta.db_table
    cols = ["metric", "period", "category", "status", "l1", "l2", "l3", "count", "total"]
    one = "(" + ", ".join(["%s"] * len(cols)) + ")"
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES {', '.join([one] * len(rows))} "
           f"ON CONFLICT (metric, period, category, status, l1, l2, l3) DO UPDATE SET "
           f"count = {table}.count + excluded.count, total = {table}.total + excluded.total")
    with connection.cursor() as cur:
        cur.execute(sql, [v for row in rows for v in row])


__all__ = ["DIMENSIONS", "GRAIN_LEVEL", "REGISTRY", "Delta", "Metric", "get", "read", "register", "write"]
