"""The request and response schemas of the duties API (api/__init__.py is the router)."""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from niangjia.core import periods
from niangjia.core.api_schemas import UnitRef, VersionIn, choice

from .. import queries, rules
from ..models import Evidence, EvidenceKind, Review, TargetKind


class DutyRef(Schema):
    id: int
    name: str


class ItemOut(Schema):
    id: int
    order: int
    title: str
    description: str
    target_kind: str
    target_min: int
    target_max: int | None
    target_text: str = Field(description="如 5–7、至少 1")
    noun: str
    evidence_kind: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_target_text(obj) -> str:
        return rules.target_text(obj.target_kind, obj.target_min, obj.target_max)


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    unit: UnitRef
    preset_key: str
    is_active: bool
    version: int


class TemplateDetailOut(TemplateOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return queries.items_of(obj)


class ItemIn(Schema):
    title: str
    target_kind: choice(TargetKind) = "at_least"
    target_min: int = Field(1, ge=1, le=999)
    target_max: int | None = Field(None, ge=1, le=999, description="“介于”时的上限")
    noun: str = Field("", max_length=12, description="计量，如 名代表、户、篇")
    evidence_kind: choice(EvidenceKind) = "other"
    description: str = ""
    order: int | None = Field(None, ge=1, le=999)


class ItemPatch(VersionIn):
    title: str | None = None
    target_kind: choice(TargetKind) | None = None
    target_min: int | None = Field(None, ge=1, le=999)
    target_max: int | None = Field(None, ge=1, le=999)
    noun: str | None = None
    evidence_kind: choice(EvidenceKind) | None = None
    description: str | None = None
    order: int | None = Field(None, ge=1, le=999)
    is_active: bool | None = None


class TemplateIn(Schema):
    unit: int = Field(description="所属组织 id")
    name: str
    description: str = ""
    items: list[ItemIn] = []


class PresetIn(Schema):
    unit: int = Field(description="使用预设清单的组织 id")


class TemplatePatch(VersionIn):
    name: str | None = None
    description: str | None = None
    is_active: bool | None = None


class HandOutIn(Schema):
    template: int
    year: int = Field(ge=2000, le=2100)
    body: str | None = Field("executive", description="下发给该组织某机构的全体在任成员，如 executive（执委会）")
    person_ids: list[int] | None = Field(None, description="只下发给这些人员（本组织在任成员）；给出时忽略 body")


class ItemProgressOut(Schema):
    item: ItemOut
    count: int
    state: str = Field(description="done / partly / not_started / over")
    state_name: str
    label: str = Field(description="如 3/5–7")


class AssignmentOut(Schema):
    id: int
    person: DutyRef
    unit: UnitRef
    template: DutyRef
    year: int
    status: str
    items_done: int
    items_total: int
    evidence_count: int
    last_evidence_on: date | None
    schedule: str = Field(description="complete / on_track / behind（按今天计算）")
    schedule_name: str
    version: int

    @staticmethod
    def resolve_schedule(obj) -> str:
        return getattr(obj, "state", "")

    @staticmethod
    def resolve_schedule_name(obj) -> str:
        return getattr(obj, "state_name", "")


class AssignmentDetailOut(AssignmentOut):
    items: list[ItemProgressOut]


class HandOutOut(Schema):
    created: int
    skipped: int
    assignments: list[AssignmentOut]


class EvidenceIn(Schema):
    item: int
    what: str
    day: date = Field(default_factory=timezone.localdate, description="默认今天")
    with_whom: str = ""
    person: int | None = Field(None, description="关联人员 id")
    organisation: int | None = Field(None, description="关联组织 id")
    link_type: choice(Evidence.LinkType) = Field("", description="关联材料：report 调研报告、proposal 建议案……")
    link_id: int | None = Field(None, description="材料编号（如调研报告的 id）")
    link_text: str = ""


class EvidenceCorrectIn(VersionIn):
    what: str | None = None
    day: date | None = None
    with_whom: str | None = None
    link_type: choice(Evidence.LinkType) | None = None
    link_id: int | None = None
    link_text: str | None = None


class WithdrawIn(VersionIn):
    reason: str = ""


class EvidenceOut(Schema):
    id: int
    assignment_id: int
    item_id: int
    kind: str
    what: str
    day: date
    with_whom: str
    has_file: bool
    person: DutyRef | None
    organisation: DutyRef | None
    link_type: str
    link_id: int | None
    link_text: str
    status: str
    supersedes_id: int | None
    on_behalf: bool
    version: int

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.attachment)


class RemindIn(Schema):
    unit: int | None = Field(None, description="只提醒此组织及其下级；不传则全部管辖范围")
    year: int = Field(default_factory=lambda: periods.today().year, ge=2000, le=2100)


class ReminderOut(Schema):
    id: int
    assignment_id: int
    person: str
    day: date
    message: str
    items_done: int

    @staticmethod
    def resolve_person(obj) -> str:
        return obj.assignment.person.name


class ReviewIn(Schema):
    rating: choice(Review.Rating)
    comment: str = ""
    reviewed_on: date | None = None
    version: int = Field(description="已有评议的版本号（读取时的）；还没有评议时为 0；他人已修改则返回 409")


class ReviewOut(Schema):
    id: int
    assignment_id: int
    person: str
    year: int
    rating: str
    rating_name: str
    comment: str
    reviewed_on: date
    version: int

    @staticmethod
    def resolve_person(obj) -> str:
        return obj.assignment.person.name

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.assignment.year

    @staticmethod
    def resolve_rating_name(obj) -> str:
        return obj.get_rating_display()


class AssignmentFilters(Schema):
    unit: int | None = Field(None, description="只列此组织及其下级下发的清单")
    year: int | None = Field(None, ge=2000, le=2100)
    state: Literal["complete", "on_track", "behind"] | None = Field(None, description="按今天计算的进度")
    q: str = Field("", description="姓名包含")


class ProgressCountsOut(Schema):
    total: int = Field(description="有效清单数（人）")
    complete: int = Field(description="全部完成")
    on_track: int = Field(description="进度正常")
    behind: int = Field(description="进度落后")


class ItemCompletionOut(Schema):
    key: str = Field(description="事项键：序号 + 事项名（下级同名事项合并）")
    title: str
    done: int
    partly: int
    not_started: int


class EvidenceKindOut(Schema):
    kind: str
    name: str
    n: int = Field(description="当年有效佐证条数")


class ProgressOut(Schema):
    year: int
    counts: ProgressCountsOut
    completion: list[ItemCompletionOut]
    evidence: list[EvidenceKindOut]
    threshold_pct: int = Field(description="今天应至少完成的事项百分比，低于即为落后")
    source: str = Field(description="summary：市级及以上读汇总表（一次查询）；rows：县级及以下读清单记录")
