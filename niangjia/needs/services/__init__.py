"""Writes of the needs ledger: the only code that writes needs (catalogue, providers and orders
are in services/catalogue.py and re-exported here).

Each step of the pipeline (rules.PIPELINE) is one function: it checks the permission, the
caller's reach, the status and the version, then writes, moves the summary counts and audits
in one transaction. A refused step raises core.pipeline.TransitionRefused (409).
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, notify, periods, policies, sensitive, together
from niangjia.core.access import ensure_unit_in_reach, reach_of
from niangjia.core.errors import Forbidden, StaleVersion, ValidationFailed
from niangjia.core.i18n import source_text  # the audit trail keeps its Chinese words
from niangjia.core.idempotency import run_once, statement_once
from niangjia.core.metrics import write
from niangjia.core.public import tracking_code
from niangjia.core.roles import has_perm, require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_phone
from niangjia.core.versioning import bump_version
from niangjia.needs.audit_actions import Action

from .. import metrics, rules
from ..models import Need, NeedEscalation, Service
from ..queries import order_to_rate
from .catalogue import (  # noqa: F401 - re-exported: catalogue, providers and orders
    ORDER_METRIC,
    SERVICE_FIELDS,
    order_accept,
    order_cancel,
    order_create,
    order_decline,
    order_deliver,
    order_rate,
    provider_covers,
    provider_create,
    provider_update,
    service_create,
    service_update,
)

METRIC = metrics.NEED.name  # category × status
CHANNEL_METRIC = metrics.NEED_CHANNEL.name  # channel (as category) × status
OVERDUE_METRIC = metrics.NEED_OVERDUE.name  # escalations by category
MSG_CATEGORY = gettext_lazy("需求类别无效")
MSG_URGENCY = gettext_lazy("紧急程度无效")
MSG_CHANNEL = gettext_lazy("来源渠道无效")
MSG_ASSIGNEE = gettext_lazy("请选择承办人")
MSG_RESOLUTION = gettext_lazy("请填写办理结果")
MSG_TARGET = gettext_lazy("请填写转介去向（服务机构或单位）")
MSG_REASON = gettext_lazy("请填写关闭原因")


# ---------------------------------------------------------------- registration


def need_register(*, actor, unit, category: str, urgency: str, description: str, channel: str, person=None,
                  source: tuple[str, int] | None = None, day: date | None = None, contact_name: str = "",
                  contact_phone: str = "", requested_service: Service | None = None,
                  registered_at: datetime | None = None) -> Need:
    """Register one need heard at `unit` (status 已登记), with its deadline, audited and counted.

    The caller's permission to write its own source record (a diary, a call) is checked by the
    caller; here the unit must be inside the actor's reach.
    """
    ensure_unit_in_reach(actor, unit)
    need = _build(unit=unit, category=category, urgency=urgency, description=description, channel=channel,
                  contact_name=contact_name, contact_phone=contact_phone, requested_service=requested_service,
                  day=day, registered_at=registered_at)
    need.person = person
    need.created_by = actor if getattr(actor, "pk", None) else None
    if source:
        need.source_type, need.source_id = source
    with transaction.atomic():
        _save_new(need)
        audit.record(actor, Action.NEED_REGISTER, need, detail={"category": category, "urgency": urgency,
                                                           "channel": channel, "source": list(source or ())})
    return need


def need_create(*, actor, unit, category: str, urgency: str, description: str, channel: str, **extra) -> Need:
    """A cadre registers a need directly (ledger form, API): needs.handle, inside her reach."""
    require(actor, "needs.handle")
    return need_register(actor=actor, unit=unit, category=category, urgency=urgency, description=description,
                         channel=channel, **extra)


def need_submit_public(*, unit, category: str, description: str, channel: str, key: str, urgency: str = "normal",
                       contact_name: str = "", contact_phone: str = "", service: Service | None = None,
                       rate_hit=None) -> tuple[Need, bool]:
    """A need from a woman without an account (public page, WeChat): no actor, idempotent on `key`
    (a retried delivery returns the first need). Returns (need, created).

    With `service` she orders a catalogue service available at her place; its category wins. `rate_hit` (a
    core.ratelimit.Hit): counted with the writes, nothing written past its limit (RateLimited).
    """
    need = need_public_new(unit=unit, category=category, description=description, channel=channel,
                           urgency=urgency, contact_name=contact_name, contact_phone=contact_phone, service=service)
    scope = f"need.public.{channel}"
    if key and together.one_statement():  # PostgreSQL: key, need, counts and audit row in one round trip
        st = together.Statement()
        need_public_add(st, need, key=key)
        if rate_hit is not None:
            st.limit(rate_hit)
        return statement_once(st, scope, key, need)
    if rate_hit is not None:
        rate_hit.settle()  # counted before anything is written

    def create() -> Need:
        _save_new(need)
        audit.record(None, Action.NEED_SUBMIT_PUBLIC, need, detail=_public_detail(need))
        return need

    return run_once(scope, key, create)


def need_public_new(*, unit, category: str, description: str, channel: str, urgency: str = "normal",
                    contact_name: str = "", contact_phone: str = "", service: Service | None = None) -> Need:
    """The need a woman's submission makes, checked, not saved yet (`need_submit_public` saves it)."""
    if unit is None or not unit.is_active:
        raise ValidationFailed(_("请选择所在的村（社区）"), fields={"unit": _("请选择所在的村（社区）")})
    if service is not None:
        category = service.category
    return _build(unit=unit, category=category, urgency=urgency, description=description, channel=channel,
                  contact_name=contact_name, contact_phone=contact_phone, requested_service=service)


