"""Fixed-window rate limits kept in the database, so every web process shares one count.

`check("needs.public", ip, limit=20, per_seconds=3600)` raises RateLimited once a source has
used its allowance in the current window. Public pages use it through core.public.public_view.
"""

from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from niangjia.core import periods

from . import idempotency, together
from .context import client_ip
from .errors import RateLimited
from .models import RateCounter

KEEP = timedelta(days=2)


def parse(rate: str) -> tuple[int, int]:
    """"20/h" → (20, 3600); units s, m, h, d."""
    count, _, unit = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit.strip().lower()[:1])
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"bad rate {rate!r}; expected like '20/h'")
    return int(count), seconds


def _window(now, per_seconds: int):
    return now - timedelta(seconds=int(now.timestamp()) % per_seconds, microseconds=now.microsecond)


def hit_many(hits: list[tuple[str, str, int]], *, now=None,
             first_use: tuple[str, str, str, int] | None = None) -> list[int] | None:
    """Count one hit in each (scope, key, per_seconds) and return the hits in each current window (this one
    included). PostgreSQL: one statement for all (an upsert that also drops the buckets' expired windows).

    With `first_use` (scope, key, fingerprint, keep_seconds: core.idempotency.first_use's arguments), that key
    is claimed first, in the same statement on PostgreSQL: None, and nothing counted, when it was used before
    for something else (a replay)."""
    now = now or periods.now()
    claim = None if first_use is None else first_use[:3]  # (scope, key, fingerprint)
    keep = None if first_use is None else first_use[3]
    if connection.vendor != "postgresql":
        if claim is not None and not idempotency.first_use(*claim, keep_seconds=keep):
            return None
        return [hit(scope, key, limit=0, per_seconds=per, now=now) for scope, key, per in hits]
    rows = [(f"{scope}:{key}"[:200], _window(now, per)) for scope, key, per in hits]
    table = RateCounter._meta.db_table
    ctes, params, when = [], [], ""
    if claim is not None:
        ctes, params = idempotency.first_use_ctes(*claim, keep_seconds=keep)
        when = " AND (SELECT yes FROM fresh)"
    ctes.append(f"d AS (DELETE FROM {table} WHERE bucket IN ({', '.join(['%s'] * len(rows))}) "
                f"AND window_start < %s{when})")
    ctes.append(f"c AS (INSERT INTO {table} (bucket, window_start, count) SELECT * FROM (VALUES "
                f"{', '.join(['(%s, %s::timestamptz, 1)'] * len(rows))}) v WHERE true{when} "
                f"ON CONFLICT (bucket, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING bucket, count)")
    params += [b for b, _ in rows] + [now - KEEP] + [v for row in rows for v in row]
    fresh = "(SELECT yes FROM fresh)" if claim is not None else "true"
    sql = f"WITH {', '.join(ctes)} SELECT {fresh}, c.bucket, c.count FROM (SELECT 1) one LEFT JOIN c ON true"
    with together.prepared_cursor() as cur:  # outside a transaction the statement is its own: one round trip
        cur.execute(together.numbered(sql), params)
        found = cur.fetchall()
    if not found[0][0]:
        # used before: a replay, or a first use another transaction was committing as this one began
        if not idempotency.seen_with(*claim):
            return None
        return hit_many(hits, now=now)
    counts = {bucket: count for _, bucket, count in found}
    return [counts[b] for b, _ in rows]


def hit(scope: str, key: str, *, limit: int, per_seconds: int, now=None) -> int:
    """Count one hit and return the hits in the current window (this one included)."""
    now = now or periods.now()
    if connection.vendor == "postgresql":
        return hit_many([(scope, key, per_seconds)], now=now)[0]
    window = _window(now, per_seconds)
    bucket = f"{scope}:{key}"[:200]
    with transaction.atomic():
        updated = RateCounter.objects.filter(bucket=bucket, window_start=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(bucket=bucket, window_start=window, count=1)
                    RateCounter.objects.filter(bucket=bucket, window_start__lt=now - KEEP).delete()
                return 1
            except IntegrityError:  # a concurrent first hit created the row
                RateCounter.objects.filter(bucket=bucket, window_start=window).update(count=F("count") + 1)
        return RateCounter.objects.get(bucket=bucket, window_start=window).count


def count(scope: str, key: str, *, per_seconds: int, now=None) -> int:
    """The hits counted so far in the current window, without counting one."""
    now = now or periods.now()
    window = now - timedelta(seconds=int(now.timestamp()) % per_seconds, microseconds=now.microsecond)
    row = RateCounter.objects.filter(bucket=f"{scope}:{key}"[:200], window_start=window).values_list("count", flat=True)
    return row.first() or 0


def check_request(request, scope: str, rate: str) -> None:
    """Count one hit for the request's client address under `scope`; 429 past `rate` (e.g. "30/h")."""
    limit, per = parse(rate)
    check(scope, client_ip(request.META) or "unknown", limit=limit, per_seconds=per)


def check(scope: str, key: str, *, limit: int, per_seconds: int, message: str | None = None) -> None:
    """Count one hit; refuse with 429 once `limit` hits in the window are exceeded."""
    if hit(scope, key, limit=limit, per_seconds=per_seconds) > limit:
        raise RateLimited(message) if message else RateLimited()
