"""Shared write steps for editable records: apply changes, validate, version-check, audit."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .errors import ValidationFailed
from .validation import full_clean_or_raise
from .versioning import bump_version


def apply_changes(*, actor, obj, version: int | None, changes: dict, allowed: set[str], action: str,
                  sensitive: set[str] = frozenset()) -> dict:
    """Set the allowed fields, validate, save under a version check and audit the diff.

    Returns the diff {field: [old, new]} (sensitive fields show only that they changed).
    """
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(_("不能修改这些字段：{value}").format(value=', '.join(sorted(unknown))))
    diff = {}
    for field, new in changes.items():
        old = getattr(obj, field)
        if old != new:
            diff[field] = ["***", "***"] if field in sensitive else [_plain(old), _plain(new)]
            setattr(obj, field, new)
    full_clean_or_raise(obj)
    with transaction.atomic():
        bump_version(obj, version, list(changes))
        audit.record(actor, action, obj, detail={"changes": diff})
    return diff


def _plain(v):
    if hasattr(v, "pk"):
        return v.pk
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v