def need_public_add(st, need: Need, *, key: str):
    """Add a public need's writes to a core.together.Statement: its key claimed, the need, its audit row and
    its summary counts, as `need_submit_public` writes them; returns the need's id to be (a together.Ref)."""
    ref = st.claim(f"need.public.{need.channel}", key, Need)
    st.insert(need, pk=ref)
    st.audit(None, Action.NEED_SUBMIT_PUBLIC, need, pk=ref, detail=_public_detail(need))
    st.counts(_counts(need, "after"))
    return ref


def _public_detail(need: Need) -> dict:
    return {"category": need.category, "channel": need.channel, "service": need.requested_service_id}


def _build(*, unit, category, urgency, description, channel, contact_name="", contact_phone="",
           requested_service=None, day=None, registered_at=None) -> Need:
    _check_choice(category, Need.Category, "category", MSG_CATEGORY)
    _check_choice(urgency, Need.Urgency, "urgency", MSG_URGENCY)
    _check_choice(channel, Need.Channel, "channel", MSG_CHANNEL)
    text = require_text(description, "description", _("需求内容"))
    contact_name = (contact_name or "").strip()
    if len(contact_name) > 20:
        raise ValidationFailed(_("联系人姓名不能超过 20 个字"), fields={"contact_name": _("不能超过 20 个字")})
    phone = clean_phone(contact_phone, "contact_phone") if (contact_phone or "").strip() else ""
    registered_at = registered_at or periods.now()
    policy = policies.resolve(rules.DEADLINE_POLICY, unit)
    need = Need(category=category, urgency=urgency, channel=channel, description=text,
                day=day or timezone.localdate(registered_at), registered_at=registered_at,
                deadline=rules.deadline_at(registered_at, category, urgency, policy),
                requested_service=requested_service, tracking_code=tracking_code())
    if contact_name:
        need.contact_name_enc = sensitive.encrypt(contact_name)
        need.contact_name_mask = rules.mask_name(contact_name)
    sensitive.assign_sealed(need, "contact_phone", "phone", phone)
    need.place_in(unit)
    # the tracking code's uniqueness is the database's (one in 32^8: not worth a query per submission)
    full_clean_or_raise(need, exclude=["unit", "person", "requested_service", "tracking_code"])
    return need


def _save_new(need: Need) -> None:
    with transaction.atomic():
        need.save()
        write(_counts(need, "after"))


