"""Reads of users and the audit log (administrators only)."""

from niangjia.core import callers
from niangjia.core.access import reach_of, scoped
from niangjia.core.errors import NotFound
from niangjia.core.models import AuditEntry
from niangjia.core.roles import require
from niangjia.core.scope import reach_q

from .models import User, UserScope

__all__ = ["users_for", "get_user_for", "audit_for", "active_user_named", "scope_units"]


def active_user_named(username: str) -> User | None:
    """The active user with this username (a hotline feed names its operator), from the caller cache when
    she was looked up before and nothing about her changed since (core.callers)."""
    if not username:
        return None
    user_id = callers.get(f"callers:username:{username}")
    if user_id is not None:
        user = callers.remember(user_id, "user", lambda: User.objects.filter(pk=user_id).first())
        if user is not None and user.username == username and user.is_active:
            return user
    user = User.objects.filter(username=username, is_active=True).first()
    if user is not None:
        callers.put(f"callers:username:{username}", user.pk)
    return user


def scope_units(user) -> list:
    """The active units of her scopes (cached like her reach, core.callers)."""
    def load():
        return [s.unit for s in UserScope.objects.filter(user_id=user.pk, unit__is_active=True).select_related("unit")]

    return callers.remember(user.pk, "units", load) if user.pk else []


def users_for(actor, *, q: str = "", role: str = "", active: bool | None = None):
    require(actor, "users.manage")
    qs = users_in_reach(actor).prefetch_related("scopes__unit").select_related("person")
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


def users_in_reach(actor):
    """Users whose every scope lies inside the actor's reach (superusers see all)."""
    reach = reach_of(actor)
    if reach.unrestricted:
        return User.objects.all()
    scoped_users = UserScope.objects.values("user_id")
    outside = UserScope.objects.exclude(reach_q(reach, prefix="unit__")).values("user_id")
    return User.objects.filter(is_superuser=False, pk__in=scoped_users).exclude(pk__in=outside)


def get_user_for(actor, pk) -> User:
    require(actor, "users.manage")
    try:
        return users_in_reach(actor).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
