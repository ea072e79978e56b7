"""Reads of the needs ledger; always scoped to the caller's reach."""

from django.db.models import QuerySet

from niangjia.core.access import scoped
from niangjia.core.scope import in_subtree

from .models import Need


def needs_for(user, *, unit=None, category: str = "", urgency: str = "", channel: str = "",
              source: tuple[str, int] | None = None, start=None, end=None) -> QuerySet:
    qs = scoped(Need.objects.select_related("unit", "person"), user)
    qs = in_subtree(qs, unit)
    if category:
        qs = qs.filter(category=category)
    if urgency:
        qs = qs.filter(urgency=urgency)
    if channel:
        qs = qs.filter(channel=channel)
    if source is not None:
        qs = qs.filter(source_type=source[0], source_id=source[1])
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    return qs


def needs_of_sources(source_type: str, ids: list[int]) -> dict[int, list[Need]]:
    """Needs registered from these source records (e.g. diaries the caller already may see), one query."""
    out: dict[int, list[Need]] = {}
    for need in Need.objects.filter(source_type=source_type, source_id__in=ids).order_by("id"):
        out.setdefault(need.source_id, []).append(need)
    return out
