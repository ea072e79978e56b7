"""Writes of rights-protection cases: the only code that writes cases, consents, referrals and follow-ups.

Each function is one use case in one transaction: permission and need-to-know first (a case the
actor is not on answers 404, as if missing), then the rule, the write, the timeline event, the
audit row and the summary counts.
"""

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from niangjia.cases.audit_actions import Action
from niangjia.core import audit, periods, sensitive
from niangjia.core.access import ensure_unit_in_reach, scoped
from niangjia.core.errors import Forbidden, NotFound, ValidationFailed
from niangjia.core.i18n import choice_label, record_label
from niangjia.core.metrics import write
from niangjia.core.notify import notify, unit_officers
from niangjia.core.pipeline import TransitionRefused
from niangjia.core.roles import has_perm, require
from niangjia.core.validation import require_text
from niangjia.core.validators import id_number_problem, normalize_id_number
from niangjia.core.versioning import bump_version
from niangjia.needs import services as needs
from niangjia.org.models import Organisation

from . import complainants, metrics, rules
from .models import Case, CaseEvent, ConsentRecord, FollowUp, Referral, Risk
from .queries import knows

CASE_METRIC, RISK_METRIC, REFERRAL_METRIC = metrics.CASE.name, metrics.CASE_RISK.name, metrics.REFERRAL.name
MSG_CONSENT_NEEDED = gettext_lazy("向妇联系统外单位转介须先取得当事人单独的转介/共享同意，或由督导记录紧急共享及其法律依据")
MSG_CONSENT_WITHDRAWN = gettext_lazy("当事人已撤回转介/共享同意，不能再向妇联系统外单位转介")
MSG_OVERRIDE_REASON = gettext_lazy("紧急共享必须写明法律依据")
MSG_RISK_REASON = gettext_lazy("调整风险等级必须写明理由")


class ApprovalNeeded(TransitionRefused):
    """The step waits for a named supervisor (cases/approvals.py files the request)."""

    def __init__(self, kind: str):
        super().__init__(gettext("高风险个案结案或下调风险等级，须经督导批准：已可提交申请"),
                         fields={"approval": kind})
        self.kind = kind


STATUS_NAMES = rules.STATUS_NAMES


def _refuse(current: str, target: str) -> TransitionRefused:
    return rules.CASE_PIPELINE.refuse(rules.CASE_PIPELINE.move_problem(current, target))


# stored in the consent record as written (the case file's language of record)
INTAKE_CONSENT_NOTE = "接案时记录"


def _event(case: Case, actor, kind: str, text: str) -> None:
    CaseEvent.objects.create(case=case, actor=actor if getattr(actor, "pk", None) else None, kind=kind,
                             text=text[:300])


def _move_counts(case: Case, *, before: dict | None = None) -> None:
    """Move the case's two summary rows (by type, by risk level) from `before` (the fields that changed,
    as they were; None for a new case) to the case as it is now, in one upsert."""
    write([d for m in (metrics.CASE, metrics.CASE_RISK) for d in m.delta(case, before=before, after={})])


def _ensure_on_case(actor, case: Case, perm: str = "cases.handle") -> None:
    """Need-to-know before anything: a case the actor is not on does not exist for her."""
    if not knows(actor, case):
        raise NotFound()
    require(actor, perm)


def _referral_access(actor, referral: Referral, perm: str) -> None:
    _ensure_on_case(actor, referral.case, perm)


def _ensure_open(case: Case) -> None:
    if case.is_closed:
        raise TransitionRefused(gettext("个案已结案，不能再修改"), fields={"status": gettext("已结案")})


def _check_staff(user, unit, perm: str, field: str, label: str) -> None:
    if user is None or not user.is_active or not has_perm(user, perm) or not user.get_reach().covers_obj(unit):
        raise ValidationFailed(gettext("{label}须是本组织范围内有“{perm}”权限的在职用户").format(label=label, perm=perm), fields={field: gettext("{label}无效").format(label=label)})


