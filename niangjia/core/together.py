"""Rows written together: the SQL of one model instance's INSERT, to send with others as one statement
(PostgreSQL's data-modifying WITH), so a record and its audit row cost one round trip, not two."""

import functools
import itertools
import json
import re
import secrets
from contextlib import contextmanager
from datetime import date, datetime

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.sql import InsertQuery


def insert_sql(obj, *, returning: bool = False) -> tuple[str, list]:
    """`INSERT INTO <table> (...) VALUES (...)` for `obj` as `save(force_insert=True)` would write it (fields'
    pre_save run, e.g. auto_now_add), its primary key included when set; `RETURNING id` on request."""
    model = type(obj)
    fields = [f for f in model._meta.local_concrete_fields if not (f.primary_key and obj.pk is None)]
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    (sql, params), = compiler.as_sql()
    if returning:
        sql += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    return sql, list(params)


# ---------------------------------------------------------------- one intake, one statement


def one_statement() -> bool:
    """Whether intake writes go as one statement (`Statement`): PostgreSQL; elsewhere the services write
    step by step in a transaction (SQLite is in-process: a statement is no round trip)."""
    return connection.vendor == "postgresql"


_PLACEHOLDER = re.compile("%s")
_TOKEN = re.compile("\ue000([0-9a-f]{12})([0-9]+)\ue000")  # a Ref's token: one pattern for every statement
_CHAIN_COLUMNS = {"seq": "seq", "prev_hash": "prev", "hash": "hash"}  # audit columns the chain step computes


@functools.lru_cache(maxsize=512)  # a few shapes, each sent again and again
def numbered(sql: str) -> str:
    """`sql` with its %s placeholders numbered as PostgreSQL's own ($1, $2, …), for psycopg's RawCursor."""
    counter = itertools.count(1)
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


