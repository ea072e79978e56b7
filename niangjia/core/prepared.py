"""Queries compiled once per shape and run again with new values (issue 16: reads near the floor).

A list page or a dashboard asks the same question on every request with other values: the user's
subtree ids, a category, a window, a cursor. Building the queryset and compiling it to SQL costs the
ORM more than PostgreSQL takes to answer a small question. `rows(name, build, values)` builds
`build(**values)` and compiles it once per shape (per process), then runs the same statement with the
new values in the places of the old ones, and turns the rows into what the queryset itself would have
given: model instances (with their select_related rows), dicts for `.values()`, tuples for
`.values_list()`.

The shape is `name` plus every value that changes the statement's text: None, booleans, '', 0 and
tuples are part of the key (a filter present or not, the reach's levels); other ints, strings, dates and
datetimes are the statement's parameters. `build` must read nothing but its arguments, and may branch on
a value's truth (`if category:`) but never on which value it is (`if category == "visit"`): every value
of one type and truth shares the statement compiled first.

A shape is cached only after a check on its first call: the statement is compiled from the real values
and again from stand-ins of the same types that no code would produce by transforming a value (an
odd large number, a date that is not the first of a month, a string with capitals and a space). The
two texts must be the same, every stand-in must be found among the parameters, and putting the real
values where the stand-ins were must give back exactly the real statement's parameters. A value that
`build` transforms (month_start, strip, +1) is then not found, and that shape is never cached: it
compiles on every call, as before.
"""

import inspect
import threading
from collections.abc import Callable
from datetime import date, datetime

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from .scope import Reach, Subtree

MAX_SHAPES = 1000  # distinct shapes kept per process; past it, new shapes compile every time
_shapes: dict = {}
_lock = threading.Lock()
_REFUSED = object()  # a shape that failed the check: never cached
PLAIN = (int, str, date)  # datetime is a date


class Stats:
    """How often this process compiled a shape (tests count these: a warm call compiles nothing)."""

    compiles = 0


def _is_constant(value) -> bool:
    """Part of the shape rather than a parameter: every falsy value (None, '', 0, False) and anything not
    plain, so a builder may branch on a value's truth (`if category:`) but never on which value it is."""
    return not value or isinstance(value, bool) or not isinstance(value, PLAIN)


def _stand_in(value, i: int):
    if isinstance(value, datetime):
        return datetime(1001 + i, 2, 3, 4, 5, 6, tzinfo=value.tzinfo)
    if isinstance(value, date):
        return date(1001 + i, 2, 3)
    if isinstance(value, int):
        return 1_900_000_007 + 1000 * i
    return f"Nj stand-in {i} "


def _adapt(ops, value):
    """A value as the backend's lookups pass it (dates as text on SQLite)."""
    if isinstance(value, datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return ops.adapt_datefield_value(value)
    return value


def _maker(model, init_list: list):
    """A row → instance function doing what `Model.from_db` does (the row's fields set, the others deferred,
    the state "from the database"), without Model.__init__'s walk over every field: a 50-row page with its
    related rows costs a tenth. Only for plain models: no own __init__ or from_db, no pre_init/post_init
    receivers, every column behind Django's own field descriptor; else `from_db` itself."""
    plain = (model.__init__ is Model.__init__ and model.from_db.__func__ is Model.from_db.__func__
             and not pre_init.has_listeners(model) and not post_init.has_listeners(model)
             and all(type(inspect.getattr_static(model, name, None)) in (DeferredAttribute, ForeignKeyDeferredAttribute)
                     for name in init_list))
    if not plain:
        return lambda db, values: model.from_db(db, init_list, values)
    names, new = tuple(init_list), object.__new__

    def make(db, values):
        obj = new(model)
        state = obj._state = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    return make


class _Related:
    """One select_related row inside a row (Django's RelatedPopulator, built with the faster maker)."""

    def __init__(self, populator):
        self.p = populator
        self.make = _maker(populator.model_cls, populator.init_list)
        self.nested = [_Related(n) for n in populator.related_populators]

    def populate(self, row, from_obj, db) -> None:
        p = self.p
        data = p.reorder_for_init(row) if p.reorder_for_init else row[p.cols_start:p.cols_end]
        obj = None if data[p.pk_idx] is None else self.make(db, data)
        if obj is not None:
            for nested in self.nested:
                nested.populate(row, obj, db)
        p.local_setter(from_obj, obj)
        if obj is not None:
            p.remote_setter(obj, from_obj)


def _put(kind: type, value):
    """`value` in the wrapper type the backend gave its stand-in (Int8 for a bigint), else as it is."""
    return value if type(value) is kind else kind(value)


class _Shape:
    """One compiled statement: its text, parameters with the places of each value, and how to make rows."""

    def __init__(self, qs: QuerySet, compiler, sql: str, params: list, places: dict):
        self.sql, self.params, self.places = sql, params, places
        self.compiler = compiler
        self.query_model = qs.model
        self.iterable = qs._iterable_class
        query = compiler.query
        if self.iterable is ModelIterable:
            select, info = compiler.select, compiler.klass_info
            first, last = info["select_fields"][0], info["select_fields"][-1] + 1
            self.model, self.span = info["model"], (first, last)
            self.init_list = [f[0].target.attname for f in select[first:last]]
            self.make = _maker(self.model, self.init_list)
            self.populators = [_Related(p) for p in get_related_populators(info, select, qs.db)]
        else:
            # as ValuesIterable names the columns (Django 5.2: `selected` keeps the order values() asked for)
            self.names = list(query.selected) if query.selected else [
                *query.extra_select, *query.values_select, *query.annotation_select]
        self.converters = compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]])

    def run(self, cursor_db: str, ops, values: dict) -> list:
        params = list(self.params)
        for name, places in self.places.items():
            value = _adapt(ops, values[name])
            for i, kind in places:
                params[i] = _put(kind, value)
        with connections[cursor_db].cursor() as cur:
            cur.execute(self.sql, params)
            found = cur.fetchall()
        if self.converters:
            found = [tuple(r) for r in self.compiler.apply_converters(found, self.converters)]
        if self.iterable is ModelIterable:
            first, last = self.span
            out = []
            for row in found:
                obj = self.make(cursor_db, row[first:last])
                for populator in self.populators:
                    populator.populate(row, obj, cursor_db)
                out.append(obj)
            return out
        if self.iterable is ValuesIterable:
            return [dict(zip(self.names, row, strict=True)) for row in found]
        if self.iterable is FlatValuesListIterable:
            return [row[0] for row in found]
        return [tuple(row) for row in found]


