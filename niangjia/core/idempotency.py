"""Idempotency keys for intake from outside: a retried delivery returns the first result."""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import IdempotencyKey


def run_once(scope: str, key: str, create: Callable[[], object]) -> tuple[object, bool]:
    """Run `create` once per (scope, key); returns (result, created).

    The key row and the record are written in one transaction. A concurrent retry blocks on
    the unique key until the first commits, then reads the first result.
    """
    model_of: dict[str, type] = {}
    try:
        with transaction.atomic():
            marker = IdempotencyKey.objects.create(scope=scope, key=key)
            result = create()
            marker.result_type = result._meta.label
            marker.result_id = str(result.pk)
            marker.save(update_fields=["result_type", "result_id"])
            return result, True
    except IntegrityError:
        existing = IdempotencyKey.objects.get(scope=scope, key=key)
        from django.apps import apps

        model = model_of.get(existing.result_type) or apps.get_model(existing.result_type)
        return model.objects.get(pk=existing.result_id), False
