"""Writes of logged activities; each write keeps the summary table current in its transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from niangjia.core import audit, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text

from . import metrics
from .models import ActivityLog

METRIC = metrics.ACTIVITY.name


def activity_log(*, actor, unit, day, category: str, title: str, women_reached: int = 0) -> ActivityLog:
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, unit)
    act = ActivityLog(day=day, category=category, title=require_text(title, "title", _("标题")),
                      women_reached=women_reached, created_by=actor if actor.pk else None)
    act.place_in(unit)
    full_clean_or_raise(act)
    with transaction.atomic():
        act.save()
        summaries.bump(METRIC, unit, day, category=category, total=women_reached)
        audit.record(actor, "activity.create", act)
    return act
