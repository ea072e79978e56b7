"""Auth endpoints (token) and user administration endpoints."""

from ninja import Router, Schema

from . import services

auth_router = Router(tags=["auth"])
router = Router(tags=["users"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str
    username: str


@auth_router.post("/token", auth=None, response=TokenOut, summary="用户名和密码换取访问令牌")
def issue_token(request, payload: TokenIn):
    raw, token = services.token_issue(username=payload.username, password=payload.password)
    return {"token": raw, "expires_at": token.expires_at.isoformat(), "username": token.user.username}


@auth_router.post("/logout", summary="吊销当前令牌")
def revoke_token(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        services.token_revoke(actor=request.user, raw=header[7:].strip())
    return {"ok": True}
