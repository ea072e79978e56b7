"""The suggestion box: letters, replies, and the letter passed on as a need."""

from datetime import date, datetime
from typing import Literal

from ninja import Field

from niangjia.core.api_schemas import UnitRef, VersionIn, choice
from niangjia.core.schema import Schema

from ...models import Channel, Suggestion


class SuggestionOut(Schema):
    id: int
    unit: UnitRef
    day: date
    text: str
    channel: str
    anonymous: bool
    contact_name: str
    contact_phone: str = Field(description="掩码后的电话")
    tracking_code: str
    status: str
    reply: str
    replied_at: datetime | None
    is_public: bool
    need_id: int | None
    version: int

    @staticmethod
    def resolve_contact_phone(obj) -> str:
        return obj.contact_phone_mask


class SuggestionIn(Schema):
    federation: int = Field(description="接收意见的妇联 id")
    text: str
    key: str = Field(description="提交标识（重试不会产生第二条）")
    channel: Literal["website", "wechat"] = "website"
    anonymous: bool = True
    contact_name: str = ""
    contact_phone: str = ""


class SuggestionCreatedOut(Schema):
    id: int
    tracking_code: str
    created: bool


class PublicSuggestionOut(Schema):
    """What the submitter sees with her code: her letter and the reply, never contact details."""

    unit_name: str
    day: date
    text: str
    status: str
    reply: str
    replied_at: datetime | None


class ReplyIn(Schema):
    reply: str
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")
    is_public: bool | None = None


class PublicIn(VersionIn):
    is_public: bool


class SuggestionFilters(Schema):
    unit: int | None = None
    status: choice(Suggestion.Status) | None = None
    channel: choice(Channel) | None = None
    q: str = ""