def _risk(answers: dict | None, override_level: str | None, reason: str) -> tuple[dict, str, str, str]:
    unknown = rules.unknown_questions(answers)
    if unknown:
        raise ValidationFailed(f"{rules.MSG_UNKNOWN_QUESTION}：{'、'.join(unknown)}",
                               fields={"assessment": rules.MSG_UNKNOWN_QUESTION})
    clean = rules.clean_answers(answers)
    derived = rules.risk_from(clean)
    level = override_level or derived
    if level not in Risk.values:
        raise ValidationFailed(gettext("风险等级无效"), fields={"risk_level": gettext("风险等级无效")})
    reason = (reason or "").strip()
    if level != derived and not reason:
        raise ValidationFailed(MSG_RISK_REASON, fields={"risk_override_reason": MSG_RISK_REASON})
    return clean, derived, level, reason if level != derived else ""


def _id_warning(id_number: str) -> str:
    """The GB 11643 problem of a given ID number ('' when none given or valid)."""
    id_number = (id_number or "").strip()
    return (id_number_problem(id_number) or "") if id_number else ""


def case_open(*, actor, unit, channel: str, case_type: str, narrative: str, worker, supervisors=(),
              answers: dict | None = None, risk_level: str | None = None, risk_override_reason: str = "",
              consent_store: bool = False, consent_share: bool = False, consent_contact: bool = False,
              person=None, name: str = "", phone: str = "", id_number: str = "", address: str = "",
              call=None, need=None) -> tuple[Case, list[str]]:
    """Open a case (status 接案). Returns (case, warnings): an ID number failing GB 11643 is a warning, never a refusal."""
    if not (has_perm(actor, "cases.handle") or has_perm(actor, "hotline.intake")):
        require(actor, "cases.handle")
    ensure_unit_in_reach(actor, unit)
    _check_choice(channel, Case._meta.get_field("channel").choices, "channel", gettext("来源渠道"))
    _check_choice(case_type, Case._meta.get_field("case_type").choices, "case_type", gettext("个案类型"))
    text = require_text(narrative, "narrative", gettext("情况陈述"))
    _check_staff(worker, unit, "cases.handle", "worker", gettext("个案工作者"))
    for s in supervisors:
        _check_staff(s, unit, "cases.supervise", "supervisors", gettext("督导"))
    clean, derived, level, reason = _risk(answers, risk_level, risk_override_reason)
    warning = _id_warning(id_number)
    now = periods.now()
    with transaction.atomic():
        who = person or complainants.find_or_create(actor=actor, unit=unit, name=name, phone=phone,
                                                    id_number=id_number, address=address)
        if person is not None and not scoped(type(person).objects.filter(pk=person.pk), actor).exists():
            raise NotFound(gettext("求助人不存在或不在您的管辖范围内"))
        case = Case(channel=channel, case_type=case_type, complainant=who, assessment=clean, risk_derived=derived,
                    risk_level=level, risk_override_reason_enc=_seal(reason), worker=worker, opened_by=actor,
                    opened_on=timezone.localdate(now), opened_at=now, last_contact_at=now,
                    number=f"tmp-{secrets.token_hex(8)}",
                    consent_store=consent_store, consent_share=consent_share, consent_contact=consent_contact,
                    id_number_warning=warning[:60], narrative_enc=sensitive.encrypt(text),
                    need_id=getattr(need, "pk", None))
        _seal_contact(case, phone, id_number, address)
        case.place_in(unit)
        case.save()
        case.number = f"WQ{case.opened_on:%Y%m%d}-{case.pk:06d}"  # readable, unique by the id
        Case.objects.filter(pk=case.pk).update(number=case.number)
        case.supervisors.set(supervisors)
        for kind, given in (("store", consent_store), ("share", consent_share), ("contact", consent_contact)):
            ConsentRecord.objects.create(case=case, kind=kind, given=given, recorded_by=_u(actor), note=INTAKE_CONSENT_NOTE)
        _event(case, actor, "open", f"接案（{record_label(case, 'channel')}），风险{record_label(case, 'risk_level')}，"
                                   f"交{worker.display_name}办理")
        _move_counts(case)
        if worker.pk != getattr(actor, "pk", None):
            notify([worker], kind="case.assigned", link=f"/cases/{case.pk}/",
                   text=format_lazy(gettext_lazy("新的维权个案 {number}（{value}风险）已交您办理"), number=case.number, value=choice_label(case, 'risk_level')))
        audit.record(actor, Action.CASE_OPEN, case, summary=f"接案 {case.number}",
                     detail={"channel": channel, "type": case_type, "risk": level, "worker": worker.pk,
                             "call": getattr(call, "pk", None), "need": getattr(need, "pk", None),
                             "id_warning": bool(warning)})
    return case, [gettext("身份证号可能有误：{warning}（已照录，请核实）").format(warning=warning)] if warning else []


