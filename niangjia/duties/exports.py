"""Lists `niangjia export` writes for duty checklists (core.extensions.register_export): this year's
progress and the members behind schedule, scoped as the actor sees them."""


from django.utils.translation import gettext as _

from niangjia.core import periods
from niangjia.core.extensions import register_export

from . import queries


def progress(user, unit):
    today = periods.today()
    qs = queries.assignments_for(user, unit=unit, year=today.year, day=today).order_by("unit_id", "id")
    return queries.EXPORT_HEADERS, queries.export_rows(qs, today, queries.schedule_policy(unit))


def behind(user, unit):
    today = periods.today()
    qs = queries.behind_for(user, unit=unit, year=today.year, day=today).order_by("items_done", "id")
    return queries.EXPORT_HEADERS, queries.export_rows(qs, today, queries.schedule_policy(unit))


def register() -> None:
    register_export("duty_progress", _("履职进度"), "duties.view", progress)
    register_export("duty_behind", _("进度落后名单"), "duties.view", behind)