def _plain_queryset(qs: QuerySet) -> bool:
    """What `_Shape` can turn rows into: no prefetching, no annotations on model rows, no extra iterables."""
    if qs._prefetch_related_lookups or qs._known_related_objects or qs.query.combinator:
        return False
    if qs._iterable_class is ModelIterable:
        return not qs.query.annotation_select and not qs.query.extra_select and qs._fields is None
    return qs._iterable_class in (ValuesIterable, ValuesListIterable, FlatValuesListIterable)


def _compile(name: str, build: Callable[..., QuerySet], values: dict, variable: dict):
    """The checked shape for these values, or _REFUSED; also the queryset built from the real values."""
    Stats.compiles += 1
    real_qs = build(**values)
    if not _plain_queryset(real_qs):
        return _REFUSED, real_qs
    connection = connections[real_qs.db]
    real = real_qs.query.get_compiler(using=real_qs.db)
    stand_ins = {k: _stand_in(v, i) for i, (k, v) in enumerate(sorted(variable.items()))}
    try:
        sql, params = real.as_sql()
        alt_qs = build(**{**values, **stand_ins})
        alt = alt_qs.query.get_compiler(using=alt_qs.db)
        alt_sql, alt_params = alt.as_sql()
    except Exception:  # e.g. EmptyResultSet, or a value used as a name: the queryset answers as it always did
        return _REFUSED, real_qs
    params, alt_params = list(params), list(alt_params)
    if sql != alt_sql or len(params) != len(alt_params):
        return _REFUSED, real_qs
    ops = connection.ops
    # where each stand-in went, with the type the backend wrapped it in (psycopg's Int8 for a bigint column)
    places = {k: [(i, type(p)) for i, p in enumerate(alt_params)
                  if isinstance(p, type(_adapt(ops, s))) and p == _adapt(ops, s)] for k, s in stand_ins.items()}
    if any(not found for found in places.values()):
        return _REFUSED, real_qs
    rebuilt = list(alt_params)
    for k, found in places.items():
        for i, kind in found:
            rebuilt[i] = _put(kind, _adapt(ops, variable[k]))
    if [(type(p), p) for p in rebuilt] != [(type(p), p) for p in params] or any(
            str(s) in sql for s in stand_ins.values()):
        return _REFUSED, real_qs
    return _Shape(alt_qs, alt, alt_sql, alt_params, places), real_qs


def rows(name: str, build: Callable[..., QuerySet], values: dict) -> list:
    """`list(build(**values))`, from the statement compiled for this shape when there is one."""
    variable = {k: v for k, v in values.items() if not _is_constant(v)}
    constants = tuple(sorted((k, v) for k, v in values.items() if k not in variable))
    try:
        key = (name, constants, tuple(sorted((k, type(v).__name__) for k, v in variable.items())))
        hash(key)
    except TypeError:  # an unhashable constant (a list): no shape for it
        return list(build(**values))
    shape = _shapes.get(key)
    if shape is None:
        shape, qs = _compile(name, build, values, variable)
        if len(_shapes) < MAX_SHAPES:
            with _lock:
                _shapes.setdefault(key, shape)
        if shape is _REFUSED:
            return list(qs)
        db = qs.db
    elif shape is _REFUSED:
        return list(build(**values))
    else:
        db = router.db_for_read(shape.query_model)  # per call: core.replica routes each request's reads
    return shape.run(db, connections[db].ops, variable)


def forget() -> None:
    """Drop every compiled shape (tests; a schema change in a running process)."""
    with _lock:
        _shapes.clear()


def reach_values(reach: Reach) -> dict:
    """A reach as values for `rows`: which levels its subtrees are at is part of the shape, their unit ids
    are parameters (so every county user shares one compiled statement)."""
    if reach.unrestricted:
        return {"reach_levels": ("all",)}
    out: dict = {"reach_levels": tuple(s.level for s in reach.subtrees)}
    for i, s in enumerate(reach.subtrees):
        out[f"reach_{i}"] = s.unit_id
    return out


def reach_from_values(values: dict) -> tuple[Reach, dict]:
    """The reach `reach_values` flattened, and the other values."""
    levels = values["reach_levels"]
    rest = {k: v for k, v in values.items() if k != "reach_levels" and not k.startswith("reach_")}
    if levels == ("all",):
        return Reach(unrestricted=True), rest
    return Reach(tuple(Subtree(level, values[f"reach_{i}"]) for i, level in enumerate(levels))), rest
