"""JSON endpoints of 数据透视 (stats.pivot through stats.figures) and of the caller's saved pivot views
(thin: stats.queries reads, stats.services writes; a view is its owner's alone — anyone else gets 404)."""

from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from niangjia.core.api_schemas import OkOut, UnitRef, VersionIn, page_of, responses, whole_list
from niangjia.core.errors import ValidationFailed
from niangjia.core.periods import month_end
from niangjia.core.replica import reads_replica
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import figures, queries, services

router = Router(tags=["统计"])


class PivotQuery(Schema):
    metric: str = Field(description="指标（GET /stats/figures 的 metric）")
    rows: Literal["unit", "category", "status"] = Field("unit", description="行：下级组织、类别或状态")
    cols: Literal["month", "quarter", "year"] = Field("month", description="列：月、季度或年")
    value: Literal["n", "t"] = Field("n", description="n 数量；t 合计（如天数、人次）")
    start: date = Field(description="起始月份（任一天）")
    end: date = Field(description="截止月份（任一天）")
    unit: int | None = Field(None, description="组织范围；按下级组织透视时为其直接下级")
    pilot: int | None = Field(None, description="试点：按其成员透视或汇总")


class PivotRowOut(Schema):
    key: str = Field(description="组织 id、类别或状态代码；本级记录为空串")
    label: str
    cells: list[int]
    total: int


class PivotOut(Schema):
    metric: str
    label: str
    value_label: str
    row_title: str
    unit: UnitRef | None
    start: date
    end: date
    columns: list[str]
    rows: list[PivotRowOut] = Field(description="下级组织（0 也列出）、类别或状态")
    totals: list[int] = Field(description="每列合计")
    grand: int


class PivotViewOut(Schema):
    id: int
    name: str
    config: dict[str, str] = Field(description="metric、rows、cols、value、unit、pilot、start、end")
    version: int


class PivotViewIn(Schema):
    name: str = Field(max_length=60)
    config: dict[str, str | int] = Field(description="同 GET /stats/pivot 的参数")


class PivotViewPatch(VersionIn):
    name: str | None = Field(None, max_length=60)
    config: dict[str, str | int] | None = None


@router.get("/stats/pivot", response=responses(PivotOut),
            summary="数据透视：一项统计按下级组织/类别/状态（行）和月/季度/年（列）")
@reads_replica
def pivot_table(request, q: Query[PivotQuery]):
    require(request.user, "stats.view")
    if q.end < q.start:
        raise ValidationFailed("截止月份早于起始月份", fields={"end": "早于起始月份"})
    start, end = q.start.replace(day=1), month_end(q.end)
    unit = org_queries.subtree_of(request.user, q.unit)
    pilot = None
    if q.pilot is not None:
        from niangjia.reform.queries import get_pilot_for

        pilot = get_pilot_for(request.user, q.pilot)
    t = figures.pivot_for(request.user, metric=q.metric, by=q.rows, grain=q.cols, unit=unit, pilot=pilot,
                          start=start, end=end, value=q.value)
    return {"metric": t["figure"].metric, "label": t["figure"].label, "value_label": t["value_label"],
            "row_title": t["row_title"], "unit": t["unit"], "start": start, "end": end, "columns": t["columns"],
            "rows": [{**r, "key": "" if r["key"] is None else str(r["key"])} for r in t["rows"]],
            "totals": t["totals"], "grand": t["grand"]}


@router.get("/stats/pivot-views", response=responses(page_of(PivotViewOut)), summary="我保存的透视表")
def pivot_view_list(request):
    require(request.user, "stats.view")
    return whole_list(queries.pivot_views_for(request.user))


@router.post("/stats/pivot-views", response=responses(PivotViewOut, status=201, write=True), summary="保存透视表（仅本人可见）")
def pivot_view_create(request, payload: PivotViewIn):
    return Status(201, services.pivot_view_save(actor=request.user, name=payload.name, config=payload.config))


@router.get("/stats/pivot-views/{int:id}", response=responses(PivotViewOut), summary="我保存的一个透视表")
def pivot_view_detail(request, id: int):
    require(request.user, "stats.view")
    return queries.get_pivot_view_for(request.user, id)


@router.patch("/stats/pivot-views/{int:id}", response=responses(PivotViewOut, write=True),
              summary="重命名或修改保存的透视表（需带版本号）")
def pivot_view_update(request, id: int, payload: PivotViewPatch):
    view = queries.get_pivot_view_for(request.user, id)
    return services.pivot_view_update(actor=request.user, view=view, version=payload.version, name=payload.name,
                                      config=payload.config)


@router.delete("/stats/pivot-views/{int:id}", response=responses(OkOut, write=True), summary="删除保存的透视表（需带版本号）")
def pivot_view_delete(request, id: int, version: int):
    view = queries.get_pivot_view_for(request.user, id)
    services.pivot_view_delete(actor=request.user, view=view, version=version)
    return {"ok": True}
