"""Figures the platform already knows about a unit, offered to pre-fill a report form's fields."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from niangjia.org.models import Site
from niangjia.people.models import Post


def _sites(kind: str | None) -> Callable:
    def count(unit) -> int:
        qs = Site.objects.filter(unit=unit, is_active=True)
        return (qs.filter(kind=kind) if kind else qs).count()
    return count


def _executives(unit) -> int:
    return Post.objects.filter(unit=unit, body="executive", is_active=True).count()


SOURCES: dict[str, tuple[str, Callable]] = {
    "womens_homes": (_("妇女之家数"), _sites("womens_home")),
    "sites": (_("阵地总数"), _sites(None)),
    "hotlines": (_("12338热线数"), _sites("hotline")),
    "executive_members": (_("在任执委人数"), _executives),
}


def values_for(unit, keys: dict[str, str]) -> dict:
    """{field key: known value} for the fields whose `prefill` names a source."""
    return {field: SOURCES[src][1](unit) for field, src in keys.items() if src in SOURCES}
