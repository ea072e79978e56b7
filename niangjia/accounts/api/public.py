"""The no-login (public) endpoints of the accounts API, on their own router mounted into the main one."""

from ninja import Router

from niangjia.core.api_schemas import ErrorOut

from .. import services
from .schemas import TokenIn, TokenOut

router = Router()  # mounted into api/__init__.py's router, whose tags it takes


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut, 400: ErrorOut},
             summary="用户名和密码换取访问令牌")
def issue_token(request, payload: TokenIn):
    raw, token = services.token_issue(username=payload.username, password=payload.password)
    return {"token": raw, "expires_at": token.expires_at.isoformat(), "username": token.user.username}
