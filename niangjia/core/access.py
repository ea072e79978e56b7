"""Access: the caller's reach, permission checks, and fetching a record for a user or failing.

Order matters: a record outside the reach answers 404 (as if missing) before any 403.
"""

from django.db.models import QuerySet

from .errors import NotFound
from .roles import require
from .scope import Reach, scope_queryset


def reach_of(user) -> Reach:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Reach()
    return user.get_reach()


def reach_within(user, unit=None) -> Reach:
    """The subtree of `unit` (already fetched inside the user's reach), or the user's whole reach."""
    return Reach.of_unit(unit) if unit is not None else reach_of(user)


def scoped(qs: QuerySet, user, prefix: str = "") -> QuerySet:
    return scope_queryset(qs, reach_of(user), prefix)


def get_for(qs: QuerySet, user, pk, *, perm: str | None = None):
    """The record `pk` of `qs` if inside the user's reach (else 404), then checks `perm` (else 403)."""
    try:
        obj = scoped(qs, user).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if perm:
        require(user, perm)
    return obj


def ensure_unit_in_reach(user, unit) -> None:
    """A write placed under `unit` must land inside the actor's reach."""
    if unit is None or not reach_of(user).covers_obj(unit):
        raise NotFound("所选组织不存在或不在您的管辖范围内")
