"""JSON endpoints of report forms (thin: parse, fetch through a query, call a service, render)."""

from datetime import date

from ninja import Query, Router, Status

from niangjia.core import periods
from niangjia.core.api_schemas import responses
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import queries, rules, services
from .schemas import (
    CompletenessOut,
    FormIn,
    FormOut,
    OpenIn,
    PeriodFilter,
    ReportStepIn,
    StepName,
    SubmissionOut,
    TotalOut,
    ValuesIn,
)

router = Router(tags=["统计报表"])


def _period(form, day: date | None) -> date:
    return rules.period_start(day or periods.today(), form.period_kind)


def _unit(request, unit_id):
    if unit_id is not None:
        return org_queries.get_federation_for(request.user, unit_id)
    roots = org_queries.tree_roots_for(request.user)
    return roots[0] if roots else None


@router.get("/reports/forms", response=responses(list[FormOut]), summary="统计报表列表")
def form_list(request):
    require(request.user, "reports.view")
    return list(queries.forms_for(request.user))


@router.post("/reports/forms", response=responses(FormOut, status=201, write=True), summary="制定统计报表")
def form_create(request, payload: FormIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    data = payload.model_dump(exclude={"unit"})
    return Status(201, services.form_create(actor=request.user, unit=unit, **data))


@router.get("/reports/forms/{pk}", response=responses(FormOut), summary="统计报表定义")
def form_detail(request, pk: int):
    require(request.user, "reports.view")
    return queries.get_form_for(request.user, pk)


@router.get("/reports/forms/{pk}/submissions", response=responses(list[SubmissionOut]), summary="某期的填报情况（本人管辖范围）")
def submission_list(request, pk: int, filters: Query[PeriodFilter]):
    require(request.user, "reports.view")
    form = queries.get_form_for(request.user, pk)
    unit = _unit(request, filters.unit) if filters.unit is not None else None
    return list(queries.submissions_for(request.user, form, period=_period(form, filters.day), unit=unit)[:2000])


@router.post("/reports/forms/{pk}/submissions", response={**responses(SubmissionOut, status=201, write=True),
                                                          200: SubmissionOut},
             summary="打开某单位某期的报表（不存在则建草稿并预填）")
def submission_open(request, pk: int, payload: OpenIn):
    form = queries.get_form_for(request.user, pk)
    unit = org_queries.get_federation_for(request.user, payload.unit)
    sub, created = services.submission_open(actor=request.user, form=form, unit=unit,
                                            day=payload.day or periods.today())
    return Status(201 if created else 200, sub)


@router.get("/reports/forms/{pk}/completeness", response=responses(CompletenessOut), summary="完整性与及时性（按下级）")
def completeness(request, pk: int, filters: Query[PeriodFilter]):
    require(request.user, "reports.view")
    form = queries.get_form_for(request.user, pk)
    unit = _unit(request, filters.unit)
    period = _period(form, filters.day)
    out = queries.completeness(request.user, form, period, unit)
    children = [{**c, "submission_id": c["submission"].pk if c["submission"] else None} for c in out["children"]]
    return {"period": period, "due_on": out["due_on"], "children": children, "subtree": out["subtree"]}


@router.get("/reports/forms/{pk}/totals/{key}", response=responses(TotalOut), summary="某字段在某组织范围某期的合计")
def field_total(request, pk: int, key: str, filters: Query[PeriodFilter], approved_only: bool = False):
    require(request.user, "reports.view")
    form = queries.get_form_for(request.user, pk)
    unit = org_queries.get_federation_for(request.user, filters.unit) if filters.unit is not None else None
    period = _period(form, filters.day)
    out = queries.field_total(request.user, form, key, period, unit=unit, approved_only=approved_only)
    return {"period": period, "field": key, **out}


@router.get("/reports/submissions/{pk}", response=responses(SubmissionOut), summary="一份报表")
def submission_detail(request, pk: int):
    require(request.user, "reports.view")
    return queries.get_submission_for(request.user, pk)


@router.put("/reports/submissions/{pk}/values", response=responses(SubmissionOut, write=True), summary="保存填报数据")
def submission_save(request, pk: int, payload: ValuesIn):
    sub = queries.get_submission_for(request.user, pk)
    return services.submission_save(actor=request.user, submission=sub, version=payload.version, values=payload.values)


@router.post("/reports/submissions/{pk}/steps/{step}", response=responses(SubmissionOut, write=True),
             summary="上报、退回、审核通过、撤销审核")
def submission_step(request, pk: int, step: StepName, payload: ReportStepIn):
    sub = queries.get_submission_for(request.user, pk)
    if step == "submit":
        return services.submission_submit(actor=request.user, submission=sub, version=payload.version)
    if step == "return":
        return services.submission_return(actor=request.user, submission=sub, version=payload.version,
                                          comment=payload.comment)
    if step == "approve":
        return services.submission_approve(actor=request.user, submission=sub, version=payload.version)
    return services.submission_unapprove(actor=request.user, submission=sub, version=payload.version,
                                         comment=payload.comment)
