"""The request and response schemas of the contacts API (api/__init__.py is the router)."""

from datetime import date
from typing import Literal

from ninja import Field, Schema

from niangjia.core.api_schemas import UnitRef, VersionIn, choice

from ..models import Channel, Kind, Slot


class ContactPersonRef(Schema):
    id: int
    name: str


class SiteRef(Schema):
    id: int
    name: str


class CheckOut(Schema):
    complete: bool
    missing: list[str] = Field(description="缺什么，如“缺：一个机关企事业单位妇委会”“还需 3 名普通妇女”")
    have: int
    need: int
    text: str


class TargetStatusOut(Schema):
    """What a leader over the plan sees: the slot and the contact status, never who the woman is."""

    id: int
    slot: str
    slot_name: str
    label: str = Field(description="妇联或组织的名称；人员不显示姓名")
    last_contact_on: date | None
    days_silent: int
    overdue: bool
    version: int


class TargetOut(TargetStatusOut):
    """What the plan's own person sees: the woman named, tagged, her phone and address masked."""

    link_type: str
    link_id: int
    tags: list[str]
    phone: str = Field(description="掩码后的电话")
    address: str = Field(description="掩码后的地址")
    note: str


class PlanOut(Schema):
    id: int
    person: ContactPersonRef
    unit: UnitRef
    year: int
    kind: str
    kind_name: str
    started_on: date
    contact_point: SiteRef | None
    wechat_group: str
    version: int
    check: CheckOut
    overdue: int = Field(description="久未联系的对象数")
    not_heard_days: int = Field(description="超过多少天未联系即提醒")
    own: bool = Field(description="是否本人的计划（只有本人可见联系对象的姓名与掩码信息）")
    targets: list[TargetOut | TargetStatusOut] = Field(description="本人计划含姓名、标签与掩码信息；他人计划只含类别与状态")


class PlanRowOut(Schema):
    id: int
    person: ContactPersonRef
    unit: UnitRef
    year: int
    kind: str
    kind_name: str
    targets: int
    complete: bool
    missing: list[str]
    overdue: int


class PlanIn(Schema):
    person: int = Field(description="计划所属人员 id（本人制定时填自己的人员 id）")
    unit: int = Field(description="制定计划的妇联组织 id")
    year: int
    kind: choice(Kind)
    started_on: date | None = Field(None, description="默认为当年 1 月 1 日")
    contact_point: int | None = Field(None, description="基层联系点（阵地）id")
    wechat_group: str = Field("", description="“好姐妹”微信群名称")


class PlanPatch(VersionIn):
    contact_point: int | None = None
    wechat_group: str | None = None
    started_on: date | None = None


class TargetIn(Schema):
    slot: choice(Slot)
    federation: int | None = None
    organisation: int | None = None
    person: int | None = None
    note: str = ""


class EventIn(Schema):
    day: date = Field(default_factory=date.today, description="联系日期，默认今天")
    channel: choice(Channel)
    note: str = ""


class ContactEventOut(Schema):
    id: int
    target_id: int
    day: date
    channel: str
    channel_name: str
    note: str
    recorded_by: str

    @staticmethod
    def resolve_channel_name(obj) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        return obj.recorded_by.display_name if obj.recorded_by else ""


class ContactRevealIn(Schema):
    field: Literal["phone", "address"]


class ContactRevealOut(Schema):
    field: str
    value: str


class OverviewParams(Schema):
    year: int | None = Field(None, description="年度，默认今年")
    kind: choice(Kind) | None = None
    gaps: bool = Field(False, description="只看有缺项的计划")
    overdue: bool = Field(False, description="只看有久未联系对象的计划")
    q: str = Field("", description="按人员姓名筛选")


class OverviewTotalsOut(Schema):
    plans: int
    complete: int
    with_gaps: int
    overdue: int
    with_overdue: int


class OverviewOut(Schema):
    unit: UnitRef
    not_heard_days: int
    totals: OverviewTotalsOut
    items: list[PlanRowOut]
    next_cursor: str | None
