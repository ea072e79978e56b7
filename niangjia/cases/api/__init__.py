"""JSON endpoints of rights-protection cases and 12338 hotline intake (thin: parse, fetch, call a service).

Need-to-know: GET /cases lists only the caller's own cases (worker, named supervisor, admin);
a case she is not on answers 404 everywhere; /cases/counts gives counts to cases.view.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from niangjia.core.api_schemas import ErrorOut, page_of, page_out, responses
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.roles import require
from niangjia.needs import queries as needs_queries
from niangjia.org import queries as org_queries
from niangjia.org.models import Organisation
from niangjia.people import queries as people_queries

from .. import approvals, intake, queries, services
from .schemas import (
    ApprovalDecideIn,
    ApprovalOut,
    ApprovalRequestIn,
    AssessIn,
    CallAssignIn,
    CallFilter,
    CallIn,
    CallOut,
    CallReceived,
    CaseConsentIn,
    CaseDetailOut,
    CaseFields,
    CaseFilter,
    CaseFromCallIn,
    CaseFromNeedIn,
    CaseIn,
    CaseOut,
    CasePatch,
    CountsOut,
    DismissIn,
    FollowUpIn,
    FollowUpOut,
    NeedFromCallIn,
    OpenedOut,
    OverrideIn,
    ReassignIn,
    ReferralIn,
    ReferralOut,
    ReferralStatusIn,
    TransitionIn,
)

router = Router(tags=["维权个案与12338热线"])

# ---------------------------------------------------------------- helpers


def _users(ids) -> list:
    User = get_user_model()
    found = {u.pk: u for u in User.objects.filter(pk__in=list(ids or []))}
    missing = [i for i in ids or [] if i not in found]
    if missing:
        raise ValidationFailed(_("用户不存在：{missing}").format(missing=missing), fields={"supervisors": _("用户不存在")})
    return [found[i] for i in ids or []]


def _user(pk: int, field: str):
    User = get_user_model()
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise ValidationFailed(_("用户不存在"), fields={field: _("用户不存在")})
    return user


def _case_kwargs(request, payload: CaseFields) -> dict:
    person = None
    if payload.person:
        person = people_queries.get_person_for(request.user, payload.person)
    return {"case_type": payload.case_type, "narrative": payload.narrative, "worker": _user(payload.worker, "worker"),
            "supervisors": _users(payload.supervisors), "answers": payload.assessment,
            "risk_level": payload.risk_level, "risk_override_reason": payload.risk_override_reason,
            "consent_store": payload.consent_store, "consent_share": payload.consent_share,
            "consent_contact": payload.consent_contact, "person": person, "name": payload.name,
            "phone": payload.phone, "id_number": payload.id_number, "address": payload.address}


def _detail(case):
    case.clear = queries.clear_fields(case)
    return case


# ---------------------------------------------------------------- hotline


@router.post("/intake/hotline-calls", response={200: CallReceived, 201: CallReceived, **responses(CallReceived)},
             summary="接收电话系统推送的来电记录（按呼叫编号幂等）")
def hotline_receive(request, payload: CallIn):
    call, created = intake.call_receive(actor=request.user, call_id=payload.call_id, started_at=payload.started_at,
                                        caller=payload.caller, duration_seconds=payload.duration_seconds,
                                        operator=payload.operator, notes=payload.notes)
    call.created = created
    return Status(201 if created else 200, call)


@router.get("/cases/hotline-calls", response=responses(page_of(CallOut)), summary="来电列表（未处理的在前）")
def hotline_list(request, filters: Query[CallFilter]):
    qs = queries.calls_for(request.user, status=filters.status or "", operator=_operator_filter(filters.operator),
                           start=filters.start, end=filters.end, has_case=filters.has_case)
    return page_out(qs, order=("handled", "-started_at", "-id"), params=filters)


def _operator_filter(raw):
    if raw in (None, ""):
        return None
    if raw == queries.UNASSIGNED:
        return raw
    if not str(raw).isdigit():
        raise ValidationFailed(_("接线员筛选应为用户 id 或 none"), fields={"operator": _("无效")})
    return _user(int(raw), "operator")


@router.post("/cases/hotline-calls/{int:id}/assign", response=responses(CallOut, write=True),
             summary="分派来电的接线员（电话系统报送的接线员无法识别时）")
def hotline_assign(request, id: int, payload: CallAssignIn):
    call = queries.get_call_for(request.user, id)
    return intake.call_assign(actor=request.user, call=call, operator=_user(payload.operator, "operator"),
                              version=payload.version)


@router.get("/cases/hotline-calls/{int:id}", response=responses(CallOut), summary="一条来电")
def hotline_get(request, id: int):
    return queries.get_call_for(request.user, id)


@router.post("/cases/hotline-calls/{int:id}/reveal", response=responses(dict, write=True),
             summary="查看来电号码与备注（记入审计）")
def hotline_reveal(request, id: int):
    return intake.call_reveal(actor=request.user, call=queries.get_call_for(request.user, id))


@router.post("/cases/hotline-calls/{int:id}/need", response=responses(dict, write=True),
             summary="把来电登记为妇女需求")
def hotline_to_need(request, id: int, payload: NeedFromCallIn):
    call = queries.get_call_for(request.user, id)
    need = intake.call_to_need(actor=request.user, call=call, category=payload.category, urgency=payload.urgency,
                               description=payload.description, version=payload.version)
    return {"need_id": need.pk, "tracking_code": need.tracking_code or ""}


@router.post("/cases/hotline-calls/{int:id}/case", response={201: OpenedOut, **responses(OpenedOut, write=True)},
             summary="把来电建立为维权个案")
def hotline_to_case(request, id: int, payload: CaseFromCallIn):
    call = queries.get_call_for(request.user, id)
    case, warnings = intake.call_to_case(actor=request.user, call=call, version=payload.version,
                                         **_case_kwargs(request, payload))
    return Status(201, {"case": case, "warnings": warnings})


@router.post("/cases/hotline-calls/{int:id}/dismiss", response=responses(CallOut, write=True),
             summary="来电无需处理")
def hotline_dismiss(request, id: int, payload: DismissIn):
    call = queries.get_call_for(request.user, id)
    return intake.call_dismiss(actor=request.user, call=call, reason=payload.reason, version=payload.version)


# ---------------------------------------------------------------- cases


@router.get("/cases/counts", response=responses(CountsOut), summary="个案数量（按类型、风险、状态；转介按单位类别与状态）")
def case_counts(request, unit: int | None = None):
    u = org_queries.get_federation_for(request.user, unit) if unit else None
    return queries.counts_for(request.user, unit=u)


@router.get("/cases", response=responses(page_of(CaseOut)), summary="我可以查看的个案（本人承办或被指定督导）")
def case_list(request, filters: Query[CaseFilter]):
    require(request.user, "cases.handle")
    qs = queries.cases_for(request.user, status=filters.status or "", risk=filters.risk or "",
                           case_type=filters.case_type or "")
    out = page_out(qs, order=("-opened_at", "-id"), params=filters)
    queries.record_list_read(request.user, out["items"], channel="api")
    return out


@router.post("/cases", response={201: OpenedOut, **responses(OpenedOut, write=True)},
             summary="接案（来访、信访网点、维权岗、网上）")
def case_create(request, payload: CaseIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    case, warnings = services.case_open(actor=request.user, unit=unit, channel=payload.channel,
                                        **_case_kwargs(request, payload))
    return Status(201, {"case": case, "warnings": warnings})


@router.post("/cases/from-need/{int:need_id}", response={201: OpenedOut, **responses(OpenedOut, write=True)},
             summary="把需求台账中的一条需求转为维权个案（需求同时转为已转介）")
def case_from_need(request, need_id: int, payload: CaseFromNeedIn):
    need = needs_queries.get_need_for(request.user, need_id, perm="needs.view")
    case, warnings = services.case_from_need(actor=request.user, need=need, need_version=payload.need_version,
                                             **_case_kwargs(request, payload))
    return Status(201, {"case": case, "warnings": warnings})


@router.get("/cases/{int:case_id}", response=responses(CaseDetailOut), summary="个案详情（仅承办人、指定督导和管理员；记入审计）")
def case_get(request, case_id: int):
    return _detail(queries.get_case_for(request.user, case_id))


@router.patch("/cases/{int:case_id}", response=responses(OpenedOut, write=True),
              summary="修改个案的类型、情况陈述或联系方式（仅承办人、指定督导和管理员；需带版本号）")
def case_update(request, case_id: int, payload: CasePatch):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    case, warnings = services.case_update(actor=request.user, case=case, version=payload.version,
                                          case_type=payload.case_type, narrative=payload.narrative,
                                          phone=payload.phone, id_number=payload.id_number, address=payload.address)
    return {"case": case, "warnings": warnings}


@router.post("/cases/{int:case_id}/transition", response=responses(CaseOut, write=True), summary="变更个案状态（结案须写理由）")
def case_transition(request, case_id: int, payload: TransitionIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    return services.case_transition(actor=request.user, case=case, to=payload.to, version=payload.version,
                                    outcome=payload.outcome or "", reason=payload.reason,
                                    satisfaction=payload.satisfaction)


@router.post("/cases/{int:case_id}/assess", response=responses(CaseOut, write=True), summary="风险评估")
def case_assess(request, case_id: int, payload: AssessIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    return services.case_assess(actor=request.user, case=case, answers=payload.assessment,
                                risk_level=payload.risk_level, risk_override_reason=payload.risk_override_reason,
                                version=payload.version)


@router.post("/cases/{int:case_id}/consent", response=responses(CaseOut, write=True), summary="记录或撤回同意")
def case_consent(request, case_id: int, payload: CaseConsentIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    return services.consent_set(actor=request.user, case=case, kind=payload.kind, given=payload.given,
                                note=payload.note)


@router.post("/cases/{int:case_id}/override", response=responses(CaseOut, write=True),
             summary="督导记录紧急共享（写明法律依据；通知上级督导）")
def case_override(request, case_id: int, payload: OverrideIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    return services.override_record(actor=request.user, case=case, reason=payload.reason)


@router.post("/cases/{int:case_id}/referrals", response={201: ReferralOut, **responses(ReferralOut, write=True)},
             summary="转介至合作单位（系统外须有共享同意或紧急共享）")
def case_refer(request, case_id: int, payload: ReferralIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    try:
        agency = Organisation.objects.get(pk=payload.agency)
    except Organisation.DoesNotExist as exc:
        raise NotFound(_("转介单位不存在")) from exc
    return Status(201, services.referral_create(actor=request.user, case=case, agency=agency, note=payload.note))


@router.post("/cases/referrals/{int:referral_id}/status", response=responses(ReferralOut, write=True),
             summary="记录合作单位的答复（接收、拒绝、办结）")
def referral_status(request, referral_id: int, payload: ReferralStatusIn):
    ref = queries.get_referral_for(request.user, referral_id)
    return services.referral_update(actor=request.user, referral=ref, to=payload.to, response=payload.response,
                                    version=payload.version)


@router.post("/cases/{int:case_id}/follow-ups", response={201: FollowUpOut, **responses(FollowUpOut, write=True)},
             summary="登记跟进")
def case_follow_up(request, case_id: int, payload: FollowUpIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    fu = services.follow_up_add(actor=request.user, case=case, method=payload.method, note=payload.note,
                                at=payload.at)
    fu.note = payload.note
    return Status(201, fu)


@router.post("/cases/{int:case_id}/reassign", response=responses(CaseOut, write=True), summary="督导改派个案工作者或指定督导")
def case_reassign(request, case_id: int, payload: ReassignIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    sups = _users(payload.supervisors) if payload.supervisors is not None else None
    return services.case_reassign(actor=request.user, case=case, worker=_user(payload.worker, "worker"),
                                  supervisors=sups, version=payload.version)


def _approval_out(approval) -> dict:
    return {**{f: getattr(approval, f) for f in ("id", "case_id", "kind", "status", "requested_by", "requested_at",
                                                 "decided_by", "decided_at", "note", "version")},
            "get_kind_display": approval.get_kind_display(), "get_status_display": approval.get_status_display(),
            "details": approvals.details(approval)}


@router.get("/cases/{int:case_id}/approvals", response=responses(list[ApprovalOut]),
            summary="个案的督导审批申请（最新的在前；仅承办人、指定督导和管理员）")
def approval_list(request, case_id: int):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    return [_approval_out(a) for a in case.approvals.select_related("requested_by", "decided_by")]


@router.post("/cases/{int:case_id}/approvals", response={201: ApprovalOut, **responses(ApprovalOut, write=True)},
             summary="申请督导批准：高风险个案结案或下调风险等级（通知指定督导；每个个案同时只有一份待批）")
def approval_request(request, case_id: int, payload: ApprovalRequestIn):
    case = queries.get_case_for(request.user, case_id, audit_read=False)
    if payload.kind == "close":
        details = {"outcome": payload.outcome or "", "reason": payload.reason, "satisfaction": payload.satisfaction}
    else:
        details = {"answers": payload.assessment or {}, "risk_level": payload.risk_level,
                   "risk_override_reason": payload.risk_override_reason}
    return Status(201, _approval_out(approvals.approval_request(actor=request.user, case=case, kind=payload.kind,
                                                                payload=details)))


@router.post("/cases/approvals/{int:approval_id}/decide", response=responses(ApprovalOut, write=True),
             summary="指定督导批准（随即结案或下调风险）或退回申请（须写意见；需带版本号）")
def approval_decide(request, approval_id: int, payload: ApprovalDecideIn):
    approval = approvals.get_approval_for(request.user, approval_id)
    return _approval_out(approvals.approval_decide(actor=request.user, approval=approval,
                                                   approve=payload.decision == "approve", note=payload.note,
                                                   version=payload.version))


__all__ = ["router", "ErrorOut"]