def _counts(need: Need, side: str, **over) -> list:
    """The need's two summary rows (by category, by channel) as it stands (`over` replacing some
    dimensions), leaving them (`side` "before") or arriving (`side` "after")."""
    return [d for m in (metrics.NEED, metrics.NEED_CHANNEL) for d in m.delta(need, **{side: over})]


def _check_choice(value, choices, field: str, msg: str) -> None:
    if value not in choices.values:
        raise ValidationFailed(f"{msg}：{value}", fields={field: msg})


# ---------------------------------------------------------------- the pipeline


def _refuse(message: str, field: str = "status"):
    raise rules.PIPELINE.refuse(message, field)


def _check_step(actor, need: Need, step: str) -> rules.Step:
    return rules.PIPELINE.check(actor, need, step)  # permission → reach → status


def _check_handler(actor, need: Need) -> None:
    """Working on an assigned need is for its assignee, or a manager (needs.manage)."""
    if need.assignee_id and need.assignee_id != actor.pk and not has_perm(actor, "needs.manage"):
        raise Forbidden(_("只有承办人或需求台账管理者可以办理此需求"))


def _move(actor, need: Need, step: str, version: int | None, changes: dict, detail: dict | None = None) -> Need:
    """Apply one step: set the fields and the new status under the version check, move the counts, audit."""
    spec = rules.PIPELINE[step]
    old = need.status
    changes = {**changes, "updated_at": periods.now()}
    for field, value in changes.items():
        setattr(need, field, value)
    need.status = spec.target
    with transaction.atomic():
        bump_version(need, version, [*changes, "status"])
        if old != need.status:
            write(_counts(need, "before", status=old) + _counts(need, "after"))
        audit.record(actor, Action(f"need.{step}"), need, summary=f"{source_text(spec.label)}：{need.description[:30]}",
                     detail={"from": old, "to": need.status, **(detail or {})})
    return need


def need_assign(*, actor, need: Need, assignee, version: int | None, note: str = "") -> Need:
    """指派 (needs.manage): an active user holding needs.handle whose reach covers the need."""
    _check_step(actor, need, "assign")
    if assignee is None:
        raise ValidationFailed(MSG_ASSIGNEE, fields={"assignee": MSG_ASSIGNEE})
    if not assignee.is_active or not has_perm(assignee, "needs.handle") or not reach_of(assignee).covers_obj(need):
        raise ValidationFailed(_("承办人须是有办理需求权限、且管辖范围包括该需求所在地的在职用户"),
                               fields={"assignee": _("不能承办此需求")})
    if need.assignee_id == assignee.pk:
        _refuse(_("该需求已指派给此承办人"), "assignee")
    with transaction.atomic():
        _move(actor, need, "assign", version, {"assignee": assignee, "assigned_at": periods.now()},
              detail={"assignee": assignee.pk, "note": (note or "")[:200]})
        notify.notify([assignee], kind="needs.assigned", text=format_lazy(gettext_lazy("指派给您的需求：{value}"), value=need.description[:60]),
                      link=f"/needs/{need.pk}/")
    return need


def need_start(*, actor, need: Need, version: int | None) -> Need:
    _check_step(actor, need, "start")
    _check_handler(actor, need)
    return _move(actor, need, "start", version, {"started_at": periods.now()})


def need_resolve(*, actor, need: Need, version: int | None, resolution: str) -> Need:
    _check_step(actor, need, "resolve")
    _check_handler(actor, need)
    text = _required(resolution, "resolution", MSG_RESOLUTION, 500)
    return _move(actor, need, "resolve", version, {"resolution": text, "resolved_at": periods.now()})


def need_refer(*, actor, need: Need, version: int | None, target: str, order=None) -> Need:
    """转介: to an agency or description (`target`), or by a service order (services/catalogue.py: order_create)."""
    _check_step(actor, need, "refer")
    _check_handler(actor, need)
    text = _required(target, "target", MSG_TARGET, 200)
    detail = {"order": order.pk} if order is not None else {}
    return _move(actor, need, "refer", version, {"referral_target": text, "referred_at": periods.now()}, detail)


