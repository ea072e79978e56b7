"""Fixed-window rate limits kept in the database, so every web process shares one count.

`check("needs.public", ip, limit=20, per_seconds=3600)` raises RateLimited once a source has
used its allowance in the current window. Public pages use it through core.public.public_view.
"""

from dataclasses import dataclass
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


def bucket(scope: str, key: str) -> str:
    return f"{scope}:{key}"[:200]


def counter_ctes(rows: list[tuple[str, object]], now, *, when: str = "") -> tuple[list[str], list]:
    """PostgreSQL: one hit counted in each (bucket, window start) as parts of a data-modifying WITH: `d` drops
    the buckets' expired windows, `c` counts (RETURNING bucket, count). `when`: an SQL condition (" AND …")
    that must hold for anything to change."""
    table = RateCounter._meta.db_table
    ctes = [f"d AS (DELETE FROM {table} WHERE bucket IN ({', '.join(['%s'] * len(rows))}) "
            f"AND window_start < %s{when})",
            f"c AS (INSERT INTO {table} (bucket, window_start, count) SELECT * FROM (VALUES "
            f"{', '.join(['(%s, %s::timestamptz, 1)'] * len(rows))}) v WHERE true{when} "
            f"ON CONFLICT (bucket, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING bucket, count)"]
    return ctes, [b for b, _ in rows] + [now - KEEP] + [v for row in rows for v in row]


@dataclass
class Hit:
    """One hit to count and its limit, for a write that counts it itself (core.together.Statement.limit: the
    count and the write in one statement, nothing written past the limit); else `settle` counts it."""
    scope: str
    key: str
    limit: int
    per_seconds: int
    message: str | None = None
    over: type[Exception] | None = None  # raised past the limit instead of RateLimited (429)
    count: int | None = None  # once counted: the hits in the window, this one included

    @property
    def bucket(self) -> str:
        return bucket(self.scope, self.key)

    def window(self, now):
        return _window(now, self.per_seconds)

    def counted(self, count: int) -> None:
        """Record the count the write statement found; its refusal past the limit."""
        self.count = count
        if count > self.limit:
            if self.over is not None:
                raise self.over()
            raise RateLimited(self.message) if self.message else RateLimited()

    def settle(self) -> None:
        """Count it now unless a write already has (429 past the limit)."""
        if self.count is None:
            self.counted(hit(self.scope, self.key, limit=self.limit, per_seconds=self.per_seconds))


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
    rows = [(bucket(scope, key), _window(now, per)) for scope, key, per in hits]
    ctes, params, when = [], [], ""
    if claim is not None:
        ctes, params = idempotency.first_use_ctes(*claim, keep_seconds=keep)
        when = " AND (SELECT yes FROM fresh)"
    counting, counting_params = counter_ctes(rows, now, when=when)
    ctes += counting
    params += counting_params
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
    name = bucket(scope, key)
    with transaction.atomic():
        updated = RateCounter.objects.filter(bucket=name, window_start=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(bucket=name, window_start=window, count=1)
                    RateCounter.objects.filter(bucket=name, window_start__lt=now - KEEP).delete()
                return 1
            except IntegrityError:  # a concurrent first hit created the row
                RateCounter.objects.filter(bucket=name, window_start=window).update(count=F("count") + 1)
        return RateCounter.objects.get(bucket=name, window_start=window).count


def count(scope: str, key: str, *, per_seconds: int, now=None) -> int:
    """The hits counted so far in the current window, without counting one."""
    now = now or periods.now()
    row = RateCounter.objects.filter(bucket=bucket(scope, key), window_start=_window(now, per_seconds))
    return row.values_list("count", flat=True).first() or 0


def check_request(request, scope: str, rate: str) -> None:
    """Count one hit for the request's client address under `scope`; 429 past `rate` (e.g. "30/h")."""
    request_hit(request, scope, rate).settle()


def request_hit(request, scope: str, rate: str) -> Hit:
    """The hit of the request's client address under `scope`, not counted yet."""
    limit, per = parse(rate)
    return Hit(scope, client_ip(request.META) or "unknown", limit, per)


def check(scope: str, key: str, *, limit: int, per_seconds: int, message: str | None = None) -> None:
    """Count one hit; refuse with 429 once `limit` hits in the window are exceeded."""
    Hit(scope, key, limit, per_seconds, message=message).settle()
