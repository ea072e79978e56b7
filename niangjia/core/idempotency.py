"""Idempotency keys for intake from outside: a retried delivery returns the first result."""

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.db import IntegrityError, transaction

from niangjia.core import periods

from .models import IdempotencyKey


def run_once(scope: str, key: str, create: Callable[[], object]) -> tuple[object, bool]:
    """Run `create` once per (scope, key); returns (result, created).

    The key row and the record are written in one transaction. A concurrent retry blocks on
    the unique key until the first commits, then reads the first result. Without a key there is
    nothing to recognise a retry by: `create` runs (in a transaction) and is new.
    """
    if not key:
        with transaction.atomic():
            return create(), True
    try:
        with transaction.atomic():
            marker = IdempotencyKey.objects.create(scope=scope, key=key)
            result = create()
            marker.result_type = result._meta.label
            marker.result_id = str(result.pk)
            marker.save(update_fields=["result_type", "result_id"])
            return result, True
    except IntegrityError:
        return _result(IdempotencyKey.objects.get(scope=scope, key=key)), False


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
    from datetime import timedelta


    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(scope=scope, key=key[:200], result_type="fingerprint",
                                          result_id=fingerprint[:64])
    except IntegrityError:
        seen = IdempotencyKey.objects.filter(scope=scope, key=key[:200]).values_list("result_id", flat=True).first()
        return seen == fingerprint[:64]
    if fingerprint[:2] == "00":  # now and then (1 in 256 first uses), forget the expired keys of this scope
        IdempotencyKey.objects.filter(scope=scope, created_at__lt=periods.now() - timedelta(seconds=keep_seconds)) \
            .delete()
    return True
