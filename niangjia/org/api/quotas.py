"""JSON endpoints of 机构编制核定: a federation's quota history and the cut of its and its children's quotas
(read: org.view; write: org.edit; thin: org.queries reads, org.services writes)."""

from dataclasses import asdict
from datetime import date

from ninja import Field, Router, Schema, Status

from niangjia.core import periods
from niangjia.core.api_schemas import UnitRef, VersionIn, changes_of, page_of, responses, whole_list
from niangjia.core.roles import require

from .. import queries, services

router = Router(tags=["组织体系"])


class EstablishmentQuotaOut(Schema):
    id: int
    unit: UnitRef
    effective_on: date
    staff: int = Field(description="编制数")
    departments: int = Field(description="内设机构数")
    institutions: int = Field(description="直属事业单位数")
    document: str = Field(description="核定依据（文号）")
    note: str
    version: int


class EstablishmentQuotaIn(Schema):
    effective_on: date = Field(description="起始日期（同一组织每天至多一条）")
    staff: int = Field(ge=0)
    departments: int = Field(ge=0)
    institutions: int = Field(ge=0)
    document: str = ""
    note: str = ""


class EstablishmentQuotaPatch(VersionIn):
    effective_on: date | None = None
    staff: int | None = Field(None, ge=0)
    departments: int | None = Field(None, ge=0)
    institutions: int | None = Field(None, ge=0)
    document: str | None = None
    note: str | None = None


class QuotaValuesOut(Schema):
    staff: int
    departments: int
    institutions: int


class DimensionCutOut(Schema):
    before: int
    after: int
    cut: int = Field(description="减少数（负数为增加）")
    pct: float | None = Field(description="精简比例 %；起始为 0 时为空")
    met: bool | None = Field(description="是否达到精简目标；起始为 0 时为空")


class CutOut(Schema):
    dimensions: dict[str, DimensionCutOut] = Field(description="staff 编制、departments 内设机构、institutions 直属事业单位")
    met: bool | None = Field(description="各项都达到目标")
    missed: list[str] = Field(description="未达到目标的项目")


class CutRowOut(Schema):
    unit: UnitRef
    own: bool = Field(description="为真表示所查组织本级，其余为直接下级")
    before: QuotaValuesOut | None = Field(description="起始日期当天执行的核定；没有则为空")
    after: QuotaValuesOut | None
    cut: CutOut | None = Field(description="两天都有核定时的精简情况")


class CutTotalOut(Schema):
    before: QuotaValuesOut
    after: QuotaValuesOut
    cut: CutOut


class QuotaCutOut(Schema):
    target_pct: int = Field(description="精简目标 %（制度参数 org.quota_cut，可由各级妇联调整）")
    base: date
    on: date
    rows: list[CutRowOut]
    total: CutTotalOut | None = Field(description="两天都有核定的组织合计")
    assessed: int
    met: int


def _cut(c) -> dict | None:
    return None if c is None else {"dimensions": {k: asdict(d) for k, d in c.dimensions.items()}, "met": c.met,
                                   "missed": c.missed}


def _q(q) -> dict | None:
    return None if q is None else asdict(q)


@router.get("/federations/{int:id}/quotas", response=responses(page_of(EstablishmentQuotaOut)),
            summary="一个组织的机构编制核定记录（编制、内设机构、直属事业单位，新的在前）")
def quota_list(request, id: int):
    require(request.user, "org.view")
    return whole_list(queries.quotas_of(request.user, queries.get_federation_for(request.user, id)))


@router.post("/federations/{int:id}/quotas", response=responses(EstablishmentQuotaOut, status=201, write=True),
             summary="登记一次机构编制核定（自起始日期起执行）")
def quota_create(request, id: int, payload: EstablishmentQuotaIn):
    unit = queries.get_federation_for(request.user, id, write=True)
    return Status(201, services.quota_record(actor=request.user, unit=unit, **payload.model_dump()))


@router.get("/quotas/{int:id}", response=responses(EstablishmentQuotaOut), summary="一条机构编制核定记录")
def quota_detail(request, id: int):
    return queries.get_quota_for(request.user, id)


@router.patch("/quotas/{int:id}", response=responses(EstablishmentQuotaOut, write=True), summary="更正机构编制核定记录（需带版本号）")
def quota_update(request, id: int, payload: EstablishmentQuotaPatch):
    quota = queries.get_quota_for(request.user, id, write=True)
    return services.quota_update(actor=request.user, quota=quota, version=payload.version, **changes_of(payload))


@router.get("/federations/{int:id}/quota-cut", response=responses(QuotaCutOut),
            summary="机构编制精简情况：本级和直接下级在两天各自执行的核定，编制、内设机构、直属事业单位各精简多少、是否达标")
def quota_cut(request, id: int, base: date | None = None, on: date | None = None):
    require(request.user, "org.view")
    unit = queries.get_federation_for(request.user, id)
    on = on or periods.today()
    base = base or queries.quota_first_day(unit) or on
    board = queries.quota_cut_board(request.user, unit, base=base, on=on)
    return {**board,
            "rows": [{"unit": r["unit"], "own": r["own"], "before": _q(r["before"]), "after": _q(r["after"]),
                      "cut": _cut(r["cut"])} for r in board["rows"]],
            "total": board["total"] and {"before": _q(board["total"]["before"]), "after": _q(board["total"]["after"]),
                                         "cut": _cut(board["total"]["cut"])}}
