"""JSON endpoints of logged activities and their subtree summary (thin: query, service, render)."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from niangjia.core.api_schemas import PageParams, page_of, page_out, responses
from niangjia.core.errors import ValidationFailed
from niangjia.core.periods import month_end
from niangjia.core.replica import reads_replica
from niangjia.core.roles import has_perm, require
from niangjia.org import queries as org_queries

from .. import catalogue, coverage, figures, queries, services
from ..models import ActivityLog
from ..queries import pilot_of
from .pivot import router as pivot_router
from .schemas import (
    ActivityLogFilters,
    ActivityLogIn,
    ActivityLogOut,
    CoverageOut,
    FigureDetailOut,
    FiguresOut,
    SummaryOut,
)

router = Router(tags=["统计"])
router.add_router("", pivot_router)  # 数据透视 and saved views, under the same /v1 prefix
CATEGORY_NAMES = dict(ActivityLog.Category.choices)


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
    listing = queries.activities_listing(request.user, unit=fed, category=filters.category or "", start=filters.start,
                                         end=filters.end)
    return page_out(listing, order=("-day", "-id"), params=page)


@router.post("/stats/activities", response=responses(ActivityLogOut, status=201, write=True), summary="登记一次工作活动")
def activity_create(request, payload: ActivityLogIn):
    fed = org_queries.get_federation_for(request.user, payload.unit, write=True)
    act = services.activity_log(actor=request.user, unit=fed, **payload.model_dump(exclude={"unit"}))
    return Status(201, act)


# ---------------------------------------------------------------- 各项工作汇总 (every rolled-up count)


def _months(start: date, end: date) -> tuple[date, date]:
    _check_period(start, end)
    return start.replace(day=1), month_end(end)


def _pilot_members(user, pilot: int | None) -> list | None:
    """A pilot's members in the caller's reach (404 for a pilot she cannot see), or None without one."""
    if pilot is None:
        return None
    # the module's own `pilot_of` is another thing
    from ..views.figures import pilot_of

    return figures.pilot_units(user, pilot_of(user, pilot))


def _figure_out(fig, n: int, t: int) -> dict:
    return {"metric": fig.metric, "label": fig.label, "area": fig.area, "noun": fig.noun, "count": n, "total": t,
            "total_label": fig.total_label, "mean": fig.mean}


@router.get("/stats/figures", response=responses(FiguresOut),
            summary="各项工作汇总：一个组织范围、一段月份内每项统计的数量与合计")
@reads_replica
def figure_totals(request, start: date, end: date, unit: int | None = None, pilot: int | None = None):
    require(request.user, "stats.view")
    start, end = _months(start, end)
    fed = org_queries.subtree_of(request.user, unit)
    visible = catalogue.figures_for(lambda p: has_perm(request.user, p))
    wanted = {"start": start, "end": end, "metrics": [f.metric for f in visible]}
    members = _pilot_members(request.user, pilot)
    sums = (figures.pilot_totals(request.user, units=members, **wanted) if members is not None
            else figures.totals(request.user, unit=fed, **wanted))
    return {"unit": fed if members is None else None, "start": start, "end": end,
            "figures": [_figure_out(f, sums[f.metric]["n"], sums[f.metric]["t"]) for f in visible]}


@router.get("/stats/figures/{metric}", response=responses(FigureDetailOut),
            summary="一项统计按月、类别、状态和下级组织的分布")
@reads_replica
def figure_detail(request, metric: str, start: date, end: date, unit: int | None = None, pilot: int | None = None):
    require(request.user, "stats.view")
    fig = figures.figure_for(request.user, metric)
    start, end = _months(start, end)
    fed = org_queries.subtree_of(request.user, unit)
    members = _pilot_members(request.user, pilot)
    last = {"start": figures.year_before(start), "end": figures.year_before(end), "metrics": [metric]}
    if members is not None:  # 试点: its members side by side, their subtrees added up
        rows = [r for m in members for r in figures.breakdown(request.user, unit=m, start=start, end=end, metric=metric)]
        children = figures.pilot_members(request.user, units=members, start=start, end=end, metric=metric)
        head = figures.pilot_totals(request.user, units=members, start=start, end=end, metrics=[metric])[metric]
        prior = figures.pilot_totals(request.user, units=members, **last)[metric]
    else:
        rows = figures.breakdown(request.user, unit=fed, start=start, end=end, metric=metric)
        top = figures.children_parent(request.user, fed)
        children = figures.named_children(request.user, unit=top, start=start, end=end, metric=metric) if top else []
        head = figures.totals(request.user, unit=fed, start=start, end=end, metrics=[metric])[metric]
        prior = figures.totals(request.user, unit=fed, **last)[metric]
    cats, sts = catalogue.code_labels(fig, "category"), catalogue.code_labels(fig, "status")
    return {**_figure_out(fig, head["n"], head["t"]), "prior_count": prior["n"],
            "unit": fed if members is None else None, "start": start, "end": end,
            "rows": [{"period": r["period"], "category": r["category"], "category_name": cats.get(r["category"], ""),
                      "status": r["status"], "status_name": sts.get(r["status"], ""), "count": r["n"], "total": r["t"]}
                     for r in rows],
            "children": [{"unit_id": c["id"], "name": c["name"], "count": c["n"], "total": c["t"], "prior": c["prior"]}
                         for c in children]}


# ---------------------------------------------------------------- 覆盖与达标 (standing figures, stats.coverage)


@router.get("/stats/coverage", response=responses(CoverageOut),
            summary="覆盖与达标：会改联、区域化、阵地、12338热线、组成结构、编制、联系妇女人数，按下级组织或试点成员")
def coverage_board(request, start: date, end: date, unit: int | None = None, pilot: int | None = None,
                   sort: str = "code"):
    require(request.user, "stats.view")
    _check_period(start, end)
    fed = org_queries.subtree_of(request.user, unit)
    top = figures.children_parent(request.user, fed)
    p = pilot_of(request.user, pilot)
    if top is None and p is None:
        raise ValidationFailed(_("请指定组织或试点"), fields={"unit": _("必填")})
    data = coverage.board(request.user, unit=top, pilot=p, start=start, end=end, sort=sort)
    return {"unit": top if p is None else None, "start": start, "end": end, **data}
