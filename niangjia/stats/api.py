"""JSON endpoints of logged activities and their subtree summary (thin: query, service, render)."""

from datetime import date

from ninja import Field, Query, Router, Schema, Status

from niangjia.core.api_schemas import PageParams, UnitRef, choice, page_of, page_out, responses
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from . import queries, services
from .models import ActivityLog

router = Router(tags=["统计"])
CATEGORY_NAMES = dict(ActivityLog.Category.choices)


class ActivityOut(Schema):
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


class ActivityIn(Schema):
    unit: int = Field(description="开展活动的妇联组织 id")
    day: date
    category: choice(ActivityLog.Category)
    title: str
    women_reached: int = Field(0, ge=0)


class ActivityFilters(Schema):
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
        raise ValidationFailed("结束日期早于开始日期", fields={"end": "早于开始日期"})


@router.get("/stats/activities/summary", response=responses(SummaryOut), summary="活动统计：按月份和类别的活动数与覆盖妇女人数")
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


@router.get("/stats/activities", response=responses(page_of(ActivityOut)), summary="工作活动列表（按组织及下级、类别、日期筛选）")
def activity_list(request, filters: Query[ActivityFilters], page: Query[PageParams]):
    require(request.user, "stats.view")
    fed = org_queries.subtree_of(request.user, filters.unit)
    qs = queries.activities_for(request.user, unit=fed, category=filters.category or "", start=filters.start,
                                end=filters.end)
    return page_out(qs, order=("-day", "-id"), params=page)


@router.post("/stats/activities", response=responses(ActivityOut, status=201, write=True), summary="登记一次工作活动")
def activity_create(request, payload: ActivityIn):
    fed = org_queries.get_federation_for(request.user, payload.unit, write=True)
    act = services.activity_log(actor=request.user, unit=fed, **payload.model_dump(exclude={"unit"}))
    return Status(201, act)
