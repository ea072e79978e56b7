"""JSON endpoints for WeChat accounts and their received messages (thin: scoped query, service, render).

Secrets (Token, EncodingAESKey) are write-only: accepted on create/update, never returned.
"""


from ninja import Query, Router, Status

from niangjia.core.api_schemas import (
    PageParams,
    changes_of,
    page_of,
    page_out,
    responses,
)
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import queries, services
from .schemas import (
    AccountIn,
    AccountOut,
    AccountPatch,
    MessageFilter,
    MessageOut,
)

router = Router(tags=["微信公众号接入"])


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
