"""Writes of the suggestion box (意见箱): public submission, the federation's reply, public display.

A submission has no actor (the woman has no account): it is idempotent on (channel, key) so a
retried POST or WeChat delivery never makes two letters, and she gets a tracking code to read
the reply. Replying and publishing need participation.manage inside the federation's reach.
"""


from django.db import transaction

from niangjia.core import audit, periods, summaries
from niangjia.core.access import get_for
from niangjia.core.errors import ValidationFailed
from niangjia.core.idempotency import run_once
from niangjia.core.public import tracking_code
from niangjia.core.sensitive import assign_sealed
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_phone
from niangjia.core.versioning import bump_version

from .. import metrics
from ..models import Channel, Suggestion

SUGGESTION_METRIC = metrics.SUGGESTION.name
MSG_CHANNEL = "来源渠道无效"
MSG_NO_FEDERATION = "请选择接收意见的妇联"
MSG_KEY = "缺少提交标识，请刷新页面后重试"
MSG_CONTACT_WHEN_NAMED = "不匿名时请留下姓名或联系电话"
MSG_PUBLIC_NEEDS_REPLY = "答复之后才能公开展示"


def _check_channel(channel: str) -> None:
    if channel not in Channel.values:
        raise ValidationFailed(f"{MSG_CHANNEL}：{channel}", fields={"channel": MSG_CHANNEL})


def _clean_contact(anonymous: bool, name: str, phone: str) -> tuple[str, str]:
    """Anonymous letters keep no contact at all; a named one needs a name or a phone."""
    if anonymous:
        return "", ""
    name = (name or "").strip()
    phone = clean_phone(phone, "contact_phone") if (phone or "").strip() else ""
    if not name and not phone:
        raise ValidationFailed(MSG_CONTACT_WHEN_NAMED, fields={"contact_name": MSG_CONTACT_WHEN_NAMED})
    return name, phone


def submit_suggestion(*, federation, text: str, channel: str, key: str, contact_name: str = "",
                      contact_phone: str = "", anonymous: bool = True) -> tuple[Suggestion, bool]:
    """A letter to `federation`'s suggestion box from a woman without an account (public page,
    WeChat, paper). Idempotent on (channel, key): a retry returns the first letter. Returns
    (suggestion, created); the suggestion carries its tracking code."""
    if federation is None or not getattr(federation, "is_active", False):
        raise ValidationFailed(MSG_NO_FEDERATION, fields={"federation": MSG_NO_FEDERATION})
    _check_channel(channel)
    if not (key or "").strip():
        raise ValidationFailed(MSG_KEY, fields={"key": MSG_KEY})
    body = require_text(text, "text", "意见内容")
    name, phone = _clean_contact(bool(anonymous), contact_name, contact_phone)

    def create() -> Suggestion:
        s = Suggestion(day=periods.today(), text=body, channel=channel, anonymous=bool(anonymous),
                       contact_name=name, tracking_code=tracking_code())
        assign_sealed(s, "contact_phone", "phone", phone)
        s.place_in(federation)
        full_clean_or_raise(s, exclude=["unit"])
        s.save()
        summaries.bump(SUGGESTION_METRIC, federation, s.day, category=channel)
        audit.record(None, "participation.suggestion_submit", s,
                     detail={"channel": channel, "anonymous": bool(anonymous)})
        return s

    return run_once(f"participation.suggestion.{channel}", key.strip(), create)


def suggestion_reply(*, actor, pk: int, reply: str, version: int | None = None,
                     is_public: bool | None = None) -> Suggestion:
    """The federation answers a letter (and may show the exchange publicly)."""
    s = get_for(Suggestion.objects.all(), actor, pk, perm="participation.manage")
    s.reply = require_text(reply, "reply", "答复内容")
    if len(s.reply) > 2000:
        raise ValidationFailed("答复内容不能超过2000字", fields={"reply": "答复内容不能超过2000字"})
    first = s.status != Suggestion.Status.REPLIED
    s.status = Suggestion.Status.REPLIED
    s.replied_at = periods.now()
    s.replied_by = actor
    if is_public is not None:
        s.is_public = bool(is_public)
    with transaction.atomic():
        bump_version(s, version, ["reply", "status", "replied_at", "replied_by", "is_public"])
        audit.record(actor, "participation.suggestion_reply", s,
                     detail={"first_reply": first, "is_public": s.is_public})
    return s


def suggestion_set_public(*, actor, pk: int, is_public: bool, version: int | None = None) -> Suggestion:
    """Show or hide the exchange on the public page; only a replied letter may be shown."""
    s = get_for(Suggestion.objects.all(), actor, pk, perm="participation.manage")
    if is_public and s.status != Suggestion.Status.REPLIED:
        raise ValidationFailed(MSG_PUBLIC_NEEDS_REPLY, fields={"is_public": MSG_PUBLIC_NEEDS_REPLY})
    s.is_public = bool(is_public)
    with transaction.atomic():
        bump_version(s, version, ["is_public"])
        audit.record(actor, "participation.suggestion_publish", s, detail={"is_public": s.is_public})
    return s


def suggestion_by_code(code: str) -> Suggestion | None:
    """The letter a tracking code names (the submitter's own look-up; no contact details shown)."""
    from niangjia.core.public import normalise_code

    code = normalise_code(code)
    return Suggestion.objects.filter(tracking_code=code).select_related("unit").first() if code else None


def suggestion_to_need(*, actor, pk: int, category: str, urgency: str = "normal"):
    """Register a letter as a need in the ledger (channel 意见箱), once."""
    from niangjia.core.errors import Conflict
    from niangjia.needs.services import need_register

    s = get_for(Suggestion.objects.select_related("unit"), actor, pk, perm="participation.manage")
    if s.need_id:
        raise Conflict("这条意见已经转入需求台账")
    with transaction.atomic():
        need = need_register(actor=actor, unit=s.unit, category=category, urgency=urgency,
                             description=s.text[:500], channel="suggestion_box",
                             source=("participation.Suggestion", s.pk))
        # conditional: of two parallel conversions one registers the need, the other rolls back
        if Suggestion.objects.filter(pk=s.pk, need_id__isnull=True).update(need_id=need.pk) != 1:
            raise Conflict("这条意见已经转入需求台账")
        audit.record(actor, "participation.suggestion_to_need", s, detail={"need": need.pk})
    s.need_id = need.pk
    return need
