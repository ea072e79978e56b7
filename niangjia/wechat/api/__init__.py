"""JSON endpoints for WeChat accounts and their received messages (thin: scoped query, service, render).

Secrets (Token, EncodingAESKey) are write-only: accepted on create/update, never returned.
"""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status

from niangjia.core.api_schemas import (
    PageParams,
    UnitRef,
    VersionIn,
    changes_of,
    choice,
    page_of,
    page_out,
    responses,
)
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import queries, services
from ..models import WeChatAccount, WeChatMessage

router = Router(tags=["微信公众号接入"])


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


@router.get("/wechat/accounts", response=responses(page_of(AccountOut)), summary="公众号列表")
def account_list(request, params: Query[PageParams]):
    require(request.auth, services.PERM)
    return page_out(queries.accounts_for(request.auth), order=("id",), params=params)


@router.post("/wechat/accounts", response=responses(AccountOut, status=201, write=True), summary="接入公众号")
def account_create(request, payload: AccountIn):
    require(request.auth, services.PERM)
    unit = org_queries.get_federation_for(request.auth, payload.unit)
    data = payload.model_dump(exclude={"unit"})
    return Status(201, services.account_create(actor=request.auth, unit=unit, **data))


@router.get("/wechat/accounts/{account_id}", response=responses(AccountOut), summary="公众号详情")
def account_detail(request, account_id: int):
    return queries.get_account_for(request.auth, account_id)


@router.patch("/wechat/accounts/{account_id}", response=responses(AccountOut, write=True), summary="修改公众号设置")
def account_update(request, account_id: int, payload: AccountPatch):
    account = queries.get_account_for(request.auth, account_id)
    return services.account_update(actor=request.auth, account=account, version=payload.version,
                                   **changes_of(payload))


@router.get("/wechat/accounts/{account_id}/messages", response=responses(page_of(MessageOut)),
            summary="公众号收到的消息（发送者已掩码）及登记结果")
def message_list(request, account_id: int, params: Query[MessageFilter]):
    account = queries.get_account_for(request.auth, account_id)
    return page_out(queries.messages_of(account, outcome=params.outcome or ""), order=("-day", "-id"), params=params)
