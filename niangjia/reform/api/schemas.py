"""The request and response schemas of the reform API (api/__init__.py is the router)."""

from datetime import date
from typing import Literal

from ninja import Field, Schema

from niangjia.core import periods
from niangjia.core.api_schemas import UnitRef, VersionIn

from .. import queries, rules

MeasureStatus = Literal[tuple(rules.MEASURE_STATUS_NAMES)]  # type: ignore[valid-type]


MeasureStep = Literal[tuple(rules.MEASURE_PIPELINE)]  # type: ignore[valid-type]


PlanStep = Literal[tuple(rules.PLAN_PIPELINE)]  # type: ignore[valid-type]


EntryKind = Literal["milestone", "evidence", "note"]


class ReformUnitFilter(Schema):
    unit: int | None = Field(None, description="只列此组织（文件：此组织发的；方案：此组织及其下级的）")


class DocumentOut(Schema):
    id: int
    version: int
    unit: UnitRef
    title: str
    number: str
    issued_on: date
    note: str


class DocumentIn(Schema):
    unit: int = Field(description="发文妇联组织 id")
    title: str
    number: str = ""
    issued_on: date
    note: str = ""


class DocumentPatch(VersionIn):
    title: str | None = None
    number: str | None = None
    issued_on: date | None = None
    note: str | None = None


class MeasureOut(Schema):
    id: int
    version: int
    unit: UnitRef
    code: str
    title: str
    document_id: int | None
    plan_id: int | None
    lead_department: str
    responsible: list[UnitRef]
    deadline: date
    due_year: int
    status: str
    started_on: date | None
    done_on: date | None
    overdue: bool
    reporter_id: int | None

    @staticmethod
    def resolve_responsible(obj):
        return list(obj.responsible.all())

    @staticmethod
    def resolve_overdue(obj):
        return rules.is_overdue(obj.status, obj.deadline, periods.today())


class EntryOut(Schema):
    id: int
    kind: str
    day: date
    text: str
    link: str
    file: str
    due_on: date | None

    @staticmethod
    def resolve_file(obj):
        return obj.file.name if obj.file else ""


class MeasureDetailOut(MeasureOut):
    timeline: list[EntryOut]

    @staticmethod
    def resolve_timeline(obj):
        return list(queries.timeline(obj))


class MeasureIn(Schema):
    unit: int = Field(description="方案所属妇联组织 id")
    code: str
    title: str
    deadline: date
    due_year: int | None = Field(None, description="完成年度；为空取完成时限所在年")
    responsible: list[int] = Field(default_factory=list, description="责任单位 id")
    lead_department: str = ""
    document: int | None = None
    plan: int | None = None


class MeasurePatch(VersionIn):
    code: str | None = None
    title: str | None = None
    deadline: date | None = None
    due_year: int | None = None
    lead_department: str | None = None
    responsible: list[int] | None = None


class MeasureFilter(Schema):
    unit: int | None = Field(None, description="只列此组织方案中的措施")
    status: MeasureStatus | None = None
    year: int | None = Field(None, description="完成年度")
    overdue: bool = Field(False, description="只列逾期未完成的")


class ReformStepIn(VersionIn):
    day: date | None = Field(None, description="发生日期；为空取今天")
    note: str = ""


class EntryIn(Schema):
    kind: EntryKind
    text: str
    day: date | None = None
    link: str = Field("", description="佐证链接：平台内记录路径或外部网址")
    due_on: date | None = Field(None, description="节点时限")


class ReformPlanOut(Schema):
    id: int
    version: int
    unit: UnitRef
    title: str
    stage: str
    is_corps: bool
    drafting_on: date
    signing_on: date | None
    approved_on: date | None
    issued_on: date | None


class ReformPlanIn(Schema):
    unit: int = Field(description="省级妇联（或兵团妇联）id")
    title: str
    drafting_on: date
    is_corps: bool = False


class PlanStepIn(VersionIn):
    day: date


class PilotOut(Schema):
    id: int
    version: int
    unit: UnitRef
    name: str
    note: str
    members: list[UnitRef]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class PilotIn(Schema):
    unit: int
    name: str
    members: list[int] = Field(default_factory=list)
    note: str = ""


class PilotPatch(VersionIn):
    name: str | None = None
    note: str | None = None
    members: list[int] | None = None


class BoardFilter(Schema):
    unit: int | None = Field(None, description="看板所属组织；为空取本人管辖的最高一级")
    year: int | None = Field(None, description="统计到期年度；为空取最早的到期年度")
    as_of: date | None = Field(None, description="方案阶段的统计日期；为空取今天")


class PlanStageOut(Schema):
    stage: str
    label: str
    provinces: int
    corps: bool
    names: list[str]


class BoardOut(Schema):
    unit: UnitRef | None
    as_of: date
    measures: dict
    measure_sentence: str
    plans: list[PlanStageOut]
    plan_sentence: str
    documents: int
