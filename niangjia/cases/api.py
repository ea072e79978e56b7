"""JSON endpoints of rights-protection cases and 12338 hotline intake (thin: parse, fetch, call a service).

Need-to-know: GET /cases lists only the caller's own cases (worker, named supervisor, admin);
a case she is not on answers 404 everywhere; /cases/counts gives counts to cases.view.
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from ninja import Field, Query, Router, Schema, Status

from niangjia.core.api_schemas import ErrorOut, PageParams, UnitRef, choice, page_of, page_out, responses
from niangjia.core.errors import NotFound
from niangjia.core.roles import require
from niangjia.org import queries as org_queries
from niangjia.org.models import Organisation

from . import intake, queries, rules, services
from .models import (
    CaseStatus,
    CaseType,
    Channel,
    ConsentRecord,
    FollowUp,
    HotlineCall,
    Outcome,
    ReferralStatus,
    Risk,
)

router = Router(tags=["维权个案与12338热线"])


lit = choice


# ---------------------------------------------------------------- schemas


class UserRef(Schema):
    id: int
    username: str
    name: str = Field(alias="display_name")


class CallIn(Schema):
    call_id: str = Field(description="电话系统的呼叫编号（幂等键：重复投递只记录一次）", max_length=64)
    started_at: datetime = Field(description="来电时间（ISO 8601）")
    caller: str = Field("", description="来电号码（加密保存）", max_length=40)
    duration_seconds: int = Field(ge=0, le=86400)
    operator: str = Field(description="接线员用户名")
    notes: str = Field("", max_length=2000, description="接线备注（加密保存）")


class CallOut(Schema):
    id: int
    call_id: str
    started_at: datetime
    duration_seconds: int
    caller_mask: str
    operator: UserRef | None = Field(description="接线员；null 表示电话系统报送的接线员无法识别（待分派）")
    operator_given: str = Field(description="电话系统报送的接线员（原样）")
    operator_unknown: bool
    unit: UnitRef
    status: str
    need_id: int | None
    case_id: int | None
    version: int


class CallReceived(CallOut):
    created: bool = Field(description="true：首次记录；false：重复投递，返回首次的记录")


class CallFilter(PageParams):
    status: lit(HotlineCall.Status) | None = None
    operator: str | None = Field(None, description="接线员用户 id；none 为待分派（接线员无法识别）的来电")
    start: date | None = Field(None, description="来电日期从（含）")
    end: date | None = Field(None, description="来电日期到（含）")
    has_case: bool | None = Field(None, description="true：已建个案的来电；false：未建个案的")


class AssignIn(Schema):
    operator: int = Field(description="接线员的用户 id")
    version: int | None = None


class NeedFromCallIn(Schema):
    category: str = Field(description="需求类别（needs 的类别代码）")
    urgency: str = "normal"
    description: str
    version: int | None = None


class CaseFields(Schema):
    case_type: lit(CaseType)
    narrative: str = Field(description="情况陈述（加密保存）")
    worker: int = Field(description="个案工作者的用户 id")
    supervisors: list[int] = Field(default_factory=list, description="督导的用户 id")
    assessment: dict[str, bool] = Field(default_factory=dict, description=f"风险评估问题：{', '.join(rules.QUESTIONS)}")
    risk_level: lit(Risk) | None = Field(None, description="人工调整的风险等级（与评估结果不同时须写理由）")
    risk_override_reason: str = ""
    consent_store: bool = False
    consent_share: bool = False
    consent_contact: bool = False
    person: int | None = Field(None, description="已有人员 id；不给时按身份证号/电话查重或新建")
    name: str = ""
    phone: str = ""
    id_number: str = Field("", description="校验位不正确时只提示，不拒绝")
    address: str = ""


class CaseFromCallIn(CaseFields):
    version: int | None = None


class CaseFromNeedIn(CaseFields):
    need_version: int | None = Field(None, description="需求的版本号（读取时的）")


class CaseIn(CaseFields):
    unit: int
    channel: lit(Channel)


class CasePatch(Schema):
    version: int | None = None
    case_type: lit(CaseType) | None = None
    narrative: str | None = Field(None, description="情况陈述（加密保存）")
    phone: str | None = None
    id_number: str | None = Field(None, description="校验位不正确时只提示，不拒绝")
    address: str | None = None


class DismissIn(Schema):
    reason: str
    version: int | None = None


class CaseOut(Schema):
    id: int
    number: str
    unit: UnitRef
    channel: str
    case_type: str
    risk_level: str
    status: str
    outcome: str
    complainant: str = Field(alias="complainant.name")
    phone_mask: str
    worker: UserRef
    opened_at: datetime
    last_contact_at: datetime
    escalated: bool
    need_id: int | None = Field(None, description="转自需求台账的需求 id")
    version: int

    @staticmethod
    def resolve_escalated(obj) -> bool:
        return obj.escalated_for is not None and obj.status != "closed"


class ConsentOut(Schema):
    kind: str
    given: bool
    at: datetime
    recorded_by: str | None = Field(None, alias="recorded_by.username")


class ReferralOut(Schema):
    id: int
    agency_id: int
    agency: str = Field(alias="agency.name")
    agency_kind: str
    external: bool
    under_override: bool
    status: str
    note: str
    response: str
    sent_on: str
    version: int

    @staticmethod
    def resolve_sent_on(obj) -> str:
        return obj.sent_on.isoformat()


class FollowUpOut(Schema):
    id: int
    at: datetime
    method: str
    note: str
    by: str | None = Field(None, alias="by.username")


class EventOut(Schema):
    at: datetime
    kind: str
    text: str


class CaseDetailOut(CaseOut):
    narrative: str
    phone: str
    id_number: str
    id_number_warning: str
    address: str
    assessment: dict
    risk_derived: str
    risk_override_reason: str
    closure_reason: str
    satisfaction: int | None
    supervisors: list[UserRef]
    consent_store: bool
    consent_share: bool
    consent_contact: bool
    override_reason: str
    override_at: datetime | None
    allowed_moves: list[str]
    consents: list[ConsentOut]
    referrals: list[ReferralOut]
    follow_ups: list[FollowUpOut]
    events: list[EventOut]

    # the clear values were decrypted once by the view (queries.clear_fields), after the audited read
    @staticmethod
    def resolve_narrative(obj) -> str:
        return obj.clear["narrative"]

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.clear["phone"]

    @staticmethod
    def resolve_id_number(obj) -> str:
        return obj.clear["id_number"]

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.clear["address"]

    @staticmethod
    def resolve_allowed_moves(obj) -> list[str]:
        return list(rules.allowed_case_moves(obj.status))

    @staticmethod
    def resolve_consents(obj) -> list:
        return list(obj.consents.select_related("recorded_by"))

    @staticmethod
    def resolve_referrals(obj) -> list:
        return list(obj.referrals.select_related("agency"))

    @staticmethod
    def resolve_follow_ups(obj) -> list:
        return queries.follow_ups_of(obj)

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_supervisors(obj) -> list:
        return list(obj.supervisors.all())


class OpenedOut(Schema):
    case: CaseOut
    warnings: list[str]


class CaseFilter(PageParams):
    status: str | None = Field(None, description="状态；open 为全部未结案")
    risk: lit(Risk) | None = None
    case_type: lit(CaseType) | None = None


class TransitionIn(Schema):
    to: lit(CaseStatus)
    version: int | None = None
    outcome: lit(Outcome) | None = None
    reason: str = ""
    satisfaction: int | None = Field(None, ge=1, le=5)


class AssessIn(Schema):
    assessment: dict[str, bool]
    risk_level: lit(Risk) | None = None
    risk_override_reason: str = ""
    version: int | None = None


class ConsentIn(Schema):
    kind: lit(ConsentRecord.Kind)
    given: bool
    note: str = ""


class OverrideIn(Schema):
    reason: str = Field(description="紧急共享的法律依据，如《反家庭暴力法》第十四条")


class ReferralIn(Schema):
    agency: int = Field(description="合作单位（org.Organisation）id")
    note: str = ""


class ReferralStatusIn(Schema):
    to: lit(ReferralStatus)
    response: str = ""
    version: int | None = None


class FollowUpIn(Schema):
    method: lit(FollowUp.Method)
    note: str
    at: datetime | None = None


class ReassignIn(Schema):
    worker: int
    supervisors: list[int] | None = None
    version: int | None = None


class CountRow(Schema):
    key: str
    label: str
    n: int


class ReferralCountRow(Schema):
    key: str
    label: str
    sent: int
    accepted: int
    declined: int
    done: int


class CountsOut(Schema):
    total: int
    by_type: list[CountRow]
    by_risk: list[CountRow]
    by_status: list[CountRow]
    referrals: list[ReferralCountRow]
    overdue_escalated: int


# ---------------------------------------------------------------- helpers


def _users(ids) -> list:
    User = get_user_model()
    found = {u.pk: u for u in User.objects.filter(pk__in=list(ids or []))}
    missing = [i for i in ids or [] if i not in found]
    if missing:
        from niangjia.core.errors import ValidationFailed

        raise ValidationFailed(f"用户不存在：{missing}", fields={"supervisors": "用户不存在"})
    return [found[i] for i in ids or []]


def _user(pk: int, field: str):
    User = get_user_model()
    user = User.objects.filter(pk=pk).first()
    if user is None:
        from niangjia.core.errors import ValidationFailed

        raise ValidationFailed("用户不存在", fields={field: "用户不存在"})
    return user


def _case_kwargs(request, payload: CaseFields) -> dict:
    person = None
    if payload.person:
        from niangjia.people import queries as people_queries

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
        from niangjia.core.errors import ValidationFailed

        raise ValidationFailed("接线员筛选应为用户 id 或 none", fields={"operator": "无效"})
    return _user(int(raw), "operator")


@router.post("/cases/hotline-calls/{int:call_id}/assign", response=responses(CallOut, write=True),
             summary="分派来电的接线员（电话系统报送的接线员无法识别时）")
def hotline_assign(request, call_id: int, payload: AssignIn):
    call = queries.get_call_for(request.user, call_id)
    return intake.call_assign(actor=request.user, call=call, operator=_user(payload.operator, "operator"),
                              version=payload.version)


@router.get("/cases/hotline-calls/{int:call_id}", response=responses(CallOut), summary="一条来电")
def hotline_get(request, call_id: int):
    return queries.get_call_for(request.user, call_id)


@router.post("/cases/hotline-calls/{int:call_id}/reveal", response=responses(dict, write=True),
             summary="查看来电号码与备注（记入审计）")
def hotline_reveal(request, call_id: int):
    return intake.call_reveal(actor=request.user, call=queries.get_call_for(request.user, call_id))


@router.post("/cases/hotline-calls/{int:call_id}/need", response=responses(dict, write=True),
             summary="把来电登记为妇女需求")
def hotline_to_need(request, call_id: int, payload: NeedFromCallIn):
    call = queries.get_call_for(request.user, call_id)
    need = intake.call_to_need(actor=request.user, call=call, category=payload.category, urgency=payload.urgency,
                               description=payload.description, version=payload.version)
    return {"need_id": need.pk, "tracking_code": need.tracking_code or ""}


@router.post("/cases/hotline-calls/{int:call_id}/case", response={201: OpenedOut, **responses(OpenedOut, write=True)},
             summary="把来电建立为维权个案")
def hotline_to_case(request, call_id: int, payload: CaseFromCallIn):
    call = queries.get_call_for(request.user, call_id)
    case, warnings = intake.call_to_case(actor=request.user, call=call, version=payload.version,
                                         **_case_kwargs(request, payload))
    return Status(201, {"case": case, "warnings": warnings})


@router.post("/cases/hotline-calls/{int:call_id}/dismiss", response=responses(CallOut, write=True),
             summary="来电无需处理")
def hotline_dismiss(request, call_id: int, payload: DismissIn):
    call = queries.get_call_for(request.user, call_id)
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
    from niangjia.needs import queries as needs_queries

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
def case_consent(request, case_id: int, payload: ConsentIn):
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
        raise NotFound("转介单位不存在") from exc
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


__all__ = ["router", "ErrorOut"]
