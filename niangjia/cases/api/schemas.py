"""Request and response schemas of the cases and hotline API (api/__init__.py holds the endpoints)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from niangjia.core.api_schemas import PageParams, UnitRef, choice

from .. import queries, rules
from ..models import (
    CaseApproval,
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

lit = choice



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


class CallAssignIn(Schema):
    operator: int = Field(description="接线员的用户 id")
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class NeedFromCallIn(Schema):
    category: str = Field(description="需求类别（needs 的类别代码）")
    urgency: str = "normal"
    description: str
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


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
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class CaseFromNeedIn(CaseFields):
    need_version: int = Field(description="需求的版本号（读取时的）；他人已修改则返回 409")


class CaseIn(CaseFields):
    unit: int
    channel: lit(Channel)


class CasePatch(Schema):
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")
    case_type: lit(CaseType) | None = None
    narrative: str | None = Field(None, description="情况陈述（加密保存）")
    phone: str | None = None
    id_number: str | None = Field(None, description="校验位不正确时只提示，不拒绝")
    address: str | None = None


class DismissIn(Schema):
    reason: str
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


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


class CaseConsentOut(Schema):
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


class CaseEventOut(Schema):
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
    consents: list[CaseConsentOut]
    referrals: list[ReferralOut]
    follow_ups: list[FollowUpOut]
    events: list[CaseEventOut]

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
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")
    outcome: lit(Outcome) | None = None
    reason: str = ""
    satisfaction: int | None = Field(None, ge=1, le=5)


class AssessIn(Schema):
    assessment: dict[str, bool]
    risk_level: lit(Risk) | None = None
    risk_override_reason: str = ""
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class CaseConsentIn(Schema):
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
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class FollowUpIn(Schema):
    method: lit(FollowUp.Method)
    note: str
    at: datetime | None = None


class ReassignIn(Schema):
    worker: int
    supervisors: list[int] | None = None
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class CaseCountRow(Schema):
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
    by_type: list[CaseCountRow]
    by_risk: list[CaseCountRow]
    by_status: list[CaseCountRow]
    referrals: list[ReferralCountRow]
    overdue_escalated: int


class ApprovalRequestIn(Schema):
    kind: lit(CaseApproval.Kind) = Field(description="close：高风险个案结案；lower_risk：下调高风险等级")
    outcome: lit(Outcome) | None = Field(None, description="结案：结果")
    reason: str = Field("", max_length=300, description="结案：理由（加密保存）")
    satisfaction: int | None = Field(None, ge=1, le=5, description="结案：当事人满意度")
    assessment: dict[str, bool] | None = Field(None, description="下调风险：新的评估答案")
    risk_level: lit(Risk) | None = Field(None, description="下调风险：人工调整后的等级")
    risk_override_reason: str = Field("", max_length=300, description="下调风险：人工调整的理由")


class ApprovalDecideIn(Schema):
    decision: Literal["approve", "return"] = Field(description="approve：批准（随即办理结案或下调）；return：退回（须写意见）")
    note: str = Field("", max_length=300, description="督导意见（退回时必填）")
    version: int = Field(description="申请的版本号（读取申请时所得）；过期 409")


class ApprovalOut(Schema):
    id: int
    case: int = Field(alias="case_id")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    status: str
    status_label: str = Field(alias="get_status_display")
    requested_by: UserRef
    requested_at: datetime
    decided_by: UserRef | None = None
    decided_at: datetime | None = None
    note: str
    version: int
    details: dict = Field(description="申请办理的内容：结案的结果与理由，或新的评估")
