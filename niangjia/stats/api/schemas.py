"""The request and response schemas of the stats API (api/__init__.py is the router)."""

from datetime import date

from ninja import Field, Schema

from niangjia.core.api_schemas import UnitRef, choice

from ..models import ActivityLog


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
