"""Request and response schemas of the needs ledger, catalogue, providers and service orders API."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from niangjia.core import periods
from niangjia.core.api_schemas import UnitRef, VersionIn, choice

from .. import rules
from ..models import Category, Need, ServiceOrder


class NeedRef(Schema):
    id: int
    name: str


class NeedOut(Schema):
    id: int
    unit: UnitRef
    day: date
    registered_at: datetime
    category: str
    urgency: str
    channel: str
    description: str
    status: str
    status_name: str
    tracking_code: str | None
    person_id: int | None
    contact_name_mask: str = Field(description="联系人（脱敏）")
    contact_phone_mask: str = Field(description="联系电话（脱敏）")
    requested_service_id: int | None
    assignee: NeedRef | None
    deadline: datetime | None
    overdue: bool = Field(description="未办结且已超过办理期限")
    escalated_to: UnitRef | None
    escalated_at: datetime | None
    version: int

    @staticmethod
    def resolve_status_name(obj) -> str:
        return rules.STATUS_NAMES[obj.status]

    @staticmethod
    def resolve_assignee(obj):
        return {"id": obj.assignee.pk, "name": obj.assignee.display_name} if obj.assignee_id else None

    @staticmethod
    def resolve_overdue(obj) -> bool:

        return rules.is_overdue(obj.status, obj.deadline, periods.now())


class NeedDetailOut(NeedOut):
    assigned_at: datetime | None
    started_at: datetime | None
    resolved_at: datetime | None
    resolution: str
    referred_at: datetime | None
    referral_target: str
    closed_at: datetime | None
    close_reason: str
    rating: int | None
    rating_comment: str
    rated_at: datetime | None
    source_type: str
    source_id: int | None
    allowed_steps: list[str] = Field(description="当前状态下可以执行的办理步骤")

    @staticmethod
    def resolve_allowed_steps(obj) -> list[str]:
        return [s.name for s in rules.steps_from(obj.status)]


class NeedIn(Schema):
    unit: int = Field(description="需求所在组织 id")
    category: choice(Category)
    urgency: choice(Need.Urgency) = "normal"
    channel: choice(Need.Channel)
    description: str = Field(max_length=500)
    day: date | None = Field(None, description="听取日期，默认今天")
    person: int | None = Field(None, description="提出人（人员 id）；不填为匿名")
    contact_name: str = Field("", max_length=20)
    contact_phone: str = ""
    requested_service: int | None = None


class NeedPatch(VersionIn):
    unit: int | None = Field(None, description="需求所在组织 id")
    category: choice(Category) | None = None
    urgency: choice(Need.Urgency) | None = None
    description: str | None = Field(None, max_length=500)
    person: int | None = Field(None, description="提出人（人员 id）；传 null 改为匿名")


class NeedFilters(Schema):
    unit: int | None = Field(None, description="只列此组织及其下级")
    status: choice(Need.Status) | None = None
    category: choice(Category) | None = None
    channel: choice(Need.Channel) | None = None
    urgency: choice(Need.Urgency) | None = None
    overdue: bool = Field(False, description="只列超期未办结的")
    escalated: bool = Field(False, description="只列已超期上报的")
    escalated_to_me: bool = Field(False, description="只列下级超期上报到本会（我所属的组织）的")
    mine: bool = Field(False, description="只列指派给我的")
    q: str = Field("", description="需求内容包含，或查询码")
    sort: Literal["new", "old", "deadline", "day"] = Field("new", description="排序：最近登记、最早登记、期限最近、听取日期")


class NeedAssignIn(VersionIn):
    assignee: int = Field(description="承办人（用户 id）")
    note: str = ""


class ResolveIn(VersionIn):
    resolution: str = Field(description="办理结果（必填）")


class ReferIn(VersionIn):
    target: str = Field(description="转介去向：单位或说明（必填）")


class CloseIn(VersionIn):
    reason: str = Field(description="关闭原因（必填）")


class RateIn(Schema):
    rating: int = Field(ge=1, le=5, description="1–5 分")
    comment: str = Field("", max_length=300)


class ContactOut(Schema):
    name: str
    phone: str


class ServiceOut(Schema):
    id: int
    unit: UnitRef
    name: str
    category: str
    description: str
    government_purchased: bool
    is_active: bool
    version: int


class ServiceIn(Schema):
    unit: int = Field(description="维护此服务的组织 id")
    name: str
    category: choice(Category)
    description: str = ""
    government_purchased: bool = False


class ServicePatch(VersionIn):
    name: str | None = None
    category: choice(Category) | None = None
    description: str | None = None
    government_purchased: bool | None = None
    is_active: bool | None = None


class ProviderOut(Schema):
    id: int
    unit: UnitRef
    organisation: NeedRef
    services: list[NeedRef]
    areas: list[UnitRef]
    note: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_services(obj) -> list:
        return [{"id": s.pk, "name": s.name} for s in obj.services.all()]

    @staticmethod
    def resolve_areas(obj) -> list:
        return [a.area for a in obj.areas.all()]

    @staticmethod
    def resolve_organisation(obj):
        return {"id": obj.organisation.pk, "name": obj.organisation.name}


class ProviderFilters(Schema):
    unit: int | None = None
    active: bool | None = True
    q: str = Field("", description="机构名称包含")
    category: choice(Category) | None = Field(None, description="提供此类别的服务")
    sort: Literal["name", "new", "old"] = Field("name", description="排序：机构名称、最近登记、最早登记")


class OrderFilters(Schema):
    unit: int | None = None
    status: choice(ServiceOrder.Status) | None = None
    provider: int | None = None
    category: choice(Category) | None = Field(None, description="服务类别")
    start: date | None = Field(None, description="派单日期从（含）")
    end: date | None = Field(None, description="派单日期到（含）")


class ProviderIn(Schema):
    organisation: int = Field(description="合作组织 id（org 的组织）")
    services: list[int] = Field(description="提供的服务 id")
    areas: list[int] = Field(description="服务区域：组织 id，覆盖其全部下级")
    note: str = ""


class ProviderPatch(VersionIn):
    services: list[int] | None = None
    areas: list[int] | None = None
    note: str | None = None
    is_active: bool | None = None


class OrderOut(Schema):
    id: int
    need_id: int
    unit: UnitRef
    service: NeedRef
    provider: NeedRef
    status: str
    status_name: str
    note: str
    day: date
    ordered_at: datetime
    accepted_at: datetime | None
    delivered_at: datetime | None
    outcome: str
    ended_at: datetime | None
    end_reason: str
    rating: int | None
    rating_comment: str
    rated_by_woman: bool
    version: int

    @staticmethod
    def resolve_status_name(obj) -> str:
        return rules.ORDER_STATUS_NAMES[obj.status]

    @staticmethod
    def resolve_provider(obj):
        return {"id": obj.provider.pk, "name": obj.provider.organisation.name}


class OrderIn(Schema):
    need: int
    service: int
    provider: int
    note: str = ""
    version: int = Field(description="需求的版本号（读取时的）；他人已修改则返回 409")


class OrderDeliverIn(VersionIn):
    outcome: str = Field(description="服务情况（必填）")


class OrderEndIn(VersionIn):
    reason: str = Field(description="原因（必填）")


class NeedCountRow(Schema):
    key: str
    label: str
    n: int


class ChannelCountRow(NeedCountRow):
    open: int = Field(description="其中未办结（已登记、已指派、办理中）")


class CategoryStatusRow(Schema):
    category: str
    status: str
    n: int


class OrderCountsOut(Schema):
    total: int
    by_status: list[NeedCountRow]
    by_category: list[NeedCountRow]


class NeedCountsOut(Schema):
    total: int
    open: int = Field(description="未办结（已登记、已指派、办理中）")
    overdue: int = Field(description="当前超期未办结（按办理期限实时计算）")
    escalated: int = Field(description="累计超期上报上一级妇联的需求")
    by_category: list[NeedCountRow]
    by_status: list[NeedCountRow]
    by_channel: list[ChannelCountRow]
    escalated_by_category: list[NeedCountRow]
    by_category_status: list[CategoryStatusRow]
    orders: OrderCountsOut = Field(description="服务订单按状态、服务类别")
    from_summaries: bool = Field(description="true：来自市级汇总表（市级及以上）；false：直接统计明细")


class VillageOut(Schema):
    id: int
    name: str
    township: str = Field(description="所属乡镇（街道）")
    county: str = Field(description="所属县（区）")

    @staticmethod
    def resolve_township(obj) -> str:
        return obj.parent.name if obj.parent_id else ""

    @staticmethod
    def resolve_county(obj) -> str:
        return obj.parent.parent.name if obj.parent_id and obj.parent.parent_id else ""


class VillagePage(Schema):
    items: list[VillageOut]
    next_cursor: str | None


class PublicServiceOut(Schema):
    id: int
    name: str
    category: str
    category_name: str
    description: str
    government_purchased: bool

    @staticmethod
    def resolve_category_name(obj) -> str:
        return obj.get_category_display()


class PublicNeedIn(Schema):
    village: int = Field(description="所在村（社区）的 id（GET /needs/public/villages 查找）")
    key: str = Field(min_length=8, max_length=64, description="幂等键：同一次提交重试时带同一个键，只登记一次")
    service: int | None = Field(None, description="预约的服务 id（该村可预约的服务）；给出时类别取服务的类别")
    category: choice(Category) | None = Field(None, description="需求类别（不预约服务时必填）")
    urgency: Literal["normal", "urgent"] = "normal"
    description: str = Field(max_length=500, description="需求内容")
    contact_name: str = Field("", max_length=20, description="称呼（选填，加密保存）")
    contact_phone: str = Field("", max_length=30, description="联系电话（选填，加密保存）")
    channel: Literal["website", "wechat"] = Field("website", description="来源：网站或微信")


class PublicNeedCreated(Schema):
    tracking_code: str = Field(description="查询码，凭此查询进度和评价")
    status: str
    status_name: str
    deadline: datetime | None
    created: bool = Field(description="true：首次登记；false：重复提交，返回首次的记录")


class PublicOrderOut(Schema):
    service: str
    status: str
    status_name: str
    ordered_at: datetime
    delivered_at: datetime | None
    rated: bool


class PublicTrackOut(Schema):
    tracking_code: str
    day: date
    category: str
    category_name: str
    requested_service: str | None
    status: str
    status_name: str
    deadline: datetime | None
    overdue: bool
    resolved_at: datetime | None
    orders: list[PublicOrderOut]
    rate_next: Literal["order", "need", ""] = Field(description="现在可以评价的：服务订单、需求本身，或不能评价")
    rating: int | None


class PublicRateIn(Schema):
    rating: int = Field(ge=1, le=5, description="1–5 分")
    comment: str = Field("", max_length=300)
    key: str = Field("", max_length=64, description="可选的幂等键：重试时带同一个键，返回首次的评价")


class PublicRatedOut(Schema):
    rated: Literal["order", "need"]
    rating: int
    created: bool
