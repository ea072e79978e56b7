"""The request and response schemas of the people API (api/__init__.py is the router)."""

from datetime import date
from typing import Literal

from ninja import Field, Schema

from niangjia.core.api_schemas import UnitRef, VersionIn, choice

from ..models import TAGS, Person, Post

SensitiveField = Literal["phone", "id_number", "address", "birth_date"]


TagCode = Literal[tuple(TAGS)]  # type: ignore[valid-type]


class PersonRef(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_year: int | None = Field(description="出生年份（完整出生日期加密保存，需查看明文）")
    unit: UnitRef
    phone: str = Field(description="掩码后的电话")
    id_number: str = Field(description="掩码后的身份证号")
    address: str = Field(description="掩码后的地址")
    workplace: str
    tags: list[str]
    tag_names: list[str]
    grassroots_frontline: bool
    origin: str
    is_active: bool
    merged_into_id: int | None
    version: int

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_mask

    @staticmethod
    def resolve_id_number(obj) -> str:
        return obj.id_number_mask

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.address_mask


class PostOut(Schema):
    id: int
    person: PersonRef
    unit: UnitRef
    body: str
    body_name: str
    title: str
    tenure: str
    tenure_name: str
    start_date: date | None
    end_date: date | None
    is_active: bool
    version: int

    @staticmethod
    def resolve_body_name(obj) -> str:
        return obj.get_body_display()

    @staticmethod
    def resolve_tenure_name(obj) -> str:
        return obj.get_tenure_display()


class PersonDetailOut(PersonOut):
    posts: list[PostOut] = Field(description="管辖范围内的职务")
    possible_duplicates: list[PersonOut] = Field(description="身份证号或电话相同的其他人员")

    @staticmethod
    def resolve_posts(obj) -> list:
        return obj.visible_posts

    @staticmethod
    def resolve_possible_duplicates(obj) -> list:
        return obj.duplicates


class PersonIn(Schema):
    unit: int = Field(description="所属组织 id")
    name: str
    gender: choice(Person.Gender) = Field(None, description="不填时按身份证号推断，默认女")
    birth_date: date | None = None
    phone: str = Field("", description="手机或固定电话")
    id_number: str = Field("", description="身份证号（GB 11643，含港澳台居民居住证）")
    address: str = ""
    workplace: str = ""
    tags: list[TagCode] = []
    grassroots_frontline: bool = False
    origin: choice(Person.Origin) = ""


class PersonPatch(VersionIn):
    name: str | None = None
    gender: choice(Person.Gender) | None = None
    birth_date: date | None = None
    phone: str | None = Field(None, description="新的电话；空串表示清除")
    id_number: str | None = Field(None, description="新的身份证号；空串表示清除")
    address: str | None = Field(None, description="新的地址；空串表示清除")
    workplace: str | None = None
    tags: list[TagCode] | None = None
    grassroots_frontline: bool | None = None
    origin: choice(Person.Origin) | None = None


class PersonFilters(Schema):
    q: str = Field("", description="姓名、拼音（全拼/首字母）；完整电话或完整身份证号只在 POST /persons/search 中")
    unit: int | None = Field(None, description="只列此组织及其下级的人员")
    tag: TagCode | None = None
    body: choice(Post.Body) | None = Field(None, description="只列在此机构任职的人员")
    active: bool | None = Field(None, description="是否有效；不传则全部")


class PersonSearchIn(PersonFilters):
    """The person list's filters in a POST body, so a phone or ID number searched for never sits in a URL."""


class RevealIn(Schema):
    field: SensitiveField


class RevealOut(Schema):
    field: str
    value: str


class MergeIn(Schema):
    keep: int = Field(description="保留的人员 id")
    drop: int = Field(description="并入后停用的人员 id")


class DuplicateGroupOut(Schema):
    reason: str
    persons: list[PersonOut]


class PostIn(Schema):
    person: int
    unit: int = Field(description="任职的妇联组织 id")
    body: choice(Post.Body)
    title: str
    tenure: choice(Post.Tenure) = Post.Tenure.PART_TIME.value
    start_date: date | None = None
    end_date: date | None = None


class PostPatch(VersionIn):
    body: choice(Post.Body) | None = None
    title: str | None = None
    tenure: choice(Post.Tenure) | None = None
    start_date: date | None = None
    end_date: date | None = None


class PostEndIn(VersionIn):
    end_date: date


class PostFilters(Schema):
    unit: int | None = Field(None, description="任职的妇联组织 id")
    body: choice(Post.Body) | None = None
    person: int | None = None
    active: bool | None = Field(None, description="是否在任；不传则全部")


class RuleOut(Schema):
    code: str
    name: str
    part: int
    whole: int
    share_pct: float | None
    threshold_pct: int
    comparison: str = Field(description=">= 为下限，<= 为上限")
    met: bool | None = Field(description="是否达标；机构无成员时为空")
    text: str


class BodyCountOut(Schema):
    body: str
    body_name: str
    members: int
    grassroots: int
    full_time: int
    seconded: int
    part_time: int


class StaffingOut(Schema):
    quota: int
    actual: int
    full_time: int
    seconded: int
    volunteers: int
    within_quota: bool | None
    vacancies: int
    two_plus_one: bool = Field(description="“2+1”：专职、挂职、机关志愿者齐备")


class CompositionOut(Schema):
    unit: UnitRef
    rules: list[RuleOut]
    bodies: list[BodyCountOut]
    staffing: StaffingOut
    policy: dict[str, int]
