"""JSON endpoints of reform tracking (thin: parse, fetch through a query, call a service, render)."""


from ninja import Query, Router, Status

from niangjia.core import periods
from niangjia.core.api_schemas import PageParams, changes_of, page_of, page_out, responses
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import queries, services
from .schemas import (
    BoardFilter,
    BoardOut,
    DocumentIn,
    DocumentOut,
    DocumentPatch,
    EntryIn,
    EntryOut,
    MeasureDetailOut,
    MeasureFilter,
    MeasureIn,
    MeasureOut,
    MeasurePatch,
    MeasureStep,
    PilotIn,
    PilotOut,
    PilotPatch,
    PlanStep,
    PlanStepIn,
    ReformPlanIn,
    ReformPlanOut,
    ReformStepIn,
    ReformUnitFilter,
)

router = Router(tags=["改革推进"])


def _unit(request, unit_id: int | None):
    """The unit asked for (404 outside the reach), or the caller's first root."""
    if unit_id is not None:
        return org_queries.get_federation_for(request.user, unit_id)
    roots = org_queries.tree_roots_for(request.user)
    return roots[0] if roots else None


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
