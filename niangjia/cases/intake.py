"""12338 hotline intake: call records from the telephony system, and what an operator turns them into.

`call_receive` is idempotent on the call id (core.idempotency.run_once, backed by a unique
constraint): the telephony system retries freely and no call is lost or recorded twice.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.accounts.queries import active_user_named, scope_units
from niangjia.cases.audit_actions import Action
from niangjia.core import audit, periods, sensitive, together
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.errors import Forbidden, StaleVersion, ValidationFailed
from niangjia.core.idempotency import run_once, statement_once
from niangjia.core.notify import notify, staff_covering, unit_officers
from niangjia.core.roles import has_perm, require
from niangjia.core.validators import normalize_phone, phone_problem
from niangjia.core.versioning import bump_version
from niangjia.needs import services as needs
from niangjia.org.models import Federation

from . import services
from .models import HotlineCall
from .queries import is_case_admin, knows

SCOPE = "cases.hotline_call"  # the idempotency scope of delivered calls
MSG_OPERATOR = gettext_lazy("接线员须是本组织范围内有接听热线权限的在职用户")
MSG_HANDLED = gettext_lazy("该来电已处理，不能重复处理")
MSG_REVEAL_HANDLED = gettext_lazy("该来电已处理：来电号码和备注只对所建个案的承办人、指定督导和管理员开放")


def _operator(username: str, actor=None):
    """The user who took the call, or None when the name matches no active user allowed to take calls."""
    name = (username or "").strip()
    if actor is not None and name == actor.username and actor.is_active:
        user = actor  # the operator's own seat sends her calls: she is resolved already
    else:
        user = active_user_named(name)
    return user if user is not None and has_perm(user, "hotline.intake") else None


def _home_unit(user, field: str = "operator"):
    """The user's own federation: her deepest scope (a county hotline seat, usually)."""
    units = scope_units(user)
    if not units and user.is_superuser:
        units = list(Federation.objects.filter(is_active=True, parent__isnull=True).order_by("id")[:1])
    if not units:
        msg = _("接线员没有所属组织") if field == "operator" else _("推送来电的账号没有所属组织，无法登记来电")
        raise ValidationFailed(msg, fields={field: msg})
    return max(units, key=lambda u: (u.level, -u.pk))


def _caller(raw: str) -> str:
    """E.164 when it is a phone number; a withheld or odd caller id is kept as given."""
    raw = (raw or "").strip()[:40]
    return normalize_phone(raw) if raw and not phone_problem(raw) else raw


