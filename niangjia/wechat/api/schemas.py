"""The request and response schemas of the wechat API (api/__init__.py is the router)."""

from datetime import date, datetime

from ninja import Field, Schema

from niangjia.core.api_schemas import PageParams, UnitRef, VersionIn, choice

from ..models import WeChatAccount, WeChatMessage


class AccountOut(Schema):
    id: int
    unit: UnitRef
    name: str
    slug: str
    app_id: str
    mode: str
    welcome: str
    rate_per_minute: int
    active: bool
    has_aes_key: bool = Field(description="是否已设置 EncodingAESKey（密钥本身从不返回）")
    callback_path: str = Field(description="填入公众号后台“服务器地址(URL)”的路径")
    version: int

    @staticmethod
    def resolve_has_aes_key(obj) -> bool:
        return bool(obj.aes_key_enc)

    @staticmethod
    def resolve_callback_path(obj) -> str:
        return f"/p/wechat/{obj.slug}/"


class AccountIn(Schema):
    unit: int = Field(description="所属妇联 id")
    name: str
    slug: str = Field(description="回调地址标识：小写字母、数字和连字符")
    app_id: str
    token: str = Field(description="与公众号后台一致的 Token（3–32 位字母数字）")
    encoding_aes_key: str = Field("", description="43 位 EncodingAESKey；安全模式必填")
    mode: choice(WeChatAccount.Mode) = WeChatAccount.Mode.SAFE
    welcome: str = ""
    rate_per_minute: int = Field(600, ge=1, le=100_000)
    active: bool = True


class AccountPatch(VersionIn):
    name: str | None = None
    slug: str | None = None
    app_id: str | None = None
    token: str | None = Field(None, description="留空不修改")
    encoding_aes_key: str | None = Field(None, description="留空不修改")
    mode: choice(WeChatAccount.Mode) | None = None
    welcome: str | None = None
    rate_per_minute: int | None = Field(None, ge=1, le=100_000)
    active: bool | None = None


class MessageOut(Schema):
    id: int
    day: date
    sent_at: datetime
    sender: str = Field(description="发送者 OpenID 的掩码")
    outcome: str
    outcome_name: str
    record_type: str = Field(description="登记成的记录类型，如 needs.Need")
    record_id: int
    tracking_code: str

    @staticmethod
    def resolve_sender(obj) -> str:
        return obj.sender_mask

    @staticmethod
    def resolve_outcome_name(obj) -> str:
        return obj.get_outcome_display()


class MessageFilter(PageParams):
    outcome: choice(WeChatMessage.Outcome) | None = None
