"""In-platform notifications: escalations, emergency overrides, reminders reach people here.

`notify(users, ...)` writes one Notification per user; `unit_officers(unit, perm)` finds the
active users holding `perm` whose scope is exactly `unit` (the federation's own staff), the
usual recipients of "tell the federation one level up"; `staff_covering(unit, perm)` finds
those whose reach covers `unit` (whom a record there can be assigned to).
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.functional import Promise

from .models import Notification
from .roles import has_perm


def notify(users: Iterable, *, kind: str, text, link: str = "") -> int:
    """`text` may be a lazy translation (format_lazy(gettext_lazy(...), ...)): each recipient's copy is then
    written in the language she chose, not in the language of whoever caused it."""
    rows = [Notification(recipient=u, kind=kind, text=_in_language_of(u, text)[:300], link=link[:300])
            for u in {u.pk: u for u in users if u is not None and u.is_active}.values()]
    Notification.objects.bulk_create(rows)
    return len(rows)


def _in_language_of(user, text) -> str:
    if not isinstance(text, Promise):
        return text
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        return str(text)


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