def call_receive(*, actor, call_id: str, started_at: datetime, caller: str, duration_seconds: int,
                 operator: str, notes: str = "") -> tuple[HotlineCall, bool]:
    """Record one call (status 待处理); the same call id delivered again returns the first record."""
    require(actor, "hotline.intake")
    call_id = (call_id or "").strip()
    if not call_id or len(call_id) > 64:
        raise ValidationFailed(_("呼叫编号不能为空且不超过64个字符"), fields={"call_id": _("呼叫编号无效")})
    if duration_seconds < 0:
        raise ValidationFailed(_("通话时长不能为负数"), fields={"duration_seconds": _("通话时长无效")})
    if timezone.is_naive(started_at):
        started_at = timezone.make_aware(started_at)
    if started_at > periods.now() + timedelta(minutes=10):
        raise ValidationFailed(_("来电时间不能晚于现在"), fields={"started_at": _("来电时间无效")})
    op = _operator(operator, actor)
    # a call whose operator is unknown is never lost: it is kept under the sending account's federation,
    # 待分派, with the name as given, and the operators there are told to sort it out
    unit = _home_unit(op) if op is not None else _home_unit(actor, "actor")
    ensure_unit_in_reach(actor, unit)

    def new(pk=None) -> HotlineCall:
        call = HotlineCall(pk=pk, call_id=call_id, started_at=started_at, duration_seconds=duration_seconds,
                           operator=op, operator_given=(operator or "").strip()[:150],
                           notes_enc=sensitive.encrypt((notes or "").strip()[:2000]))
        number = _caller(caller)
        call.caller_enc, call.caller_mask = sensitive.encrypt(number), sensitive.mask_phone(number) if number else ""
        call.caller_bidx = sensitive.blind_index(number)
        call.place_in(unit)
        return call

    summary = f"来电 {call_id}" + ("（接线员待分派）" if op is None else "")
    if op is not None and together.one_statement():
        # PostgreSQL: the key, the call and its audit row in one statement, its own transaction (one round trip)
        call, st = new(), together.Statement()
        pk = st.claim(SCOPE, call_id, HotlineCall)
        st.insert(call, pk=pk)
        st.audit(actor, Action.HOTLINE_RECEIVE, call, pk=pk, summary=summary,
                 detail={"operator": op.pk, "operator_given": call.operator_given})
        return statement_once(st, SCOPE, call_id, call)

    def create(pk) -> HotlineCall:
        call = new(pk)
        # the call and its audit row in one statement (its id drawn with the key's claim)
        audit.record(actor, Action.HOTLINE_RECEIVE, call, summary=summary,
                     detail={"operator": getattr(op, "pk", None), "operator_given": call.operator_given},
                     insert_target=True)
        if op is None:
            notify(unit_officers(unit, "hotline.intake"), kind="hotline.unassigned", link=f"/cases/hotline/{call.pk}/",
                   text=format_lazy(gettext_lazy("来电 {call_id} 的接线员“{value}”无法识别，请分派"), call_id=call_id, value=call.operator_given or gettext_lazy('未报送')))
        return call

    return run_once(SCOPE, call_id, create, model=HotlineCall, audited=True)


def call_assign(*, actor, call: HotlineCall, operator, version: int | None = None) -> HotlineCall:
    """分派: name the operator of a call whose operator was unknown (or correct it while the call is new)."""
    require(actor, "hotline.intake")
    ensure_unit_in_reach(actor, call.unit)
    _ensure_new(call)
    if (operator is None or not operator.is_active or not has_perm(operator, "hotline.intake")
            or not operator.get_reach().covers_obj(call.unit)):
        raise ValidationFailed(MSG_OPERATOR, fields={"operator": MSG_OPERATOR})
    old = call.operator_id
    call.operator = operator
    with transaction.atomic():
        _claim(call, version)
        bump_version(call, version, ["operator"])
        audit.record(actor, Action.HOTLINE_ASSIGN, call, detail={"from": old, "to": operator.pk,
                                                            "operator_given": call.operator_given})
    return call


def operators_for(unit) -> list:
    """Active users who take calls and whose reach covers `unit` (the picker of 分派)."""
    return [u for u in staff_covering(unit, "hotline.intake") if not u.is_superuser]


def may_reveal(actor, call: HotlineCall) -> bool:
    """A call still to be handled is open to the operators in reach; once it became a case, its number
    and notes are case data: only those on that case (and the admin) may read them again."""
    if call.status == HotlineCall.Status.NEW or is_case_admin(actor):
        return True
    return call.case_id is not None and knows(actor, call.case)


def call_reveal(*, actor, call: HotlineCall) -> dict:
    """The caller number and notes in clear for the operator handling the call; audited."""
    require(actor, "hotline.intake")
    ensure_unit_in_reach(actor, call.unit)
    if not may_reveal(actor, call):
        raise Forbidden(MSG_REVEAL_HANDLED, fields={"status": MSG_REVEAL_HANDLED})
    return audit.reveal(actor, call, "caller,notes", lambda: {"caller": sensitive.decrypt(call.caller_enc),
                                                              "notes": sensitive.decrypt(call.notes_enc)})


def _ensure_new(call: HotlineCall) -> None:
    if call.status != HotlineCall.Status.NEW:
        raise services.TransitionRefused(MSG_HANDLED, fields={"status": MSG_HANDLED})


