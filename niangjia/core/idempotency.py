"""Idempotency keys for intake from outside: a retried delivery returns the first result."""

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, connection, transaction

from niangjia.core import periods

from . import audit_chain, together
from .models import IdempotencyKey


def run_once(scope: str, key: str, create: Callable[..., object], *, model=None,
             audited: bool = False) -> tuple[object, bool]:
    """Run `create` once per (scope, key); returns (result, created).

    The key is claimed in one statement (INSERT … ON CONFLICT DO NOTHING) inside the transaction that writes
    the record, so a retry never makes a second one: a concurrent retry waits on the unique key until the
    first commits, then reads the first result. Without a key there is nothing to recognise a retry by:
    `create` runs (in a transaction) and is new.

    With `model` (PostgreSQL), the same statement draws the record's id from its sequence and notes it as the
    result: `create(pk)` gets that id (None elsewhere) and must save the record under it. With `audited`, it
    also takes the audit chain's head for the audit row `create` writes (core.audit_chain.hold), so claim,
    record and audit cost two statements between BEGIN and COMMIT (see core.audit.record's `insert_target`).
    """
    if not key:
        with transaction.atomic():
            return (create() if model is None else create(None)), True
    with transaction.atomic():
        claimed, new_id = _claim(scope, key, model, hold_head=audited)
        if not claimed:
            return _result(IdempotencyKey.objects.get(scope=scope, key=key)), False
        try:
            result = create() if model is None else create(None if new_id is None else model._meta.pk.to_python(new_id))
        finally:
            audit_chain.release()  # a head taken for an audit row that was never written goes back
        if new_id is None or str(result.pk) != new_id:
            IdempotencyKey.objects.filter(scope=scope, key=key).update(result_type=result._meta.label,
                                                                       result_id=str(result.pk))
        return result, True


def statement_once(statement, scope: str, key: str, result) -> tuple[object, bool]:
    """Send a core.together.Statement whose claims include (scope, key): (result, True) when it wrote, else the
    first result of that key, False (a retry; a concurrent one waits on the key until the first commits)."""
    if statement.run() is not None:
        return result, True
    return _result(IdempotencyKey.objects.get(scope=scope, key=key[:200])), False


def _claim(scope: str, key: str, model, *, hold_head: bool) -> tuple[bool, str | None]:
    """Insert the key unless it exists: (claimed, the record id drawn for `model` or None)."""
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    label = model._meta.label if model is not None else ""
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {table} (scope, key, created_at, result_type, result_id) "
                        f"VALUES (%s, %s, %s, %s, '') ON CONFLICT (scope, key) DO NOTHING RETURNING id",
                        [scope, key, periods.now(), label])
            return cur.fetchone() is not None, None
    next_id = "''"
    params: list = [scope, key, periods.now(), label]
    if model is not None:
        next_id = "nextval(pg_get_serial_sequence(%s, %s))::text"
        params += [model._meta.db_table, model._meta.pk.column]
    claim = (f"INSERT INTO {table} (scope, key, created_at, result_type, result_id) VALUES (%s, %s, %s, %s, {next_id}) "
             f"ON CONFLICT (scope, key) DO NOTHING RETURNING result_id")
    with connection.cursor() as cur:
        if not hold_head:
            cur.execute(claim, params)
            row = cur.fetchone()
            return row is not None, (row[0] or None) if row else None
        cur.execute(f"WITH k AS ({claim}), h AS ({audit_chain.TAKE_HEAD_SQL} AND EXISTS (SELECT 1 FROM k) "
                    f"RETURNING seq, hash) SELECT (SELECT result_id FROM k), (SELECT seq FROM h), (SELECT hash FROM h)",
                    params)
        new_id, seq, prev = cur.fetchone()
    if new_id is None:
        return False, None
    if seq is not None:
        audit_chain.hold(seq, prev)
    return True, new_id or None


