"""Reads from a PostgreSQL streaming replica, decided in one place (docs/operations.md, "Read replica").

When `NIANGJIA_REPLICA_URL` is set, settings add a second database alias, `replica`, and this
router sends a read there only when all of these hold:
- the code asked for it: dashboards, lists and exports run inside `replica_reads(request)` (the
  `@web_view(..., replica=True)` / `@reads_replica` decorators), nothing else does;
- the reader has not written in the last NIANGJIA_REPLICA_STICKY_SECONDS (read-your-writes: an
  audited write marks her, in the shared cache by user id and in a cookie, see `note_write`);
- the read is not inside a transaction on the primary (a service's reads before its writes, the
  audit chain's head, a reveal's audit row all stay on the primary);
- the replica answered its last check (at most every NIANGJIA_REPLICA_CHECK_SECONDS) in recovery
  and no more than NIANGJIA_REPLICA_MAX_LAG_SECONDS behind the primary (by WAL positions: see `_check`).
Otherwise the read goes to the primary. Every write goes to the primary, whatever the hints say;
the replica alias is never migrated, and its sessions are read-only at the server as well.
"""

import threading
import time
from collections import deque
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
COOKIE = "nj_primary"  # "read from the primary until" (seconds since the epoch) after the user's write
READ_ONLY_ACTIONS = ("reveal", "export", "search.")  # audited reads: they do not make a user sticky

_reads = ContextVar("niangjia_replica_reads", default=False)
_request_note: ContextVar[dict | None] = ContextVar("niangjia_replica_note", default=None)
_lock = threading.Lock()
_state = {"checked_at": 0.0, "state": "unknown", "lag_seconds": None, "detail": ""}

LAG_SQL = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text"
_behind: deque = deque(maxlen=256)  # (primary WAL position, monotonic time first seen) not yet replayed


def configured() -> bool:
    return REPLICA in connections.settings


def _cache_key(user_id) -> str:
    return f"niangjia:replica:primary-until:{user_id}"


def sticky(request) -> bool:
    """True while the request's user must read from the primary (she wrote within the sticky window)."""
    now = time.time()
    try:
        if float(request.COOKIES.get(COOKIE, 0)) > now:
            return True
    except ValueError:
        pass
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return (cache.get(_cache_key(user.pk)) or 0) > now
    return False


def note_write(actor, action: str) -> None:
    """An audited write by `actor`: her reads go to the primary for the sticky window."""
    if not configured() or action.startswith(READ_ONLY_ACTIONS):
        return
    seconds = settings.REPLICA_STICKY_SECONDS
    until = time.time() + seconds
    if getattr(actor, "pk", None):
        cache.set(_cache_key(actor.pk), until, timeout=seconds)
    note = _request_note.get()
    if note is not None:
        note["until"] = until


@contextmanager
def replica_reads(request=None):
    """Let the reads inside go to the replica (when it is usable, `request` is a GET or HEAD, and its user
    is not sticky). A POST to a list page (logging an activity from it) reads from the primary."""
    allowed = configured() and not (request is not None and (request.method not in ("GET", "HEAD")
                                                             or sticky(request)))
    token = _reads.set(allowed)
    try:
        yield
    finally:
        _reads.reset(token)


@contextmanager
def primary_reads():
    """The reads inside go to the primary, whatever the view allows: what is kept for later requests (core.callers:
    a user's reach, a token) must not be built from a replica that may lag behind a change just committed."""
    token = _reads.set(False)
    try:
        yield
    finally:
        _reads.reset(token)


def reads_replica(fn):
    """Decorate a dashboard, list or export view (HTML or API): its reads may go to the replica."""

    @wraps(fn)
    def wrapper(request, *args, **kwargs):
        with replica_reads(request):
            return fn(request, *args, **kwargs)

    wrapper._reads_replica = True
    return wrapper


def route_api_lists(api) -> int:
    """Mark every paginated list of the JSON API (a GET operation that takes `cursor`) as a replica read,
    as `reads_replica` does for a view; called once after mounting. Returns how many were marked."""
    from .api_params import query_names  # api_params imports the error codes, which this module need not

    marked = 0
    for router in api._get_bound_routers():  # the mounted copies, the ones that answer requests
        for view in router.path_operations.values():
            for operation in view.operations:
                if "GET" in operation.methods and "cursor" in query_names(operation) \
                        and not getattr(operation.view_func, "_reads_replica", False):
                    operation.view_func = reads_replica(operation.view_func)
                    marked += 1
    return marked


def _lsn(text: str | None) -> int:
    high, _, low = (text or "0/0").partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def _check() -> dict:
    """Ask the primary where its WAL is and the replica what it has replayed. The lag is how long the
    replica has been behind the oldest primary position seen at a check that it has not replayed yet
    (zero once it has replayed all the primary had written); a failure marks it down until the next check."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn()::text")
            primary = _lsn(cur.fetchone()[0])
        with connections[REPLICA].cursor() as cur:
            cur.execute(LAG_SQL)
            in_recovery, replayed = cur.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure to answer means "do not read there"
        connections[REPLICA].close()
        _behind.clear()
        return {"state": "down", "lag_seconds": None, "detail": type(exc).__name__}
    if not in_recovery:
        _behind.clear()
        return {"state": "not_a_replica", "lag_seconds": None, "detail": "pg_is_in_recovery() is false"}
    replayed, now = _lsn(replayed), time.monotonic()
    while _behind and _behind[0][0] <= replayed:
        _behind.popleft()
    if replayed < primary and (not _behind or _behind[-1][0] < primary):
        _behind.append((primary, now))
    lag = now - _behind[0][1] if _behind else 0.0
    limit = settings.REPLICA_MAX_LAG_SECONDS
    return {"state": "ok" if lag <= limit else "lagging", "lag_seconds": round(lag, 3), "detail": ""}


def state(*, fresh: bool = False) -> dict:
    """The replica's last known state ("ok", "lagging", "down", "not_a_replica"), checked at most every
    NIANGJIA_REPLICA_CHECK_SECONDS per process."""
    if not configured():
        return {"state": "not_configured"}
    now = time.monotonic()
    with _lock:
        if fresh or now - _state["checked_at"] >= settings.REPLICA_CHECK_SECONDS or _state["state"] == "unknown":
            _state.update(_check(), checked_at=now)
        return {k: v for k, v in _state.items() if k != "checked_at"}


def forget_state() -> None:
    """Drop the cached check (tests, and after an operator changes the replica)."""
    with _lock:
        _state.update(checked_at=0.0, state="unknown", lag_seconds=None, detail="")
        _behind.clear()


class ReplicaRouter:
    """Reads to the replica only when `replica_reads` allowed it and the replica is fit; writes never."""

    def db_for_read(self, model, **hints):
        if not _reads.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA if state()["state"] == "ok" else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS  # never the instance's own alias, even for a row read from the replica

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, one behind the other

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class StickyPrimaryMiddleware:
    """After a request in which the user wrote, a cookie keeps her reads on the primary for the sticky
    window in every web process (the cache by user id covers API clients when the cache is shared)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        note = {}
        token = _request_note.set(note)
        try:
            response = self.get_response(request)
        finally:
            _request_note.reset(token)
        if "until" in note:
            response.set_cookie(COOKIE, str(int(note["until"]) + 1), max_age=settings.REPLICA_STICKY_SECONDS,
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
