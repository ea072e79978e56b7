"""Writes of logged activities (each keeps the summary table current in its transaction) and of saved pivot views."""

from django.db import transaction

from niangjia.core import audit, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import NotFound, StaleVersion, ValidationFailed
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text

from . import metrics, pivot
from .models import ActivityLog, SavedPivot

METRIC = metrics.ACTIVITY.name


def activity_log(*, actor, unit, day, category: str, title: str, women_reached: int = 0) -> ActivityLog:
    require(actor, "org.edit")
    ensure_unit_in_reach(actor, unit)
    act = ActivityLog(day=day, category=category, title=require_text(title, "title", "标题"),
                      women_reached=women_reached, created_by=actor if actor.pk else None)
    act.place_in(unit)
    full_clean_or_raise(act)
    with transaction.atomic():
        act.save()
        summaries.bump(METRIC, unit, day, category=category, total=women_reached)
        audit.record(actor, "activity.create", act)
    return act


# ---------------------------------------------------------------- saved pivot views (per user)

MSG_PIVOT_NAME_TAKEN = "您已有同名的透视表，请换一个名称"


def _pivot_name(actor, name: str, exclude_pk=None) -> str:
    name = require_text(name, "name", "名称")
    if SavedPivot.objects.filter(owner=actor, name=name).exclude(pk=exclude_pk).exists():
        raise ValidationFailed(MSG_PIVOT_NAME_TAKEN, fields={"name": MSG_PIVOT_NAME_TAKEN})
    return name


def pivot_view_save(*, actor, name: str, config: dict) -> SavedPivot:
    """Save a pivot view for the actor (her own; nobody else lists or opens it)."""
    require(actor, "stats.view")
    view = SavedPivot(owner=actor, name=_pivot_name(actor, name), config=pivot.clean_config(config))
    full_clean_or_raise(view)
    with transaction.atomic():
        view.save()
        audit.record(actor, "pivot_view.create", view, detail={"config": view.config})
    return view


def pivot_view_update(*, actor, view: SavedPivot, version: int | None, name: str | None = None,
                      config: dict | None = None) -> SavedPivot:
    require(actor, "stats.view")
    _own(actor, view)
    changes = {}
    if name is not None:
        changes["name"] = _pivot_name(actor, name, exclude_pk=view.pk)
    if config is not None:
        changes["config"] = pivot.clean_config(config)
    apply_changes(actor=actor, obj=view, version=version, changes=changes, allowed={"name", "config"},
                  action="pivot_view.update")
    return view


def pivot_view_delete(*, actor, view: SavedPivot, version: int | None) -> None:
    """Delete a saved view (the page asks to confirm first); a stale version is refused."""
    require(actor, "stats.view")
    _own(actor, view)
    with transaction.atomic():
        if not SavedPivot.objects.filter(pk=view.pk, version=version).exists():
            raise StaleVersion()
        audit.record(actor, "pivot_view.delete", view, detail={"name": view.name, "config": view.config})
        SavedPivot.objects.filter(pk=view.pk).delete()


def _own(actor, view: SavedPivot) -> None:
    if view.owner_id != actor.pk:
        raise NotFound("没有这个透视表")