class _PreparedCursor(psycopg.RawCursor):
    """Binds on the server ($1, $2, … placeholders: see `numbered`) and prepares every statement it sends."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)

    def _send_query_prepared(self, name, pgq, *, binary=None):
        # psycopg keeps the query it sent only when it did not prepare it; Django's query log (tests' captured
        # queries, DEBUG) reads it back from there (psycopg is pinned: tests/core/test_prepared_cursor.py notices)
        self._query = pgq
        return super()._send_query_prepared(name, pgq, binary=binary)


@contextmanager
def prepared_cursor():
    """A cursor for a statement sent again and again with the same text (intake's writes, rate counts): on
    PostgreSQL the text is parsed and planned once per connection, then only executed (Django turns psycopg's
    own preparing off: its default suits an ORM's ever-changing SQL). The parameters travel apart from the
    text, as native placeholders (`numbered`): psycopg would otherwise parse a %s query longer than 4 KB again
    on every execute. Through Django's cursor wrapper all the same, so its execute wrappers (query counts, the
    request log) see it. Behind a transaction-pooling pgbouncer this needs pgbouncer 1.21 or newer with
    max_prepared_statements set (docs/operations.md)."""
    conn = connections[DEFAULT_DB_ALIAS]  # the connection itself: `connection` is a proxy, looked up per use
    conn.ensure_connection()
    raw = _PreparedCursor(conn.connection)
    with conn.make_debug_cursor(raw) if conn.queries_logged else conn.make_cursor(raw) as cur:
        yield cur


# Fields whose database value is the attribute itself (or, for a number on PostgreSQL, the attribute in its
# column's integer type) when it has one of these exact types: their pre_save reads the attribute and
# get_db_prep_save changes nothing else. A statement's values are mostly such (text, numbers, flags, ids,
# times): a need's 44 values took 41 µs through Django's calls, 25 µs this way. Exact classes only: a subclass
# (e.g. an encrypted field) may convert, and takes Django's way.
_NONE, _INT = (type(None),), (int, type(None))
_AUTO = (models.AutoField, models.BigAutoField, models.SmallAutoField)
_AS_IS: dict[type, tuple[type, ...]] = {
    models.CharField: (str, type(None)), models.TextField: (str, type(None)),
    models.BooleanField: (bool, type(None)),
    **dict.fromkeys((models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
                     models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField,
                     *_AUTO), _INT),
}
_shortcuts: dict[tuple, tuple[tuple[type, ...], object]] = {}


def shortcut(field, conn) -> tuple[tuple[type, ...], object]:
    """(value types `field` stores without Django's calls on `conn`'s database — a date-time only when aware —,
    what wraps such a value or None); ((), None) when every value takes Django's way."""
    key = (field, conn.vendor)
    found = _shortcuts.get(key)
    if found is None:
        found = _shortcuts[key] = _shortcut(field, conn)
    return found


def _shortcut(field, conn) -> tuple[tuple[type, ...], object]:
    if type(field) in (models.DateField, models.DateTimeField):
        if field.auto_now or field.auto_now_add:  # pre_save sets the time
            return (), None
        if conn.vendor != "postgresql":  # elsewhere a date travels as text
            return _NONE, None
        return ((date if type(field) is models.DateField else datetime), type(None)), None
    if isinstance(field, models.ForeignKey):  # the target's value: an automatic id is a plain number
        return (_INT if type(field) is models.ForeignKey and isinstance(field.target_field, _AUTO) else ()), None
    types = _AS_IS.get(type(field), ())
    if types is _INT and not isinstance(field, _AUTO):
        # Django gives PostgreSQL a number in its column's type (int2/int4/int8): the statement's types stay fixed
        sample = field.get_db_prep_save(1, conn)
        return types, (None if type(sample) is int else type(sample))
    return types, None


def db_value(field, obj, conn):
    """`field.get_db_prep_save(field.pre_save(obj, True), conn)`, without the calls where they change nothing."""
    value = getattr(obj, field.attname)
    types, wrap = shortcut(field, conn)
    # a naive date-time is made aware by Django (with a warning): only an aware one stays as it is
    if type(value) in types and not (type(value) is datetime and value.tzinfo is None):
        return value if wrap is None or value is None else wrap(value)
    return field.get_db_prep_save(field.pre_save(obj, True), conn)


@functools.cache
def _layout(model, *, with_pk: bool = True) -> tuple[str, str, tuple]:
    """(quoted table, quoted column list, fields) of a model's INSERT on PostgreSQL: the same for every row."""
    fields = tuple(f for f in model._meta.local_concrete_fields if with_pk or not f.primary_key)
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), fields


class Ref:
    """The id a `Statement` draws for a claimed record: `sql` where a column takes it, `token` inside text."""

    def __init__(self, n: int, tag: str):
        self.n, self.sql, self.token = n, f"g.id{n}", f"\ue000{tag}{n}\ue000"


class UsedBefore(Exception):
    """A Statement's `first_use` key was used before for something else (a replay)."""


