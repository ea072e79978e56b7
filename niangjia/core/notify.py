"""In-platform notifications: escalations, emergency overrides, reminders reach people here.

`notify(users, ...)` writes one Notification per user; `unit_officers(unit, perm)` finds the
active users holding `perm` whose scope is exactly `unit` (the federation's own staff), the
usual recipients of "tell the federation one level up"; `staff_covering(unit, perm)` finds
those whose reach covers `unit` (whom a record there can be assigned to).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from .models import Notification
from .roles import has_perm


def notify(users: Iterable, *, kind: str, text: str, link: str = "") -> int:
    rows = [Notification(recipient=u, kind=kind, text=text[:300], link=link[:300])
            for u in {u.pk: u for u in users if u is not None and u.is_active}.values()]
    Notification.objects.bulk_create(rows)
    return len(rows)


def unit_officers(unit, perm: str) -> list:
    User = get_user_model()
    users = User.objects.filter(is_active=True, scopes__unit=unit).distinct()
    return [u for u in users if has_perm(u, perm)]


def staff_covering(unit, perm: str, *, limit: int | None = 200) -> list:
    """Active users holding `perm` whose reach covers `unit` (a scope on it or on an ancestor), by
    username: the people a record there can be assigned to. `limit` bounds the accounts read."""
    ids = [getattr(unit, f"l{n}") for n in range(1, 7) if getattr(unit, f"l{n}", None)]
    users = get_user_model().objects.filter(is_active=True, scopes__unit_id__in=ids).distinct().order_by("username")
    return [u for u in (users[:limit] if limit else users) if has_perm(u, perm)]


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
