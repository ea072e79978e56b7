"""Optimistic concurrency: an edit names the version it read; a stale edit answers 409."""

from django.db.models import F

from . import callers
from .errors import StaleVersion


def bump_version(obj, expected: int | None, fields: list[str]) -> None:
    """Save `fields` of obj only if its stored version is still `expected`; then bump it.

    `expected=None` means the caller did not read first (internal services); it still bumps.
    """
    model = type(obj)
    qs = model._base_manager.filter(pk=obj.pk)
    if expected is not None:
        qs = qs.filter(version=expected)
    values = {f: getattr(obj, f) for f in fields if f != "version"}
    updated = qs.update(version=F("version") + 1, **values)
    if updated != 1:
        raise StaleVersion()
    callers.changed(model)  # an UPDATE sends no post_save: cached copies of this model are forgotten
    obj.version = model._base_manager.values_list("version", flat=True).get(pk=obj.pk)
