"""The request and response schemas of the reports API (api/__init__.py is the router)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from niangjia.core.api_schemas import UnitRef, VersionIn

from .. import rules

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
