"""JSON endpoints of report forms (thin: parse, fetch through a query, call a service, render)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Status

from niangjia.core import periods
from niangjia.core.api_schemas import UnitRef, VersionIn, responses
from niangjia.core.roles import require
from niangjia.core.schema import Schema
from niangjia.org import queries as org_queries

from . import queries, rules, services

router = Router(tags=["统计报表"])
Kind = Literal[tuple(rules.KIND_NAMES)]  # type: ignore[valid-type]
PeriodKind = Literal[tuple(rules.PERIOD_NAMES)]  # type: ignore[valid-type]
StepName = Literal[tuple(rules.PIPELINE)]  # type: ignore[valid-type]


class FieldIn(Schema):
    key: str = Field(description="字段代码：小写字母开头，字母数字下划线")
    label: str
    kind: Kind
    required: bool = True
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: list[str] = Field(default_factory=list)
    prefill: str = Field("", description="平台已知数据：womens_homes、sites、hotlines、executive_members")


class FieldOut(FieldIn):
    pass


class CheckIn(Schema):
    left: str
    op: Literal["<=", ">=", "==", "<", ">"]
    right: str


class FormIn(Schema):
    unit: int = Field(description="制表单位 id")
    title: str
    description: str = ""
    fill_level: int = Field(ge=2, le=6, description="填报层级（2 省 … 6 村）")
    period_kind: PeriodKind
    due_days: int = Field(10, ge=0, le=365, description="期末后几天截止")
    fields: list[FieldIn]
    checks: list[CheckIn] = Field(default_factory=list)


class FormOut(Schema):
    id: int
    version: int
    unit: UnitRef
    title: str
    description: str
    fill_level: int
    period_kind: str
    due_days: int
    checks: list[dict]
    fields: list[FieldOut]

    @staticmethod
    def resolve_fields(obj):
        return list(obj.fields.all())


class SubmissionOut(Schema):
    id: int
    version: int
    form_id: int
    unit: UnitRef
    period: date
    status: str
    rollup: bool
    values: dict
    due_on: date
    submitted_at: str | None
    on_time: bool | None
    comment: str

    @staticmethod
    def resolve_submitted_at(obj):
        return obj.submitted_at.isoformat() if obj.submitted_at else None


class OpenIn(Schema):
    unit: int = Field(description="填报单位 id")
    day: date | None = Field(None, description="期内任一天；为空取今天")


class ValuesIn(VersionIn):
    values: dict = Field(description="{字段代码: 值}")


class ReportStepIn(VersionIn):
    comment: str = Field("", description="退回或撤销审核的理由")


class PeriodFilter(Schema):
    day: date | None = Field(None, description="期内任一天；为空取今天")
    unit: int | None = Field(None, description="组织；为空取本人管辖的最高一级")


class ChildOut(Schema):
    unit: UnitRef
    status: str
    status_name: str
    on_time: bool | None
    late: bool
    submission_id: int | None


class CompletenessOut(Schema):
    period: date
    due_on: date
    children: list[ChildOut]
    subtree: dict


class TotalOut(Schema):
    period: date
    field: str
    reports: int
    total: Decimal


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
