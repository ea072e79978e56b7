"""Who the caller is, resolved once: per-user facts (her token's user, her reach, her home unit) kept in
Django's cache, so a request does not ask the database again what the last one already learnt.

Every entry is stamped with two generations: the user's own and the tree's. Any change to her account,
roles, scopes or tokens starts a new user generation (`forget_user`); a change to the tree that can move a
reach or a home unit (a unit deactivated or moved) starts a new tree generation (`forget_all`). An entry
whose stamp is not current is never used: the next request reads the database and stores a fresh one.
Generations are bumped at once and again when the changing transaction commits, so a reader that
looked between the two cannot keep what it read before the commit. Entries also expire after
`settings.CALLER_CACHE_SECONDS` as a backstop.

The cache must be shared by every web process (settings.CACHES: a file or Redis cache in production);
with one process the local-memory default is enough.
"""

import logging
import pickle
import secrets
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import replica

TREE = "callers:gen:tree"
POLICIES = "policies"  # the owner of cached resolved policies (core.policies.resolve)
log = logging.getLogger(__name__)


class _Unavailable(Exception):
    """The cache could not be read or written (e.g. its directory is not writable): ask the database."""


def _call(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # a broken cache must never break a request; the database still answers
        log.warning("caller cache unavailable: %s", exc)
        raise _Unavailable from exc


def _user_key(user_id) -> str:
    return f"callers:gen:u{user_id}"


def _ttl() -> int:
    return int(getattr(settings, "CALLER_CACHE_SECONDS", 300))


def generation(user_id) -> tuple[str, str]:
    """The current (user, tree) generation; a missing one (never set, or evicted) is started now. With the
    cache unavailable: a value no entry carries."""
    try:
        return _generation(user_id)
    except _Unavailable:
        return secrets.token_hex(8), "unavailable"


def _generation(user_id) -> tuple[str, str]:
    return _generation_of(_user_key(user_id))


# The generations one request has read (`one_request`): a request asks the shared cache for each at most
# once, however many of its look-ups carry it (a hotline POST: her token, her user, her units).
_seen: ContextVar[dict | None] = ContextVar("niangjia_caller_generations", default=None)


@contextmanager
def one_request():
    """Around one request (core.middleware.RequestContextMiddleware): generations read once. A bump made by
    this request is seen at once (`_bump`); one made elsewhere while it runs counts from the next request,
    as if this request had read everything when it began."""
    token = _seen.set({})
    try:
        yield
    finally:
        _seen.reset(token)


def _generation_of(own: str) -> tuple[str, str]:
    keys = [own, TREE]
    seen = _seen.get()
    found = {k: seen[k] for k in keys if k in seen} if seen else {}
    missing = [k for k in keys if k not in found]
    if missing:
        found |= _call(cache.get_many, missing)
    out = []
    for key in keys:
        value = found.get(key)
        if value is None:
            value = secrets.token_hex(8)
            if not _call(cache.add, key, value, None):
                value = _call(cache.get, key) or value
        out.append(value)
    if seen is not None:
        seen[own], seen[TREE] = out
    return out[0], out[1]


def _bump(key: str) -> None:
    seen = _seen.get()
    if seen is not None:
        seen.pop(key, None)
    try:
        cache.set(key, secrets.token_hex(8), None)
    except Exception as exc:
        # a bump that cannot be written must not leave stale entries readable: drop the whole cache
        log.error("caller cache: could not start a new generation (%s); clearing it", exc)
        try:
            cache.clear()
        except Exception as again:  # nothing cached can be read either: entries are only ever read back from it
            log.error("caller cache: could not clear it either (%s)", again)


def forget_user(user_id) -> None:
    """Her account, roles, scopes or tokens changed: no request may use what was cached about her."""
    if user_id is None:
        return
    key = _user_key(user_id)
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def forget_all() -> None:
    """The tree changed (a unit moved or was deactivated): every cached reach and home unit is stale."""
    _bump(TREE)
    transaction.on_commit(lambda: _bump(TREE))


# This process's own copies of entries, stamped like the shared ones and kept no longer (`_ttl`): a warm call
# reads only the generations from the shared cache (issue 16: each entry read from the file cache is a file
# opened, read and unpickled). An immutable value (`local=True`, e.g. a reach) is kept as it is and every
# request of the process gets the same object; any other is kept pickled and each request gets its own copy,
# as it would from the shared cache.
_LOCAL_MAX = 10_000
_local: dict = {}
_added: dict[str, float] = {}  # keys this process saw set by `add`, until when it takes them as still set


def clear_local() -> None:
    """Forget this process's copies (tests: a test starts with an empty cache, and ids are reused)."""
    _local.clear()
    _added.clear()


def _held(key: str, gen=None):
    """`(stamp, value)` when this process holds `key`, not yet expired and (with `gen`) stamped `gen`; else None."""
    held = _local.get(key)
    if held is None or held[2] <= time.monotonic() or (gen is not None and held[0] != gen):
        return None
    return held[0], pickle.loads(held[1]) if held[3] else held[1]


def _keep(key: str, gen, value, *, pickled: bool) -> None:
    if len(_local) >= _LOCAL_MAX:
        _local.clear()
    _local[key] = (gen, pickle.dumps(value, pickle.HIGHEST_PROTOCOL) if pickled else value,
                   time.monotonic() + _ttl(), pickled)


def remember(user_id, name: str, build: Callable[[], object], *, local: bool = False):
    """`build()` for this user, cached under `name` until her or the tree's generation changes. `local`: the
    value is immutable (every request of the process may get the same object)."""
    return _remember(_user_key(user_id), f"callers:{name}:u{user_id}", build, local=local)


def owner_key(owner: str) -> str:
    return f"callers:gen:{owner}"


def remember_for(owner: str, name: str, build: Callable[[], object], *, local: bool = False):
    """`build()` for something looked up per request that is not a user (a WeChat account behind its callback,
    a public form's village, a policy), cached under `name` until `owner`'s generation (`forget(owner)`) or
    the tree's changes: the same generations as a caller's, so one change invalidates the same way."""
    return _remember(owner_key(owner), f"callers:{owner}:{name}", build, local=local)


def forget(owner: str) -> None:
    """Something `remember_for(owner, …)` cached changed: no request may use it any more."""
    key = owner_key(owner)
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def _remember(own: str, key: str, build: Callable[[], object], *, local: bool = False):
    try:
        gen = _generation_of(own)
        held = _held(key, gen)
        if held is not None:
            return held[1]
        hit = _call(cache.get, key)
    except _Unavailable:
        return build()
    if hit is not None and hit[0] == gen:
        value = hit[1]
    else:
        with replica.primary_reads():  # kept under the current generation: never from a lagging replica
            value = build()
        try:
            _call(cache.set, key, (gen, value), _ttl())
        except _Unavailable:
            return value
    _keep(key, gen, value, pickled=not local)
    return value


def lookup(key: str, user_of: Callable[[object], object]):
    """A cached `(generation, value)` stored with `put` under `key` (e.g. a token's hash), or None when missing or stale;
    `user_of(value)` gives the user id the value belongs to."""
    try:
        held = _held(key)
        if held is not None and _generation(user_of(held[1])) == held[0]:
            return held[1]
        hit = _call(cache.get, key)
        if hit is None:
            return None
        gen, value = hit
        if _generation(user_of(value)) != gen:
            return None
    except _Unavailable:
        return None
    _keep(key, gen, value, pickled=True)
    return value


def get(key: str, default=None):
    """A plain cache read (e.g. a token's user id, which never changes); `default` when unavailable."""
    try:
        value = _call(cache.get, key)
    except _Unavailable:
        return default
    return default if value is None else value


def put(key: str, value, seconds: int | None = None) -> bool:
    """A plain cache write, e.g. of a value `lookup` reads back as `(generation, value)`; False if unavailable."""
    try:
        _call(cache.set, key, value, _ttl() if seconds is None else seconds)
    except _Unavailable:
        return False
    return True


def add(key: str, value, seconds: int) -> bool:
    """Set `key` only when absent; True when this call set it (also when the cache is unavailable). Once this
    process has seen it set, it does not ask the shared cache again for `seconds` (False meanwhile)."""
    if _added.get(key, 0.0) > time.monotonic():
        return False
    try:
        done = bool(_call(cache.add, key, value, seconds))
    except _Unavailable:
        return True
    if len(_added) >= _LOCAL_MAX:
        _added.clear()
    _added[key] = time.monotonic() + seconds
    return done


WATCHED: dict[str, set[str]] = {}  # model label → owners whose cached values it changes (forget_on_change)


def changed(model) -> None:
    """A write that sends no signal (a QuerySet.update, e.g. core.versioning.bump_version) changed rows of
    `model`: forget every owner watching it."""
    for owner in WATCHED.get(model._meta.label, ()):
        forget(owner)


def forget_on_change(owner: str, *models) -> None:
    """Cache flushing only (no business logic in signals): `forget(owner)` whenever one of `models` is saved or
    deleted, however (services, admin), a many-to-many set of one of them changes, or a versioned edit
    (core.versioning, through `changed`) updates it. Call from an AppConfig's ready()."""
    for model in models:
        WATCHED.setdefault(model if isinstance(model, str) else model._meta.label, set()).add(owner)

    def changed(sender, **kwargs):
        if kwargs.get("action", "post_")[:5] == "post_":
            forget(owner)

    for model in models:
        name = model if isinstance(model, str) else model._meta.label
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"callers.{owner}.{name}.saved")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"callers.{owner}.{name}.deleted")
        if not isinstance(model, str):
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(changed, sender=field.remote_field.through, weak=False,
                                    dispatch_uid=f"callers.{owner}.{name}.{field.name}")