# the need's channel → the case's (a field visit heard her in person; website, WeChat, suggestion box: online)
CHANNEL_OF_NEED = {"hotline": "hotline", "intake_point": "intake_point", "rights_post": "rights_post",
                   "walk_in": "walk_in", "field_visit": "walk_in", "website": "online", "wechat": "online",
                   "suggestion_box": "online"}


def case_from_need(*, actor, need, need_version: int | None = None, **case_fields) -> tuple[Case, list[str]]:
    """Open a case from a need of the ledger (cases.handle): same unit, the need's channel, its person when
    it names one; the need is referred to the case (needs.services.need_hand_to_case) in the same
    transaction, so either both happen or neither."""
    require(actor, "cases.handle")
    ensure_unit_in_reach(actor, need.unit)
    if case_fields.get("person") is None and need.person_id and not (case_fields.get("name") or "").strip():
        case_fields["person"] = need.person
    with transaction.atomic():
        case, warnings = case_open(actor=actor, unit=need.unit, channel=CHANNEL_OF_NEED.get(need.channel, "online"),
                                   need=need, **case_fields)
        needs.need_hand_to_case(actor=actor, need=need, version=need_version, case_id=case.pk)
        _event(case, actor, "from_need", f"由妇女需求 #{need.pk} 转为个案")
        audit.record(actor, Action.CASE_FROM_NEED, case, detail={"need": need.pk})
    return case, warnings


def _seal(text: str) -> str:
    """Ciphertext of a free-text reason or note ('' stays '')."""
    return sensitive.encrypt(text) if text else ""


