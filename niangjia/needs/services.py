"""Writes of the needs ledger: the only code that writes needs."""

from datetime import date

from django.db import transaction

from niangjia.core import audit, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.errors import ValidationFailed
from niangjia.core.public import tracking_code
from niangjia.core.validation import full_clean_or_raise, require_text

from .models import Need

METRIC = "need"
MSG_CATEGORY = "需求类别无效"
MSG_URGENCY = "紧急程度无效"
MSG_CHANNEL = "来源渠道无效"


def need_register(*, actor, unit, category: str, urgency: str, description: str, channel: str, person=None,
                  source: tuple[str, int] | None = None, day: date | None = None) -> Need:
    """Register one need heard at `unit` (status 已登记), audited and counted in the summaries.

    The caller's permission to write its own source record (a diary, a call) is checked by the
    caller; here the unit must be inside the actor's reach.
    """
    ensure_unit_in_reach(actor, unit)
    _check_choice(category, Need.Category, "category", MSG_CATEGORY)
    _check_choice(urgency, Need.Urgency, "urgency", MSG_URGENCY)
    _check_choice(channel, Need.Channel, "channel", MSG_CHANNEL)
    need = Need(category=category, urgency=urgency, channel=channel, person=person, day=day or date.today(),
                description=require_text(description, "description", "需求内容"),
                created_by=actor if getattr(actor, "pk", None) else None, tracking_code=tracking_code())
    if source:
        need.source_type, need.source_id = source
    need.place_in(unit)
    full_clean_or_raise(need, exclude=["unit"] if unit.pk else None)
    with transaction.atomic():
        need.save()
        summaries.bump(METRIC, unit, need.day, category=category, status=need.status)
        audit.record(actor, "need.register", need, detail={"category": category, "urgency": urgency,
                                                           "channel": channel, "source": list(source or ())})
    return need


def _check_choice(value, choices, field: str, msg: str) -> None:
    if value not in choices.values:
        raise ValidationFailed(f"{msg}：{value}", fields={field: msg})


def need_submit_public(*, unit, category: str, description: str, channel: str, key: str, urgency: str = "normal",
                       contact_name: str = "", contact_phone: str = "") -> tuple[Need, bool]:
    """A need from a woman without an account (public page, WeChat): no actor, idempotent on `key`
    (a retried delivery returns the first need). Returns (need, created).

    Contact details are optional; storing them (sealed) is the needs issue's work.
    """
    from niangjia.core.idempotency import run_once

    _check_choice(category, Need.Category, "category", MSG_CATEGORY)
    _check_choice(urgency, Need.Urgency, "urgency", MSG_URGENCY)
    _check_choice(channel, Need.Channel, "channel", MSG_CHANNEL)
    text = require_text(description, "description", "需求内容")

    def create() -> Need:
        need = Need(category=category, urgency=urgency, channel=channel, day=date.today(), description=text,
                    tracking_code=tracking_code())
        need.place_in(unit)
        full_clean_or_raise(need, exclude=["unit"] if unit.pk else None)
        need.save()
        summaries.bump(METRIC, unit, need.day, category=category, status=need.status)
        audit.record(None, "need.submit_public", need, detail={"category": category, "channel": channel})
        return need

    return run_once(f"need.public.{channel}", key, create)