def replayed(scope: str, key: str):
    """What a finished submission with this key produced, or None: lets a resend after a lost answer get
    its first result before checks that the first submission itself changed (a spent link, "already rated")."""
    marker = IdempotencyKey.objects.filter(scope=scope, key=key).exclude(result_id="").first() if key else None
    return _result(marker) if marker else None


def link_key(token: str, key: str) -> str:
    """A client's submission key bound to the one-time link it came with, so one client key can never
    replay another link's result ('' without a key)."""
    key = (key or "").strip()
    return f"{hashlib.sha256((token or '').encode()).hexdigest()[:24]}:{key[:150]}" if key else ""


def _result(marker: IdempotencyKey):
    return apps.get_model(marker.result_type).objects.get(pk=marker.result_id)


def first_use(scope: str, key: str, fingerprint: str, *, keep_seconds: int = 86400) -> bool:
    """Whether `key` is used for the first time, or again with the same `fingerprint` (a retry of the same
    thing); False when it was used before for something else (a replay with a forged body). Keys are kept
    for `keep_seconds`; callers refuse anything older than that by other means (e.g. a timestamp window)."""
    if connection.vendor == "postgresql":
        return _first_use_pg(scope, key[:200], fingerprint[:64], keep_seconds)
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(scope=scope, key=key[:200], result_type="fingerprint",
                                          result_id=fingerprint[:64])
    except IntegrityError:
        return seen_with(scope, key, fingerprint)
    if fingerprint[:2] == "00":  # now and then (1 in 256 first uses), forget the expired keys of this scope
        IdempotencyKey.objects.filter(scope=scope, created_at__lt=periods.now() - timedelta(seconds=keep_seconds)) \
            .delete()
    return True


def first_use_ctes(scope: str, key: str, fingerprint: str, *, keep_seconds: int) -> tuple[list[str], list]:
    """PostgreSQL: `first_use` as parts of a data-modifying WITH, for a statement that does more at once
    (core.ratelimit.hit_many): `n` holds a row when the key is new; `fresh` answers whether it is new, or was
    used before with the same fingerprint as far as this statement's snapshot sees (a first use still being
    committed by another transaction is not seen: ask `first_use` again then)."""
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    key, fingerprint = key[:200], fingerprint[:64]
    ctes = [f"n AS (INSERT INTO {table} (scope, key, created_at, result_type, result_id) "
            f"VALUES (%s, %s, %s, 'fingerprint', %s) ON CONFLICT (scope, key) DO NOTHING RETURNING 1)",
            f"fresh AS (SELECT EXISTS (SELECT 1 FROM n) OR EXISTS (SELECT 1 FROM {table} WHERE scope = %s "
            f"AND key = %s AND result_type = 'fingerprint' AND result_id = %s) AS yes)"]
    params: list = [scope, key, periods.now(), fingerprint, scope, key, fingerprint]
    if fingerprint[:2] == "00":  # now and then (1 in 256 first uses), forget the expired keys of this scope
        ctes.insert(0, f"x AS (DELETE FROM {table} WHERE scope = %s AND created_at < %s)")
        params = [scope, periods.now() - timedelta(seconds=keep_seconds), *params]
    return ctes, params


def _first_use_pg(scope: str, key: str, fingerprint: str, keep_seconds: int) -> bool:
    """`first_use` in one statement (outside a transaction, its own: one round trip); a key whose first use
    was still being committed when the statement began costs one more."""
    ctes, params = first_use_ctes(scope, key, fingerprint, keep_seconds=keep_seconds)
    with together.prepared_cursor() as cur:
        cur.execute(together.numbered(f"WITH {', '.join(ctes)} SELECT yes FROM fresh"), params)
        if cur.fetchone()[0]:
            return True
    return seen_with(scope, key, fingerprint)


def seen_with(scope: str, key: str, fingerprint: str) -> bool:
    """Whether `key` was used with this `fingerprint` (a retry of the same thing), as committed now."""
    seen = IdempotencyKey.objects.filter(scope=scope, key=key[:200]).values_list("result_id", flat=True).first()
    return seen == fingerprint[:64]
