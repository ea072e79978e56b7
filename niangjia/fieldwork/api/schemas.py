"""The request and response schemas of the fieldwork API (api/__init__.py is the router)."""

import datetime
from datetime import date
from typing import Literal

from ninja import Field, Schema

from niangjia.core.api_schemas import UnitRef, VersionIn, choice
from niangjia.needs.models import Need

from .. import rules
from ..models import BODY_CHOICES, FieldStay, Proposal

PresetKey = Literal[tuple(rules.PRESETS)]  # type: ignore[valid-type]


BodyCode = Literal[tuple(b for b, _ in BODY_CHOICES)]  # type: ignore[valid-type]


class FieldPersonRef(Schema):
    id: int
    name: str


class FieldRuleOut(Schema):
    id: int
    version: int
    preset: str
    name: str
    kind: str
    params: dict
    count_trip: bool
    count_inspection: bool
    count_home_visit: bool
    count_holiday: bool
    unit: UnitRef


class AdoptionOut(Schema):
    id: int
    unit: UnitRef
    rule: FieldRuleOut
    body: str
    title_contains: str
    levels: list[int]
    is_active: bool
    version: int


class AdoptionIn(Schema):
    unit: int = Field(description="采用规则的妇联组织 id")
    preset: PresetKey = Field(description="预设规则")
    body: BodyCode | None = Field(None, description="适用机构；为空按预设")
    title_contains: str = ""
    levels: list[int] | None = Field(None, description="适用层级 1–6；为空按预设")
    overrides: dict = Field(default_factory=dict, description="覆盖预设参数，如 {\"min_days\": 45, \"count_trip\": true}")


class StayOut(Schema):
    id: int
    person: FieldPersonRef
    place: UnitRef
    start: date
    end: date
    days: int
    kind: str
    setting: str
    status: str
    paired_with: FieldPersonRef | None
    note: str
    version: int


class StayIn(Schema):
    person: int | None = Field(None, description="人员 id；为空表示本人（为他人记录需要“设定下基层规则”权限）")
    place: int = Field(description="蹲点地点（妇联组织 id）")
    start: date
    end: date
    kind: choice(FieldStay.Kind) = "stay"
    setting: choice(FieldStay.Setting) | None = Field(None, description="城乡；为空按地点名称判断")
    paired_with: int | None = Field(None, description="结对妇女（人员 id）")
    note: str = ""
    planned: bool = Field(False, description="true 为计划（可在未来），false 为已完成")


class StayPatch(VersionIn):
    place: int | None = None
    start: date | None = None
    end: date | None = None
    kind: choice(FieldStay.Kind) | None = None
    setting: choice(FieldStay.Setting) | None = None
    note: str | None = None
    status: choice(FieldStay.Status) | None = None
    paired_with: int | None = Field(None, ge=0, description="结对妇女（人员 id）；传 0 取消结对")


class StayFilters(Schema):
    unit: int | None = Field(None, description="只列此组织及下级人员的蹲点")
    mine: bool = Field(False, description="只列本人的")
    start: date | None = None
    end: date | None = None
    kind: choice(FieldStay.Kind) | None = None
    status: choice(FieldStay.Status) | None = None


class FieldNeedIn(Schema):
    category: choice(Need.Category)
    urgency: choice(Need.Urgency) = "normal"
    description: str


class FieldNeedOut(Schema):
    id: int
    category: str
    urgency: str
    description: str
    channel: str
    status: str
    unit: UnitRef


class DiaryIn(Schema):
    place: int
    date: date
    title: str
    text: str
    women_met: int = Field(0, ge=0)
    needs: list[FieldNeedIn] = Field(default_factory=list, description="听到的需求，写入需求台账")


class DiaryOut(Schema):
    id: int
    person: FieldPersonRef
    place: UnitRef
    date: date
    title: str
    text: str
    women_met: int
    version: int


class DiaryDetailOut(DiaryOut):
    needs: list[FieldNeedOut]