class Statement:
    """The writes of one intake from outside sent as ONE statement on PostgreSQL (data-modifying WITH; outside a
    transaction it is its own transaction, so BEGIN and COMMIT cost nothing more): the idempotency keys claimed
    (core.idempotency), each record's id drawn with its key, the records, their audit rows placed in the hash
    chain (core.audit_chain: the head locked until the statement commits, each row's hash computed by the
    database from the head's hash, as `audit_chain.digest` would), and the summary counts moved (core.metrics).
    Nothing is written unless every key was new: `run()` answers None, and the caller reads the first result.
    A rate limit's hit (core.ratelimit.Hit) can be counted in the same statement (`limit`): past its limit
    nothing is written and `run()` raises the hit's refusal (RateLimited), the hit counted all the same. A
    key used once only (core.idempotency.first_use: a signature's nonce) can be claimed first (`first_use`):
    used before for something else, nothing is counted or written and `run()` raises UsedBefore.

        st = Statement()
        need_id = st.claim("need.public.website", key, Need)
        st.insert(need, pk=need_id)
        st.audit(None, Action.NEED_SUBMIT_PUBLIC, need, pk=need_id, detail={...})
        st.counts(deltas)
        if st.run() is None: ...  # a retry
    """

    def __init__(self):
        self.tag = secrets.token_hex(6)
        self.claims: list[tuple[str, str, type, Ref]] = []
        self.inserts: list[tuple[object, Ref, dict]] = []
        self.audits: list[tuple[object, Ref | None]] = []
        self.deltas: list = []
        self.hits: list = []
        self.once: tuple | None = None

    # -- what to write

    def claim(self, scope: str, key: str, model) -> Ref:
        ref = Ref(len(self.claims), self.tag)
        self.claims.append((scope, key[:200], model, ref))
        return ref

    def insert(self, obj, *, pk: Ref, refs: dict[str, Ref] | None = None) -> None:
        """Insert `obj` under the claimed id `pk`; `refs` maps other columns to claimed ids (e.g. record_id)."""
        self.inserts.append((obj, pk, refs or {}))

    def audit(self, actor, action: str, target, *, pk: Ref | None = None, summary: str = "",
              detail: dict | None = None, unit=None) -> None:
        """An audit row as core.audit.record writes it; `pk` is the target's claimed id (its token may also
        appear in `summary` or `detail`)."""
        # core.audit imports core.audit_chain, which imports this module: imported when used
        from . import audit, replica
        from .context import current_request_info
        from .models import AuditEntry
        from .scope import ANCESTOR_FIELDS

        info = current_request_info()
        entry = AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or "system", action=audit.declared(action).value,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=pk.token if pk is not None else (str(target.pk) if target is not None else ""),
            summary=summary[:300] or (str(target)[:300] if target is not None else ""),
            ip=info.ip, channel=info.channel, detail=detail or {})
        owner = unit if unit is not None else (target if hasattr(target, "l1") else None)
        for f in ANCESTOR_FIELDS:
            setattr(entry, f, getattr(owner, f, None) if owner is not None else None)
        replica.note_write(actor, entry.action)
        self.audits.append((entry, pk))

    def counts(self, deltas) -> None:
        self.deltas.extend(deltas)

    def limit(self, hit) -> None:
        """Count `hit` (core.ratelimit.Hit) with the writes, which happen only within its limit."""
        self.hits.append(hit)

    def first_use(self, scope: str, key: str, fingerprint: str, *, keep_seconds: int) -> None:
        """Claim `key` as core.idempotency.first_use does, before anything is counted or written."""
        self.once = (scope, key, fingerprint, keep_seconds)

    # -- the statement

    def _text(self, text: str, params: list) -> str:
        """SQL for `text` with every claimed id's token replaced by the id's digits (inside JSON, a token
        stays a string: "123"). A look-alike with another statement's tag (someone's text) stays text."""
        out, last = [], 0
        for found in _TOKEN.finditer(text):
            tag, n = found.groups()
            if tag != self.tag or int(n) >= len(self.claims):
                continue
            if found.start() > last:
                params.append(text[last:found.start()])
                out.append("%s")
            out.append(f"{self.claims[int(n)][3].sql}::text")
            last = found.end()
        if not out:
            params.append(text)
            return "%s"
        if last < len(text):
            params.append(text[last:])
            out.append("%s")
        return "(" + " || ".join(out) + ")"

    def _insert_sql(self, conn, name: str, obj, pk: Ref, refs: dict, params: list) -> str:
        table, cols, fields = _layout(type(obj))
        exprs = []
        for field in fields:
            if field.primary_key:
                exprs.append(pk.sql)
            elif field.attname in refs or field.name in refs:
                exprs.append(refs.get(field.attname, refs.get(field.name)).sql)
            else:
                params.append(db_value(field, obj, conn))
                exprs.append("%s")
        return f"{name} AS (INSERT INTO {table} ({cols}) SELECT {', '.join(exprs)} FROM g)"

    def _audit_sql(self, conn, n: int, entry, prev: str, params: list) -> list[str]:
        """The chain step c<n> (seq, prev, hash computed from `prev`'s) and the audit row a<n>."""
        # core.audit_chain imports this module, and core.models needs the app registry: imported when used
        from . import audit_chain, periods
        from .models import AuditEntry

        entry.at = periods.now()
        entry.detail = json.loads(json.dumps(entry.detail or {}, ensure_ascii=False, default=str))
        seq_token = f"\ue000{self.tag}seq\ue000"
        values = {f: getattr(entry, f) for f in audit_chain.FIELDS} | {"seq": seq_token}
        canon = audit_chain.canonical(values).replace(f'"{seq_token}"', seq_token)
        before, _, after = canon.partition(seq_token)
        seq = f"({prev}.seq + 1)"
        hash_sql = (f"encode(sha256(convert_to({prev}.hash || {self._text(before, params)} || {seq}::text || "
                    f"{self._text(after, params)}, 'UTF8')), 'hex')")
        step = f"c{n} AS (SELECT {seq} AS seq, {prev}.hash AS prev, {hash_sql} AS hash FROM {prev}, g)"
        table, cols, fields = _layout(AuditEntry, with_pk=False)
        exprs = []
        for field in fields:
            if field.column in _CHAIN_COLUMNS:
                exprs.append(f"c{n}.{_CHAIN_COLUMNS[field.column]}")
            elif field.column == "target_id" or field.column == "summary":
                exprs.append(self._text(getattr(entry, field.attname), params))
            elif field.column == "detail":
                exprs.append(self._text(json.dumps(entry.detail, ensure_ascii=False), params) + "::jsonb")
            else:
                params.append(db_value(field, entry, conn))  # `at` is set, not auto_now_add
                exprs.append("%s")
        row = f"a{n} AS (INSERT INTO {table} ({cols}) SELECT {', '.join(exprs)} FROM c{n}, g RETURNING id)"
        return [step, row]

    def run(self) -> list[int] | None:
        """Send it: the claimed ids in claim order, or None when a key was claimed before (nothing written).
        PostgreSQL only (`one_statement()`)."""
        # core.metrics and core.models need the app registry (this module loads with core.audit_chain)
        from . import idempotency, ratelimit
        from .metrics import netted
        from .models import AuditChainHead, IdempotencyKey, SummaryCount
        from .periods import now

        conn = connections[DEFAULT_DB_ALIAS]  # the connection itself: `connection` is a proxy, looked up per use
        params: list = []
        head = AuditChainHead._meta.db_table
        ctes, within, fresh = [], "", ""
        if self.once is not None:  # claimed first: nothing else happens unless it is fresh
            ctes, params = idempotency.first_use_ctes(*self.once[:3], keep_seconds=self.once[3])
            fresh = within = " AND (SELECT yes FROM fresh)"
        if self.hits:  # counted next; the keys are claimed only within every limit
            at = now()
            counting, counting_params = ratelimit.counter_ctes([(h.bucket, h.window(at)) for h in self.hits], at,
                                                               when=fresh)
            ctes += counting
            params += counting_params
            within += "".join(" AND (SELECT count FROM c WHERE bucket = %s) <= %s" for _ in self.hits)
        rows = []
        for scope, key, model, _ in self.claims:
            rows.append("(%s, %s, %s, %s, nextval(pg_get_serial_sequence(%s, %s))::text)")
            params += [scope, key, now(), model._meta.label, model._meta.db_table, model._meta.pk.column]
        params += [v for h in self.hits for v in (h.bucket, h.limit)]
        n_claims = len(self.claims)
        ctes += [f"k AS (INSERT INTO {IdempotencyKey._meta.db_table} (scope, key, created_at, result_type, result_id) "
                 f"SELECT * FROM (VALUES {', '.join(rows)}) v WHERE EXISTS (SELECT 1 FROM {head} WHERE id = 1){within} "
                 f"ON CONFLICT (scope, key) DO NOTHING RETURNING scope, key, result_id)",
                # the chain's head, locked until the statement commits (only when every key was new)
                f"o AS (SELECT seq, hash FROM {head} WHERE id = 1 AND (SELECT count(*) FROM k) = {n_claims} "
                f"FOR UPDATE)"]
        ids = []
        for scope, key, _, ref in self.claims:
            ids.append(f"(SELECT result_id::bigint FROM k WHERE scope = %s AND key = %s) AS id{ref.n}")
            params += [scope, key]
        ctes.append(f"g AS (SELECT {', '.join(ids)} FROM o)")
        for n, (obj, pk, refs) in enumerate(self.inserts):
            ctes.append(self._insert_sql(conn, f"r{n}", obj, pk, refs, params))
        prev = "o"
        for n, (entry, _) in enumerate(self.audits):
            ctes += self._audit_sql(conn, n, entry, prev, params)
            prev = f"c{n}"
        if self.audits:
            ctes.append(f"h AS (UPDATE {head} SET seq = {prev}.seq, hash = {prev}.hash FROM {prev} WHERE {head}.id = 1)")
        summary = netted(self.deltas)
        if summary:
            table = SummaryCount._meta.db_table
            one = "(%s, %s::date, %s, %s, %s::int, %s::int, %s::int, %s::int, %s::bigint)"
            ctes.append(f"s AS (INSERT INTO {table} (metric, period, category, status, l1, l2, l3, count, total) "
                        f"SELECT * FROM (VALUES {', '.join([one] * len(summary))}) v WHERE EXISTS (SELECT 1 FROM g) "
                        f"ON CONFLICT (metric, period, category, status, l1, l2, l3) DO UPDATE SET "
                        f"count = {table}.count + excluded.count, total = {table}.total + excluded.total)")
            params += [v for row in summary for v in row]
        select = ", ".join(f"g.id{ref.n}" for *_, ref in self.claims)
        rows_from = "g"
        if self.hits or self.once:  # the counts, and whether the first use was fresh, written or not
            select += "".join(", (SELECT count FROM c WHERE bucket = %s)" for _ in self.hits)
            params += [h.bucket for h in self.hits]
            select += ", (SELECT yes FROM fresh)" if self.once else ""
            rows_from = "(SELECT 1) one LEFT JOIN g ON true"
        with prepared_cursor() as cur:
            cur.execute(numbered(f"WITH {', '.join(ctes)} SELECT {select} FROM {rows_from}"), params)
            found = cur.fetchone()
        if rows_from != "g":  # one row whatever happened: the ids (None when nothing was written), then the rest
            found, counts = (found[:n_claims] if found[0] is not None else None), found[n_claims:]
            if self.once:
                if not counts[-1]:  # nothing counted or written: a replay, or a first use committed as this began
                    if not idempotency.seen_with(*self.once[:3]):
                        raise UsedBefore(self.once[1])
                    return self.run()
                self.once = None  # claimed: not again if the statement must be sent again below
            hits, self.hits = self.hits, []  # counted: not again if the statement must be sent again below
            for hit, count in zip(hits, counts[:len(hits)], strict=True):
                hit.counted(count)  # its refusal past its limit (nothing was written)
        if found is None:
            if AuditChainHead.objects.filter(pk=1).exists():
                return None  # a key was claimed before: a retry
            AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": ""})  # a chain's first row
            return self.run()
        for obj, pk, refs in self.inserts:
            obj.pk = found[pk.n]
            for column, ref in refs.items():
                setattr(obj, column, found[ref.n])
            obj._state.adding, obj._state.db = False, conn.alias
        for entry, pk in self.audits:
            if pk is not None:
                entry.target_id = str(found[pk.n])
        return list(found)