EDITABLE = ("category", "urgency", "description", "unit", "person")
MSG_NOT_OPEN = gettext_lazy("只有未办结（已登记、已指派、办理中）的需求可以修改")


def need_update(*, actor, need: Need, version: int | None, **changes) -> Need:
    """Correct a need after intake (versioned): category, urgency, description, place (`unit`), the woman
    (`person`, None for anonymous). Open needs only: a resolved, referred or closed need records what was
    done. A new category, urgency or place re-sets the deadline from the registration time by the policy
    of the (new) place; the summary counts move with the category and the place; an escalation already
    made stays where it was made."""
    require(actor, "needs.handle")
    ensure_unit_in_reach(actor, need)
    _check_handler(actor, need)
    if need.status not in rules.OPEN:
        _refuse(MSG_NOT_OPEN)
    clean = _clean_edit(actor, changes)
    diff = {f: [_plain(getattr(need, f)), _plain(v)] for f, v in clean.items() if getattr(need, f) != v}
    if not diff:
        if version is not None and version != need.version:
            raise StaleVersion()
        return need
    with transaction.atomic():
        leaving = _counts(need, "before")  # the counts move with the category and the place
        for field, value in clean.items():
            if field == "unit":
                need.place_in(value)
            else:
                setattr(need, field, value)
        fields = [*clean, "updated_at"] + (["l1", "l2", "l3", "l4", "l5", "l6"] if "unit" in clean else [])
        if {"category", "urgency", "unit"} & set(diff):
            policy = policies.resolve(rules.DEADLINE_POLICY, need.unit)
            need.deadline = rules.deadline_at(need.registered_at, need.category, need.urgency, policy)
            fields.append("deadline")
        need.updated_at = periods.now()
        bump_version(need, version, fields)
        write(leaving + _counts(need, "after"))
        if "description" in diff:  # the words may be personal: the audit says only that they changed
            diff["description"] = ["***", "***"]
        audit.record(actor, Action.NEED_UPDATE, need, detail={"changes": diff})
    return need


def _clean_edit(actor, changes: dict) -> dict:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(_("不能修改这些字段：{value}").format(value=', '.join(sorted(unknown))))
    clean = dict(changes)
    if "category" in clean:
        _check_choice(clean["category"], Need.Category, "category", MSG_CATEGORY)
    if "urgency" in clean:
        _check_choice(clean["urgency"], Need.Urgency, "urgency", MSG_URGENCY)
    if "description" in clean:
        clean["description"] = _required(clean["description"], "description", _("请填写需求内容"), 500)
    if "unit" in clean:
        if clean["unit"] is None or not clean["unit"].is_active:
            raise ValidationFailed(_("请选择所在组织"), fields={"unit": _("请选择所在组织")})
        ensure_unit_in_reach(actor, clean["unit"])
    if clean.get("person") is not None:
        ensure_unit_in_reach(actor, clean["person"])
    return clean


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


CASE_TARGET = gettext_lazy("维权个案（内容仅个案承办人可见）")


def need_hand_to_case(*, actor, need: Need, version: int | None, case_id: int) -> Need:
    """转介 to a rights-protection case; called by cases.services.case_from_need inside its transaction.

    Open to case handlers (cases.handle) whoever the need's assignee is: a rights matter found in the
    ledger goes to the case workers. The ledger shows only that it went to a case, never which one
    (need-to-know); the audit row names the case.
    """
    _check_step(actor, need, "refer")
    require(actor, "cases.handle")
    return _move(actor, need, "refer", version, {"referral_target": CASE_TARGET, "referred_at": periods.now()},
                 detail={"case": case_id})


def need_close(*, actor, need: Need, version: int | None, reason: str) -> Need:
    _check_step(actor, need, "close")
    _check_handler(actor, need)
    text = _required(reason, "reason", MSG_REASON, 300)
    return _move(actor, need, "close", version, {"close_reason": text, "closed_at": periods.now()})


