"""JSON endpoints of reform tracking (thin: parse, fetch through a query, call a service, render)."""

from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Status

from niangjia.core import periods
from niangjia.core.api_schemas import PageParams, UnitRef, VersionIn, changes_of, page_of, page_out, responses
from niangjia.core.roles import require
from niangjia.core.schema import Schema
from niangjia.org import queries as org_queries

from . import queries, rules, services

router = Router(tags=["改革推进"])
MeasureStatus = Literal[tuple(rules.MEASURE_STATUS_NAMES)]  # type: ignore[valid-type]
MeasureStep = Literal[tuple(rules.MEASURE_PIPELINE)]  # type: ignore[valid-type]
PlanStep = Literal[tuple(rules.PLAN_PIPELINE)]  # type: ignore[valid-type]
EntryKind = Literal["milestone", "evidence", "note"]


def _unit(request, unit_id: int | None):
    """The unit asked for (404 outside the reach), or the caller's first root."""
    if unit_id is not None:
        return org_queries.get_federation_for(request.user, unit_id)
    roots = org_queries.tree_roots_for(request.user)
    return roots[0] if roots else None


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


# ---------------------------------------------------------------- board


@router.get("/reform/board", response=responses(BoardOut), summary="改革推进看板（计算得出）")
def board(request, filters: Query[BoardFilter]):
    require(request.user, "reform.view")
    unit = _unit(request, filters.unit)
    if unit is None:
        return {"unit": None, "as_of": filters.as_of or periods.today(), "measures": {}, "measure_sentence": "",
                "plans": [], "plan_sentence": "", "documents": 0}
    out = queries.board(request.user, unit, today=periods.today(), year=filters.year, as_of=filters.as_of)
    return {**out, "unit": unit}


# ---------------------------------------------------------------- documents


@router.get("/reform/documents", response=responses(page_of(DocumentOut)), summary="改革文件列表")
def document_list(request, filters: Query[ReformUnitFilter], page: Query[PageParams]):
    require(request.user, "reform.view")
    qs = queries.documents_for(request.user, unit=org_queries.subtree_of(request.user, filters.unit))
    return page_out(qs, order=("-issued_on", "-id"), params=page)


