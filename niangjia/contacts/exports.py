"""`niangjia export contacts_overview`: this year's plans in the actor's reach, counts only
(who, kind, targets, gaps, silence), as the leaders' overview shows them."""

from django.utils.translation import gettext as _

from niangjia.core.extensions import register_export
from niangjia.org.queries import tree_roots_for

from . import queries, services


def overview(user, unit):
    roots = [unit] if unit is not None else tree_roots_for(user)
    year = services.today().year

    def rows():
        for root in roots:
            yield from queries.overview_export_rows(queries.overview(user, root, queries.OverviewFilters(year=year)))

    return queries.OVERVIEW_HEADERS, rows()


def register() -> None:
    register_export("contacts_overview", _("直接联系情况"), "contacts.view", overview)