class ReportIn(Schema):
    date: date
    title: str
    topic: str
    summary: str = ""
    record_duty: bool = Field(False, description="同时记入本人当年履职清单的“调研报告”事项（有此事项时）")


class ReportOut(Schema):
    id: int
    person: FieldPersonRef
    date: date
    title: str
    topic: str
    summary: str
    has_file: bool
    duty_evidence_id: int | None = Field(None, description="同时记入的履职佐证 id（仅提交时）")
    file_url: str = Field("", description="附件下载地址（有附件时）；上传附件用 POST /fieldwork/reports/{id}/file（multipart）")
    version: int

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_duty_evidence_id(obj) -> int | None:
        ev = getattr(obj, "duty_evidence", None)
        return ev.pk if ev is not None else None

    @staticmethod
    def resolve_file_url(obj) -> str:
        return f"/fieldwork/reports/{obj.pk}/file/" if obj.file else ""


class ProposalIn(Schema):
    date: date
    title: str
    text: str
    addressed_to: str
    record_duty: bool = Field(False, description="同时记入本人当年履职清单的“建议案”事项（有此事项时）")


class ProposalOut(Schema):
    id: int
    person: FieldPersonRef
    date: date
    title: str
    text: str
    addressed_to: str
    status: str
    version: int
    duty_evidence_id: int | None = Field(None, description="同时记入的履职佐证 id（仅提交时）")

    @staticmethod
    def resolve_duty_evidence_id(obj) -> int | None:
        ev = getattr(obj, "duty_evidence", None)
        return ev.pk if ev is not None else None


class ProposalStatusIn(VersionIn):
    status: choice(Proposal.Status)


class ChipOut(Schema):
    label: str
    status: str
    figure: str
    text: str


class StandingOut(Schema):
    rule: str
    kind: str
    period: str
    headline: str
    status: str
    status_name: str
    done: int
    target: int
    note: str
    chips: list[ChipOut]


class UnitStandingOut(Schema):
    person: FieldPersonRef
    unit: UnitRef
    rule_id: int
    standing: StandingOut


class UnitStandingPage(Schema):
    items: list[UnitStandingOut]
    next_cursor: str | None


class ListParams(Schema):
    unit: int | None = Field(None, description="只列此组织及下级人员的")
    mine: bool = Field(False, description="只列本人的")
    person_q: str = Field("", max_length=50, description="人员姓名包含")
    start: date | None = Field(None, description="日期不早于")
    end: date | None = Field(None, description="日期不晚于")

    def args(self, unit, person) -> dict:
        return {"unit": unit, "person": person, "person_q": self.person_q, "start": self.start, "end": self.end}


class ProposalFilters(ListParams):
    status: choice(Proposal.Status) | None = None


class RulePatch(VersionIn):
    name: str | None = None
    params: dict[str, int] | None = Field(None, description="只改给出的参数，如 {\"min_days\": 50}；只能是该规则已有的参数")
    count_trip: bool | None = None
    count_inspection: bool | None = None
    count_home_visit: bool | None = None
    count_holiday: bool | None = None


class DiaryPatch(VersionIn):
    place: int | None = None
    date: datetime.date | None = None
    title: str | None = None
    text: str | None = None
    women_met: int | None = Field(None, ge=0)


class DiaryNeedsIn(Schema):
    needs: list[FieldNeedIn] = Field(description="补充登记的需求，写入需求台账（渠道：下基层走访）")


class ReportPatch(VersionIn):
    date: datetime.date | None = None
    title: str | None = None
    topic: str | None = None
    summary: str | None = None


class ProposalPatch(VersionIn):
    date: datetime.date | None = None
    title: str | None = None
    text: str | None = None
    addressed_to: str | None = None


class WorkCountOut(Schema):
    n: int = Field(description="记录数（蹲点次数、日记篇数等）")
    t: int = Field(description="合计：下基层天数或日记接触妇女人次；报告、建议案为 0")


class WorkCountsOut(Schema):
    year: int
    field_days: WorkCountOut
    diary: WorkCountOut
    research_report: WorkCountOut
    proposal: WorkCountOut
