"""The filters shared by the field-work lists (stays, diaries, reports, proposals), web and CLI.

A user with fieldwork.view sees everyone in her reach (narrowed by a unit of her subtree, a
name, “only mine”); a user with only fieldwork.record sees her own records.
"""

from dataclasses import dataclass, field
from datetime import date

from niangjia.core.roles import has_perm
from niangjia.core.web import query_date
from niangjia.org.queries import get_federation_for, unit_options_for

from . import queries


@dataclass
class ListFilter:
    viewer: bool
    mine: bool
    unit: object = None
    person: object = None
    person_q: str = ""
    start: date | None = None
    end: date | None = None
    status: str = ""
    kind: str = ""
    unit_options: list = field(default_factory=list)

    def query_args(self) -> dict:
        return {"unit": self.unit, "person": self.person, "start": self.start, "end": self.end,
                "person_q": self.person_q}

    @property
    def nobody(self) -> bool:
        """“Only mine” for a user without a person record: an empty list, not everyone's."""
        return self.mine and self.person is None

    def select(self, qs):
        """`qs`, or none of it when the filter names nobody."""
        return qs.none() if self.nobody else qs


def list_filter(request, *, statuses=(), kinds=()) -> ListFilter:
    """Parse the GET filters of a field-work list; the unit is fetched in scope (404 outside it)."""
    user, g = request.user, request.GET
    viewer = has_perm(user, "fieldwork.view")
    raw = g.get("unit") or ""
    unit = get_federation_for(user, raw) if viewer and raw.isdigit() else None
    mine = not viewer or g.get("mine") == "1"
    start, end = query_date(g.get("from")), query_date(g.get("to"))
    if start and end and end < start:
        start, end = end, start
    status = g.get("status") or ""
    kind = g.get("kind") or ""
    return ListFilter(
        viewer=viewer, mine=mine, unit=unit, person=queries.my_person(user) if mine else None,
        person_q=(g.get("person_q") or "").strip()[:50] if not mine else "", start=start, end=end,
        status=status if status in dict(statuses) else "", kind=kind if kind in dict(kinds) else "",
        unit_options=unit_options_for(user, selected=unit) if viewer else [])