def _u(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_choice(value, choices, field: str, label: str) -> None:
    if value not in {c for c, _ in choices}:
        raise ValidationFailed(gettext("{label}无效：{value}").format(label=label, value=value), fields={field: gettext("{label}无效").format(label=label)})


def _seal_contact(case: Case, phone: str, id_number: str, address: str) -> None:
    for field, value in (("phone", phone), ("id_number", id_number), ("address", address)):
        sensitive.assign_sealed(case, field, field, _contact_value(field, value))


def case_update(*, actor, case: Case, version: int | None, case_type: str | None = None,
                narrative: str | None = None, phone: str | None = None, id_number: str | None = None,
                address: str | None = None) -> tuple[Case, list[str]]:
    """Correct a case after intake (those on the case, versioned): its type, the narrative, her contact details.
    None leaves a field as it is. The audit and the timeline say which fields changed, never their values;
    a new type moves the summary counts; an ID failing its checksum is a warning, as at intake."""
    _ensure_on_case(actor, case)
    _ensure_open(case)
    changed, fields = [], []
    old_type = case.case_type
    if case_type is not None and case_type != case.case_type:
        _check_choice(case_type, Case._meta.get_field("case_type").choices, "case_type", gettext("个案类型"))
        case.case_type = case_type
        changed.append("case_type")
        fields.append("case_type")
    if narrative is not None:
        text = require_text(narrative, "narrative", gettext("情况陈述"))
        if text != sensitive.decrypt(case.narrative_enc):
            case.narrative_enc = sensitive.encrypt(text)
            changed.append("narrative")
            fields.append("narrative_enc")
    warning = ""
    for field, value in (("phone", phone), ("id_number", id_number), ("address", address)):
        if value is None or _contact_value(field, value) == sensitive.decrypt(getattr(case, f"{field}_enc")):
            continue
        sensitive.assign_sealed(case, field, field, _contact_value(field, value))
        changed.append(field)
        fields += [f"{field}_enc", f"{field}_mask"] + ([f"{field}_bidx"] if field != "address" else [])
        if field == "id_number":
            warning = _id_warning(value)
            case.id_number_warning = warning[:60]
            fields.append("id_number_warning")
    if not changed:
        return case, []
    with transaction.atomic():
        bump_version(case, version, fields)
        if "case_type" in changed:
            metrics.CASE.move(case, before={"case_type": old_type}, after={})
        names = {"case_type": gettext("类型"), "narrative": gettext("情况陈述"), "phone": gettext("电话"), "id_number": gettext("身份证号"), "address": gettext("住址")}
        _event(case, actor, "edit", "修改：" + "、".join(names[f] for f in changed))
        audit.record(actor, Action.CASE_UPDATE, case, detail={"fields": changed, "type": [old_type, case.case_type]
                                                         if "case_type" in changed else None})
    return case, [gettext("身份证号可能有误：{warning}（已照录，请核实）").format(warning=warning)] if warning else []


def _contact_value(field: str, value: str) -> str:
    if field == "phone":
        return complainants.phone_value(value)
    if field == "id_number":
        return normalize_id_number(value)
    return (value or "").strip()[:300]


def case_transition(*, actor, case: Case, to: str, version: int | None = None, outcome: str = "",
                    reason: str = "", satisfaction: int | None = None, approved=None) -> Case:
    """Move a case along intake → assessment → referred → follow-up → closed; closing needs a reason,
    and closing a high-risk case needs a supervisor's approval (`approved`, from cases/approvals.py)."""
    current = case.status
    rules.CASE_PIPELINE.check_move(actor, case, to, access=_ensure_on_case)  # need-to-know → status → guard
    if approved is None and rules.approval_needed(risk=case.risk_level, to_status=to):
        problem = rules.closure_problem(outcome, reason, satisfaction) if to == "closed" else None
        if problem:
            raise ValidationFailed(problem[1], fields={problem[0]: problem[1]})
        raise ApprovalNeeded("close")
    fields = ["status"]
    if to == "closed":
        problem = rules.closure_problem(outcome, reason, satisfaction)
        if problem:
            raise ValidationFailed(problem[1], fields={problem[0]: problem[1]})
        case.outcome, case.closure_reason_enc, case.satisfaction = outcome, _seal(reason.strip()[:300]), satisfaction
        case.closed_at = periods.now()
        fields += ["outcome", "closure_reason_enc", "satisfaction", "closed_at"]
    case.status = to
    with transaction.atomic():
        bump_version(case, version, fields)
        _move_counts(case, before={"status": current})
        text = gettext("状态：{value} → {v2}").format(value=STATUS_NAMES[current], v2=STATUS_NAMES[to])
        if to == "closed":
            text += f"（{case.get_outcome_display()}）"  # the reason is sealed on the case, not copied here
        _event(case, actor, "status", text)
        audit.record(actor, Action.CASE_TRANSITION, case, detail={"from": current, "to": to, "outcome": outcome,
                                                             "satisfaction": satisfaction})
    return case


def case_assess(*, actor, case: Case, answers: dict, risk_level: str | None = None, risk_override_reason: str = "",
                version: int | None = None, approved=None) -> Case:
    """Record the structured assessment; the level is derived by rules.risk_from unless overridden with a reason.
    Lowering a high risk needs a supervisor's approval (`approved`, from cases/approvals.py)."""
    _ensure_on_case(actor, case)
    _ensure_open(case)
    clean, derived, level, reason = _risk(answers, risk_level, risk_override_reason)
    if approved is None and rules.approval_needed(risk=case.risk_level, new_risk=level):
        raise ApprovalNeeded("lower_risk")
    old_risk, old_status = case.risk_level, case.status
    case.assessment, case.risk_derived, case.risk_level = clean, derived, level
    case.risk_override_reason_enc = _seal(reason)
    if old_status == "intake":
        case.status = "assessment"
    with transaction.atomic():
        bump_version(case, version, ["assessment", "risk_derived", "risk_level", "risk_override_reason_enc", "status"])
        if (old_risk, old_status) != (level, case.status):
            _move_counts(case, before={"status": old_status, "risk_level": old_risk})
        _event(case, actor, "assess", f"风险评估：{record_label(case, 'risk_level')}" + ("（人工调整）" if reason else ""))
        audit.record(actor, Action.CASE_ASSESS, case, detail={"answers": clean, "derived": derived, "level": level,
                                                         "overridden": bool(reason)})
    return case


def consent_set(*, actor, case: Case, kind: str, given: bool, note: str = "") -> Case:
    """Record a consent given or withdrawn. Withdrawing consent to share ends any emergency override too:
    her latest word stops further sharing until a supervisor records a new override."""
    _ensure_on_case(actor, case)
    if kind not in ConsentRecord.Kind.values:
        raise ValidationFailed(gettext("同意事项无效"), fields={"kind": gettext("同意事项无效")})
    field = f"consent_{kind}"
    fields = [field]
    setattr(case, field, bool(given))
    if kind == "share" and not given:
        case.share_withdrawn_at, case.override_at, case.override_by, case.override_reason = \
            periods.now(), None, None, ""
        fields += ["share_withdrawn_at", "override_at", "override_by", "override_reason"]
    with transaction.atomic():
        bump_version(case, None, fields)
        ConsentRecord.objects.create(case=case, kind=kind, given=bool(given), recorded_by=_u(actor), note=note[:200])
        label = ConsentRecord.Kind(kind).label
        _event(case, actor, "consent", f"{'同意' if given else '撤回同意'}：{label}")
        audit.record(actor, Action.CASE_CONSENT, case, detail={"kind": kind, "given": bool(given)})
    return case


def override_record(*, actor, case: Case, reason: str) -> Case:
    """A supervisor's emergency override: referrals outside the federation go ahead without consent.
    Audited, and the supervisor's superior (cases.supervise one level up) is told at once."""
    _ensure_on_case(actor, case, "cases.supervise")
    _ensure_open(case)
    reason = require_text(reason, "reason", gettext("法律依据"))
    if len(reason) < 4:
        raise ValidationFailed(MSG_OVERRIDE_REASON, fields={"reason": MSG_OVERRIDE_REASON})
    case.override_at, case.override_by, case.override_reason = periods.now(), actor, reason[:300]
    with transaction.atomic():
        bump_version(case, None, ["override_at", "override_by", "override_reason"])
        _event(case, actor, "override", f"紧急共享（法律依据：{case.override_reason}）")
        superiors = [u for u in unit_officers(_superior_unit(actor, case), "cases.supervise") if u.pk != actor.pk]
        audit.record(actor, Action.CASE_OVERRIDE, case, detail={"reason": case.override_reason,
                                                           "notified": [u.pk for u in superiors]})
        notify(superiors, kind="case.override", link="/cases/counts/",
               text=format_lazy(gettext_lazy("{display_name} 对维权个案 {number} 记录了紧急共享，法律依据：{override_reason}"), display_name=actor.display_name, number=case.number, override_reason=case.override_reason))
    return case


def _superior_unit(actor, case: Case):
    """The federation above the supervisor's own (the deepest of her scopes covering the case)."""
    units = [s.unit for s in actor.scopes.select_related("unit") if s.unit.l1 and
             getattr(case, f"l{s.unit.level}") == s.unit.pk]
    own = max(units, key=lambda u: u.level) if units else case.unit
    return own.parent


def referral_create(*, actor, case: Case, agency: Organisation, note: str = "") -> Referral:
    """Refer to a partner agency; outside the federation only with consent to share or an override."""
    _ensure_on_case(actor, case)
    if case.status not in rules.REFERABLE:
        raise _refuse(case.status, "referred")
    if not scoped(Organisation.objects.filter(pk=agency.pk, is_active=True), actor).exists():
        raise NotFound(gettext("转介单位不存在或不在您的管辖范围内"))
    external = rules.is_external(agency.kind)
    override = case.override_at is not None
    if not rules.may_share(external=external, consent_share=case.consent_share, override=override):
        msg = MSG_CONSENT_WITHDRAWN if case.share_withdrawn_at else MSG_CONSENT_NEEDED
        raise Forbidden(msg, code="consent_required", fields={"agency": msg})
    ref = Referral(case=case, agency=agency, agency_kind=agency.agency_type or agency.kind, external=external,
                   under_override=external and override and not case.consent_share, note_enc=_seal((note or "")[:300]),
                   sent_on=periods.today(), sent_by=_u(actor))
    ref.place_in(case.unit)
    old = case.status
    with transaction.atomic():
        ref.save()
        metrics.REFERRAL.move(ref, after={})
        if old != "referred":
            case.status = "referred"
            bump_version(case, None, ["status"])
            _move_counts(case, before={"status": old})
        _event(case, actor, "refer", f"转介至 {agency.name}" + ("（依紧急共享）" if ref.under_override else ""))
        audit.record(actor, Action.CASE_REFER, case, detail={"referral": ref.pk, "agency": agency.pk,
                                                        "external": external, "override": ref.under_override})
    return ref


def referral_update(*, actor, referral: Referral, to: str, response: str = "", version: int | None = None) -> Referral:
    """The agency's answer: sent → accepted/declined, accepted → done."""
    case = referral.case
    current = referral.status
    rules.REFERRAL_PIPELINE.check_move(actor, referral, to, access=_referral_access)
    referral.status = to
    if (response or "").strip():
        referral.response_enc = _seal(response.strip()[:300])
    with transaction.atomic():
        bump_version(referral, version, ["status", "response_enc"])
        metrics.REFERRAL.move(referral, before={"status": current}, after={})
        _event(case, actor, "referral", f"{referral.agency.name}：{record_label(referral, 'status')}")
        audit.record(actor, Action.CASE_REFERRAL_UPDATE, case, detail={"referral": referral.pk, "from": current, "to": to})
    return referral


def follow_up_add(*, actor, case: Case, method: str, note: str, at: datetime | None = None) -> FollowUp:
    """A follow-up contact; it resets the follow-up clock of a medium/high-risk case."""
    _ensure_on_case(actor, case)
    _ensure_open(case)
    now = periods.now()
    at = at or now
    if at > now or at < case.opened_at:
        raise ValidationFailed(gettext("跟进时间应在接案之后、现在之前"), fields={"at": gettext("跟进时间无效")})
    if method not in FollowUp.Method.values:
        raise ValidationFailed(gettext("跟进方式无效"), fields={"method": gettext("跟进方式无效")})
    text = require_text(note, "note", gettext("跟进情况"))
    with transaction.atomic():
        fu = FollowUp.objects.create(case=case, at=at, method=method, note_enc=sensitive.encrypt(text), by=_u(actor))
        if at > case.last_contact_at:
            case.last_contact_at = at
            bump_version(case, None, ["last_contact_at"])
        _event(case, actor, "follow_up", f"跟进（{record_label(fu, 'method')}）")
        audit.record(actor, Action.CASE_FOLLOW_UP, case, detail={"follow_up": fu.pk, "method": method})
    return fu


def case_reassign(*, actor, case: Case, worker, supervisors=None, version: int | None = None) -> Case:
    """A supervisor hands the case to another worker and/or names its supervisors."""
    _ensure_on_case(actor, case, "cases.supervise")
    _ensure_open(case)
    _check_staff(worker, case.unit, "cases.handle", "worker", gettext("个案工作者"))
    for s in supervisors or ():
        _check_staff(s, case.unit, "cases.supervise", "supervisors", gettext("督导"))
    old = case.worker
    case.worker = worker
    with transaction.atomic():
        bump_version(case, version, ["worker"])
        if supervisors is not None:
            case.supervisors.set(supervisors)
        _event(case, actor, "assign", f"改由 {worker.display_name} 办理（原 {old.display_name}）")
        if worker.pk != old.pk:
            notify([worker], kind="case.assigned", link=f"/cases/{case.pk}/",
                   text=format_lazy(gettext_lazy("维权个案 {number} 已改由您办理"), number=case.number))
        audit.record(actor, Action.CASE_REASSIGN, case, detail={"from": old.pk, "to": worker.pk,
                                                           "supervisors": [s.pk for s in supervisors or ()]})
    return case


from .escalation import escalate_overdue  # noqa: E402,F401 - the periodic command's entry point