def _required(value, field: str, message: str, max_len: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed(message, fields={field: message})
    if len(text) > max_len:
        raise ValidationFailed(_("不能超过 {max_len} 个字").format(max_len=max_len), fields={field: _("不能超过 {max_len} 个字").format(max_len=max_len)})
    return text


def need_rate(*, actor, need: Need, rating, comment: str = "") -> Need:
    """The woman's rating (1–5 and a comment): by her tracking code (actor None) or entered by a cadre."""
    if actor is not None:
        require(actor, "needs.handle")
        ensure_unit_in_reach(actor, need)
    problem = rules.rating_problem(rating) or rules.need_rateable(need.status, need.rated_at is not None)
    if problem:
        raise ValidationFailed(problem, fields={"rating": problem})
    comment = (comment or "").strip()[:300]
    with transaction.atomic():
        # conditional: two concurrent ratings never both land
        n = Need.objects.filter(pk=need.pk, rated_at__isnull=True).update(rating=rating, rating_comment=comment,
                                                                          rated_at=periods.now())
        if n != 1:
            raise ValidationFailed(_("已经评价过了，谢谢您"), fields={"rating": _("已评价")})
        audit.record(actor, Action.NEED_RATE, need, detail={"rating": rating, "by_woman": actor is None})
    need.refresh_from_db()
    return need


def rate_by_code(*, need: Need, rating, comment: str = "", key: str = ""):
    """The woman's rating by her tracking code (no account): a delivered service order she has not rated
    yet comes first, else the need itself once resolved. Returns (rated record, created); with `key` a
    retried delivery returns the first result instead of being refused as already rated."""
    def rate():
        order = order_to_rate(need)
        if order is not None:
            return order_rate(actor=None, order=order, rating=rating, comment=comment)
        return need_rate(actor=None, need=need, rating=rating, comment=comment)

    if key:
        return run_once("need.public.rating", f"{need.pk}:{key}"[:100], rate)
    return rate(), True


def contact_reveal(*, actor, need: Need) -> dict:
    """The contact's name and phone in clear, for a handler (audited read)."""
    require(actor, "needs.handle")
    ensure_unit_in_reach(actor, need)
    return audit.reveal(actor, need, "contact", lambda: {"name": sensitive.decrypt(need.contact_name_enc),
                                                         "phone": sensitive.decrypt(need.contact_phone_enc)})


# ---------------------------------------------------------------- escalation


def needs_escalate(*, now: datetime | None = None) -> list[int]:
    """Escalate every open need past its deadline that is not yet escalated; returns their ids.

    Safe to run twice and concurrently: each need is claimed by a conditional UPDATE, so only
    one run escalates it, counts it and notifies (NeedEscalation's one-per-need key backs it up).
    """
    now = now or periods.now()
    due = (Need.objects.filter(status__in=rules.OPEN, escalated_at__isnull=True, deadline__lt=now)
           .order_by("deadline", "id").values_list("id", flat=True))
    return [pk for pk in list(due) if need_escalate(pk, now=now)]


def need_escalate(pk: int, *, now: datetime) -> bool:
    need = Need.objects.select_related("unit", "unit__parent").get(pk=pk)
    target = rules.escalation_target(need.unit)
    with transaction.atomic():
        claimed = (Need.objects.filter(pk=pk, status__in=rules.OPEN, escalated_at__isnull=True, deadline__lt=now)
                   .update(escalated_at=now, escalated_to=target))
        if claimed != 1:
            return False
        officers = notify.unit_officers(target, "needs.manage")
        esc = NeedEscalation(need=need, to_unit=target, category=need.category, day=timezone.localdate(now),
                             deadline=need.deadline, notified=len(officers))
        esc.place_in(need.unit)
        esc.save()
        metrics.NEED_OVERDUE.move(esc, after={})
        audit.record(None, Action.NEED_ESCALATE, need, summary=f"超期上报{target.name}：{need.description[:30]}",
                     detail={"to": target.pk, "deadline": need.deadline.isoformat(), "notified": len(officers)})
        notify.notify(officers, kind="needs.escalated",
                      text=format_lazy(gettext_lazy("{name}的需求已超期未办结，上报贵会督办：{value}"), name=need.unit.name, value=need.description[:60]),
                      link=f"/needs/{need.pk}/")
    return True

