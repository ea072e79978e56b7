"""Activities: co-designers, registrations (staff and public), attendance and ratings."""

from datetime import date, time
from typing import Literal

from ninja import Field

from niangjia.core.api_schemas import UnitRef, VersionIn, choice
from niangjia.core.schema import Schema

from ... import queries
from ...models import Activity


class CoDesignerOut(Schema):
    id: int
    name: str
    person_id: int | None
    contribution: str


class ActivityOut(Schema):
    id: int
    unit: UnitRef
    title: str
    description: str
    place: str
    day: date
    start_time: time | None
    capacity: int
    status: str
    consultation_id: int | None
    design_notes: str
    version: int


class ParticipationFiguresOut(Schema):
    registered: int
    confirmed: int
    waiting: int
    cancelled: int
    attended: int
    absent: int
    rating_sum: int
    rating_count: int
    rating_mean: float | None = Field(description="平均评分 = 总分 ÷ 人数")


class ActivityDetailOut(ActivityOut):
    co_designers: list[CoDesignerOut]
    figures: ParticipationFiguresOut

    @staticmethod
    def resolve_co_designers(obj):
        return list(obj.co_designers.all())

    @staticmethod
    def resolve_figures(obj):
        f = queries.activity_figures(obj)
        return {**f.__dict__, "registered": f.registered, "rating_mean": f.mean}


class ActivityIn(Schema):
    unit: int
    title: str
    day: date
    capacity: int = Field(ge=1)
    description: str = ""
    place: str = ""
    start_time: time | None = None
    consultation: int | None = None
    design_notes: str = ""
    status: choice(Activity.Status) = "planned"


class ActivityPatch(VersionIn):
    title: str | None = None
    description: str | None = None
    place: str | None = None
    day: date | None = None
    start_time: time | None = None
    capacity: int | None = Field(None, ge=1)
    status: choice(Activity.Status) | None = None
    consultation: int | None = None
    design_notes: str | None = None


class CoDesignerIn(Schema):
    person: int | None = None
    name: str = ""
    contribution: str = ""


class RegistrationOut(Schema):
    id: int
    activity_id: int
    name: str
    phone: str = Field(description="掩码后的电话")
    status: str
    channel: str
    day: date
    version: int

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_mask


class RegistrationIn(Schema):
    name: str
    phone: str
    key: str = Field(description="提交标识（重试不会产生第二条）")


class StaffRegistrationIn(RegistrationIn):
    after_the_fact: bool = Field(False, description="活动开始后依签到表补录（只限工作人员，留痕）")


class PublicRegistrationIn(RegistrationIn):
    channel: Literal["website", "wechat"] = "website"


class PublicRegistrationOut(Schema):
    tracking_code: str
    activity_id: int
    activity_title: str
    day: date
    status: str
    rated: bool
    created: bool = True


class AttendanceIn(Schema):
    attended: bool


class RatingIn(Schema):
    score: int = Field(description="1–5")
    comment: str = ""
    key: str = Field("", description="提交标识：同一标识重试返回已保存的评价（也可放在 Idempotency-Key 请求头）")


class RatingOut(Schema):
    id: int
    activity_id: int
    score: int
    comment: str
    day: date


class CancelOut(Schema):
    status: str
    promoted: list[int] = Field(description="因此从候补递补为已报名的报名 id")


class ActivityFilters(Schema):
    unit: int | None = None
    status: choice(Activity.Status) | None = None
    q: str = ""
