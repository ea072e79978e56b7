"""Access: the caller's reach, permission checks, and fetching a record for a user or failing.

Order matters: a record outside the reach answers 404 (as if missing) before any 403.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import NotFound
from .roles import PERMISSIONS, has_perm, require
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
        raise NotFound(_("所选组织不存在或不在您的管辖范围内"))


# ---- what a user may do: one question for views and templates ({% can %} in core's tag library) ----

_object_rules: dict[str, list[tuple[type, object]]] = {}


def register_may(action: str, model: type, rule) -> None:
    """An app's rule for `action` on one of its records: `rule(user, obj) -> bool` (ownership, reach,
    need-to-know). Registered in the app's AppConfig.ready(); without a rule, the role decides."""
    rules = _object_rules.setdefault(action, [])
    if all(m is not model or r is not rule for m, r in rules):
        rules.append((model, rule))


def may(user, action: str, obj=None) -> bool:
    """Whether `user` may do `action` (a permission name such as "people.edit", or an app's own action
    name with a registered rule), on `obj` when given. The one way pages decide which buttons to show;
    the services still check on every write."""
    if obj is not None:
        for model, rule in _object_rules.get(action, ()):
            if isinstance(obj, model):
                return bool(rule(user, obj))

    if action not in PERMISSIONS and action not in _object_rules:
        raise KeyError(f"unknown permission or action {action!r}")  # a typo must not hide a button silently
    if not has_perm(user, action):
        return False
    if obj is not None and hasattr(obj, "l1"):  # a scoped record: only inside the user's reach
        return reach_of(user).covers_obj(obj)
    return True