@router.post("/reform/documents", response=responses(DocumentOut, status=201, write=True), summary="登记改革文件")
def document_create(request, payload: DocumentIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    doc = services.document_create(actor=request.user, unit=unit, **payload.model_dump(exclude={"unit"}))
    return Status(201, doc)


@router.patch("/reform/documents/{pk}", response=responses(DocumentOut, write=True), summary="修改改革文件")
def document_update(request, pk: int, payload: DocumentPatch):
    doc = queries.get_document_for(request.user, pk)
    return services.document_update(actor=request.user, document=doc, version=payload.version,
                                    changes=changes_of(payload))


# ---------------------------------------------------------------- measures


@router.get("/reform/measures", response=responses(page_of(MeasureOut)), summary="改革措施列表")
def measure_list(request, filters: Query[MeasureFilter], page: Query[PageParams]):
    require(request.user, "reform.view")
    unit = org_queries.subtree_of(request.user, filters.unit)
    qs = queries.measures_for(request.user, unit=unit, status=filters.status or "", year=filters.year,
                              overdue_on=periods.today() if filters.overdue else None)
    return page_out(qs.prefetch_related("responsible"), order=("deadline", "id"), params=page)


def _units(request, ids):
    return [org_queries.get_federation_for(request.user, i) for i in ids]


@router.post("/reform/measures", response=responses(MeasureOut, status=201, write=True), summary="登记改革措施")
def measure_create(request, payload: MeasureIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    document = queries.get_document_for(request.user, payload.document) if payload.document else None
    plan = queries.get_plan_for(request.user, payload.plan) if payload.plan else None
    m = services.measure_create(actor=request.user, unit=unit, code=payload.code, title=payload.title,
                                deadline=payload.deadline, due_year=payload.due_year,
                                responsible=_units(request, payload.responsible),
                                lead_department=payload.lead_department, document=document, plan=plan)
    return Status(201, m)


@router.get("/reform/measures/{pk}", response=responses(MeasureDetailOut), summary="改革措施及其进展时间线")
def measure_detail(request, pk: int):
    require(request.user, "reform.view")
    return queries.get_measure_for(request.user, pk)


@router.patch("/reform/measures/{pk}", response=responses(MeasureOut, write=True), summary="修改改革措施")
def measure_update(request, pk: int, payload: MeasurePatch):
    m = queries.get_measure_for(request.user, pk)
    changes = changes_of(payload, exclude={"version", "responsible"})
    responsible = _units(request, payload.responsible) if payload.responsible is not None else None
    return services.measure_update(actor=request.user, measure=m, version=payload.version, changes=changes,
                                   responsible=responsible)


@router.post("/reform/measures/{pk}/steps/{step}", response=responses(MeasureOut, write=True),
             summary="改革措施状态：启动、完成、标记延期、重新打开")
def measure_step(request, pk: int, step: MeasureStep, payload: ReformStepIn):
    m = queries.get_measure_for(request.user, pk)
    return services.measure_move(actor=request.user, measure=m, step=step, version=payload.version, day=payload.day,
                                 note=payload.note)


@router.post("/reform/measures/{pk}/entries", response=responses(EntryOut, status=201, write=True),
             summary="报告进展：节点、佐证（链接）或进展说明")
def entry_add(request, pk: int, payload: EntryIn):
    m = queries.get_measure_for(request.user, pk)
    return Status(201, services.entry_add(actor=request.user, measure=m, **payload.model_dump()))


# ---------------------------------------------------------------- plans


@router.get("/reform/plans", response=responses(list[ReformPlanOut]), summary="省级改革方案")
def plan_list(request, filters: Query[ReformUnitFilter]):
    require(request.user, "reform.view")
    return list(queries.plans_for(request.user, unit=org_queries.subtree_of(request.user, filters.unit)))


@router.post("/reform/plans", response=responses(ReformPlanOut, status=201, write=True), summary="登记省级改革方案（起草）")
def plan_create(request, payload: ReformPlanIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    return Status(201, services.plan_create(actor=request.user, unit=unit, title=payload.title,
                                            drafting_on=payload.drafting_on, is_corps=payload.is_corps))


@router.post("/reform/plans/{pk}/steps/{step}", response=responses(ReformPlanOut, write=True),
             summary="方案进入下一阶段：发文审签、党委批准、印发实施")
def plan_step(request, pk: int, step: PlanStep, payload: PlanStepIn):
    plan = queries.get_plan_for(request.user, pk)
    return services.plan_move(actor=request.user, plan=plan, step=step, day=payload.day, version=payload.version)


# ---------------------------------------------------------------- pilots


@router.get("/reform/pilots", response=responses(list[PilotOut]), summary="改革试点")
def pilot_list(request):
    require(request.user, "reform.view")
    return list(queries.pilots_for(request.user))


@router.post("/reform/pilots", response=responses(PilotOut, status=201, write=True), summary="设立改革试点")
def pilot_create(request, payload: PilotIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    return Status(201, services.pilot_create(actor=request.user, unit=unit, name=payload.name, note=payload.note,
                                             members=_units(request, payload.members)))


@router.patch("/reform/pilots/{pk}", response=responses(PilotOut, write=True), summary="修改改革试点")
def pilot_update(request, pk: int, payload: PilotPatch):
    pilot = queries.get_pilot_for(request.user, pk)
    members = _units(request, payload.members) if payload.members is not None else None
    return services.pilot_update(actor=request.user, pilot=pilot, version=payload.version,
                                 changes=changes_of(payload, exclude={"version", "members"}), members=members)
