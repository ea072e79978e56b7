"""JSON endpoints of logged activities and their subtree summary (thin: query, service, render)."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from niangjia.core.api_schemas import PageParams, UnitRef, choice, page_of, page_out, responses
from niangjia.core.errors import ValidationFailed
from niangjia.core.periods import month_end
from niangjia.core.replica import reads_replica
from niangjia.core.roles import has_perm, require
from niangjia.core.schema import Schema
from niangjia.org import queries as org_queries

from . import catalogue, figures, queries, services
from .models import ActivityLog

router = Router(tags=["统计"])
CATEGORY_NAMES = dict(ActivityLog.Category.choices)


class ActivityLogOut(Schema):
    id: int
    unit: UnitRef
    day: date
    category: str
    category_name: str
    title: str
    women_reached: int

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.get_category_display()


class ActivityLogIn(Schema):
    unit: int = Field(description="开展活动的妇联组织 id")
    day: date
    category: choice(ActivityLog.Category)
    title: str
    women_reached: int = Field(0, ge=0)


class ActivityLogFilters(Schema):
    unit: int | None = Field(None, description="只列此组织及其下级的活动")
    category: choice(ActivityLog.Category) | None = None
    start: date | None = None
    end: date | None = None


class SummaryRowOut(Schema):
    period: date = Field(description="月份（当月第一天）")
    category: str
    category_name: str
    activities: int
    women_reached: int


class SummaryOut(Schema):
    unit: UnitRef | None = Field(description="统计范围；为空表示调用者的全部管辖范围")
    start: date
    end: date
    rows: list[SummaryRowOut]
    total_activities: int
    total_women_reached: int


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(_("结束日期早于开始日期"), fields={"end": _("早于开始日期")})


@router.get("/stats/activities/summary", response=responses(SummaryOut), summary="活动统计：按月份和类别的活动数与覆盖妇女人数")
@reads_replica
def activity_summary(request, start: date, end: date, unit: int | None = None):
    require(request.user, "stats.view")
    _check_period(start, end)
    fed = org_queries.subtree_of(request.user, unit)
    rows = [{"period": r["period"], "category": r["category"], "category_name": CATEGORY_NAMES.get(r["category"], r["category"]),
             "activities": r["n"], "women_reached": r["t"]}
            for r in queries.activity_counts(request.user, unit=fed, start=start, end=end)]
    return {"unit": fed, "start": start, "end": end, "rows": rows,
            "total_activities": sum(r["activities"] for r in rows),
            "total_women_reached": sum(r["women_reached"] for r in rows)}


@router.get("/stats/activities", response=responses(page_of(ActivityLogOut)), summary="工作活动列表（按组织及下级、类别、日期筛选）")
@reads_replica
def activity_list(request, filters: Query[ActivityLogFilters], page: Query[PageParams]):
    require(request.user, "stats.view")
    fed = org_queries.subtree_of(request.user, filters.unit)
    qs = queries.activities_for(request.user, unit=fed, category=filters.category or "", start=filters.start,
                                end=filters.end)
    return page_out(qs, order=("-day", "-id"), params=page)


@router.post("/stats/activities", response=responses(ActivityLogOut, status=201, write=True), summary="登记一次工作活动")
def activity_create(request, payload: ActivityLogIn):
    fed = org_queries.get_federation_for(request.user, payload.unit, write=True)
    act = services.activity_log(actor=request.user, unit=fed, **payload.model_dump(exclude={"unit"}))
    return Status(201, act)


# ---------------------------------------------------------------- 各项工作汇总 (every rolled-up count)


class FigureOut(Schema):
    metric: str
    label: str
    area: str = Field(description="领域，如 下基层、维权")
    noun: str = Field(description="数量的单位")
    count: int
    total: int = Field(description="合计（如蹲点天数、覆盖人次）；没有合计的指标为 0")
    total_label: str = Field(description="合计的含义；为空表示没有合计")
    mean: bool = Field(description="为真时合计是评分之和，平均值 = total / count")


class FiguresOut(Schema):
    unit: UnitRef | None
    start: date = Field(description="起始月份的第一天")
    end: date = Field(description="截止月份的最后一天")
    figures: list[FigureOut]


class FigureRowOut(Schema):
    period: date
    category: str
    category_name: str
    status: str
    status_name: str
    count: int
    total: int


class FigureChildOut(Schema):
    unit_id: int | None = Field(description="下级组织 id；为空表示记在本级的")
    name: str
    count: int
    total: int
    prior: int = Field(description="上年同期的数量")


class FigureDetailOut(FigureOut):
    unit: UnitRef | None
    start: date
    end: date
    rows: list[FigureRowOut] = Field(description="按月、类别、状态")
    children: list[FigureChildOut] = Field(description="按直接下级组织，数量为 0 的也列出（需指定 unit 或只有一个管辖组织）")
    prior_count: int = Field(description="上年同期的数量")


def _months(start: date, end: date) -> tuple[date, date]:
    _check_period(start, end)
    return start.replace(day=1), month_end(end)


def _figure_out(fig, n: int, t: int) -> dict:
    return {"metric": fig.metric, "label": fig.label, "area": fig.area, "noun": fig.noun, "count": n, "total": t,
            "total_label": fig.total_label, "mean": fig.mean}


@router.get("/stats/figures", response=responses(FiguresOut),
            summary="各项工作汇总：一个组织范围、一段月份内每项统计的数量与合计")
@reads_replica
def figure_totals(request, start: date, end: date, unit: int | None = None):
    require(request.user, "stats.view")
    start, end = _months(start, end)
    fed = org_queries.subtree_of(request.user, unit)
    visible = catalogue.figures_for(lambda p: has_perm(request.user, p))
    sums = figures.totals(request.user, unit=fed, start=start, end=end, metrics=[f.metric for f in visible])
    return {"unit": fed, "start": start, "end": end,
            "figures": [_figure_out(f, sums[f.metric]["n"], sums[f.metric]["t"]) for f in visible]}


@router.get("/stats/figures/{metric}", response=responses(FigureDetailOut),
            summary="一项统计按月、类别、状态和下级组织的分布")
@reads_replica
def figure_detail(request, metric: str, start: date, end: date, unit: int | None = None):
    require(request.user, "stats.view")
    fig = figures.figure_for(request.user, metric)
    start, end = _months(start, end)
    fed = org_queries.subtree_of(request.user, unit)
    rows = figures.breakdown(request.user, unit=fed, start=start, end=end, metric=metric)
    cats, sts = catalogue.code_labels(fig, "category"), catalogue.code_labels(fig, "status")
    top = figures.children_parent(request.user, fed)
    children = figures.named_children(request.user, unit=top, start=start, end=end, metric=metric) if top else []
    head = figures.totals(request.user, unit=fed, start=start, end=end, metrics=[metric])[metric]
    prior = figures.totals(request.user, unit=fed, start=figures.year_before(start), end=figures.year_before(end),
                           metrics=[metric])[metric]
    return {**_figure_out(fig, head["n"], head["t"]), "prior_count": prior["n"],
            "unit": fed, "start": start, "end": end,
            "rows": [{"period": r["period"], "category": r["category"], "category_name": cats.get(r["category"], ""),
                      "status": r["status"], "status_name": sts.get(r["status"], ""), "count": r["n"], "total": r["t"]}
                     for r in rows],
            "children": [{"unit_id": c["id"], "name": c["name"], "count": c["n"], "total": c["t"], "prior": c["prior"]}
                         for c in children]}


# ---------------------------------------------------------------- 覆盖与达标 (standing figures, stats.coverage)


class CoverageRowOut(Schema):
    id: int | None = None
    name: str = ""
    code: str = ""
    villages: int = Field(description="村（社区）数")
    converted: int = Field(description="已改建为妇联的村（会改联）")
    conversion_pct: float | None
    completed: bool = Field(description="全部村已会改联")
    townships: int
    regionalised: int = Field(description="已区域化建设的乡镇（每个乡镇只计一次）")
    regionalisation_pct: float | None
    added: int = Field(description="会改联填报的新增执委")
    in_register: int = Field(description="已会改联的村执委会名册人数")
    added_diff: int
    required: int = Field(description="县级以上妇联数（应开通12338）")
    with_hotline: int
    missing: int
    hotline_pct: float | None
    assessed: int = Field(description="有领导机构成员、参与组成结构评估的组织")
    compliant: int = Field(description="各项比例都达标的组织")
    composition_pct: float | None
    quota: int = Field(description="编制数")
    staff: int = Field(description="机关专职人员")
    over: int = Field(description="超编组织数")
    women: int = Field(description="期间直接联系的妇女（人，不计重复）")
    sites: dict[str, int] = Field(description="阵地按类型")
    site_total: int


class CoverageUnitOut(Schema):
    id: int
    name: str
    code: str = ""


class CoverageFailOut(Schema):
    id: int
    name: str
    rules: list[str]


class CoverageMismatchOut(Schema):
    id: int
    name: str
    added: int
    in_register: int
    diff: int


class CoverageOut(Schema):
    unit: UnitRef | None
    start: date
    end: date
    targets: dict[str, int] = Field(description="目标（政策“覆盖与达标目标”，可由各级妇联调整）")
    rows: list[CoverageRowOut] = Field(description="下级组织（或试点成员）逐个列出，0 也列出")
    total: CoverageRowOut
    hotline_missing: list[CoverageUnitOut] = Field(description="未开通12338热线的县级以上妇联")
    composition_failing: list[CoverageFailOut]
    added_mismatches: list[CoverageMismatchOut] = Field(description="新增执委与名册不符的村")


@router.get("/stats/coverage", response=responses(CoverageOut),
            summary="覆盖与达标：会改联、区域化、阵地、12338热线、组成结构、编制、联系妇女人数，按下级组织或试点成员")
def coverage_board(request, start: date, end: date, unit: int | None = None, pilot: int | None = None,
                   sort: str = "code"):
    from . import coverage
    from .views_coverage import pilot_of

    require(request.user, "stats.view")
    _check_period(start, end)
    fed = org_queries.subtree_of(request.user, unit)
    top = figures.children_parent(request.user, fed)
    p = pilot_of(request.user, pilot)
    if top is None and p is None:
        raise ValidationFailed(_("请指定组织或试点"), fields={"unit": _("必填")})
    data = coverage.board(request.user, unit=top, pilot=p, start=start, end=end, sort=sort)
    return {"unit": top if p is None else None, "start": start, "end": end, **data}