def _claim(call: HotlineCall, version: int | None) -> None:
    """Lock the call's row and check it is still new and unchanged (inside the caller's transaction): of
    parallel conversions of one call, exactly one goes on; the others wait, then are refused."""
    locked = HotlineCall.objects.select_for_update().only("status", "version").get(pk=call.pk)
    _ensure_new(locked)
    if version is not None and locked.version != version:
        raise StaleVersion()


def _mark(actor, call: HotlineCall, status: str, version: int | None, **link) -> None:
    call.status, call.handled_by, call.handled_at = status, actor, periods.now()
    for k, v in link.items():
        setattr(call, k, v)
    bump_version(call, version, ["status", "handled_by", "handled_at", *link])


def call_to_need(*, actor, call: HotlineCall, category: str, urgency: str, description: str,
                 version: int | None = None):
    """Register the call as a need in the needs ledger (channel 12338热线), linked both ways."""
    require(actor, "hotline.intake")
    ensure_unit_in_reach(actor, call.unit)
    _ensure_new(call)
    with transaction.atomic():
        _claim(call, version)
        need = needs.need_register(actor=actor, unit=call.unit, category=category, urgency=urgency,
                                   description=description, channel="hotline", source=("cases.HotlineCall", call.id))
        _mark(actor, call, HotlineCall.Status.NEED, version, need_id=need.pk)
        audit.record(actor, Action.HOTLINE_TO_NEED, call, detail={"need": need.pk})
    return need


def call_to_case(*, actor, call: HotlineCall, version: int | None = None, **case_fields):
    """Open a case from the call (channel 12338热线); the caller number is the default phone."""
    require(actor, "hotline.intake")
    ensure_unit_in_reach(actor, call.unit)
    _ensure_new(call)
    if not (case_fields.get("phone") or "").strip():
        number = sensitive.decrypt(call.caller_enc)
        case_fields["phone"] = number if number and not phone_problem(number) else ""
    with transaction.atomic():
        _claim(call, version)
        case, warnings = services.case_open(actor=actor, unit=call.unit, channel="hotline", call=call, **case_fields)
        _mark(actor, call, HotlineCall.Status.CASE, version, case=case)
        audit.record(actor, Action.HOTLINE_TO_CASE, call, detail={"case": case.pk})
    return case, warnings


def call_dismiss(*, actor, call: HotlineCall, reason: str, version: int | None = None) -> HotlineCall:
    """A call that needs nothing (wrong number, information only); the reason is kept in the audit."""
    require(actor, "hotline.intake")
    ensure_unit_in_reach(actor, call.unit)
    _ensure_new(call)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请写明无需处理的原因"), fields={"reason": _("原因不能为空")})
    with transaction.atomic():
        _claim(call, version)
        _mark(actor, call, HotlineCall.Status.NO_ACTION, version)
        audit.record(actor, Action.HOTLINE_DISMISS, call, detail={"reason": reason[:200]})
    return call


MANUAL_PREFIX = "manual-"


def call_record_manual(*, actor, key: str, started_at: datetime, ended_at: datetime, caller: str,
                       notes: str = "") -> tuple[HotlineCall, bool]:
    """A call the operator writes down by hand (no telephony feed): the same record as a delivered call,
    taken by her; the form's key is its call id, so a resent form never makes a second call."""
    key = (key or "").strip()[:48]
    if not key:
        raise ValidationFailed(_("表单已过期，请刷新后重填"), fields={"idempotency_key": _("缺少表单编号")})
    if ended_at < started_at:
        raise ValidationFailed(_("挂断时间不能早于来电时间"), fields={"ended_at": _("挂断时间早于来电时间")})
    return call_receive(actor=actor, call_id=MANUAL_PREFIX + key, started_at=started_at, caller=caller,
                        duration_seconds=int((ended_at - started_at).total_seconds()),
                        operator=actor.username, notes=notes)
