"""Reads of users and the audit log (administrators only)."""

from niangjia.core.access import scoped
from niangjia.core.models import AuditEntry
from niangjia.core.roles import require

from .services import _users_in_reach, get_user_for

__all__ = ["users_for", "get_user_for", "audit_for"]


def users_for(actor, *, q: str = "", role: str = "", active: bool | None = None):
    require(actor, "users.manage")
    qs = _users_in_reach(actor).prefetch_related("scopes__unit").select_related("person")
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(first_name__contains=q)
    if role:
        qs = qs.filter(roles__icontains=f'"{role}"')
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def audit_for(actor, *, action: str = "", actor_id: int | None = None, target_type: str = "", target_id: str = ""):
    """Audit rows about records in the actor's reach (superusers: all, including unscoped rows)."""
    require(actor, "audit.view")
    qs = AuditEntry.objects.all() if actor.is_superuser else scoped(AuditEntry.objects.all(), actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    return qs
