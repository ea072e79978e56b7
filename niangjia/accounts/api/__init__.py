"""Auth endpoints (token), user administration, roles and the audit log (thin: query, service, render)."""


from ninja import Query, Router, Status

from niangjia.core.api_schemas import (
    ErrorOut,
    OkOut,
    PageParams,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.roles import PERMISSIONS, ROLES, require
from niangjia.org import queries as org_queries
from niangjia.people import queries as people_queries

from .. import queries, services
from ..views import audit_export_response
from .public import router as public_router
from .schemas import (
    AuditExportPeriod,
    AuditFilters,
    AuditOut,
    PasswordIn,
    RoleOut,
    UserAccessPatch,
    UserFilters,
    UserIn,
    UserOut,
)

auth_router = Router(tags=["登录与令牌"])
router = Router(tags=["用户、角色与审计"])


# ---------------------------------------------------------------- auth


@auth_router.post("/logout", response={200: OkOut, 401: ErrorOut}, summary="吊销当前令牌")
def revoke_token(request):
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        services.token_revoke(actor=request.user, raw=header[7:].strip())
    return {"ok": True}


# ---------------------------------------------------------------- users


def _units(actor, ids: list[int] | None):
    if ids is None:
        return None
    return [org_queries.get_federation_for(actor, pk) for pk in dict.fromkeys(ids)]


@router.get("/users", response=responses(page_of(UserOut)), summary="用户列表（仅用户管理员）")
def user_list(request, filters: Query[UserFilters], page: Query[PageParams]):
    qs = queries.users_for(request.user, q=filters.q, role=filters.role or "", active=filters.active)
    return page_out(qs, order=("id",), params=page)


@router.get("/users/{int:id}", response=responses(UserOut), summary="用户详情")
def user_detail(request, id: int):
    return queries.get_user_for(request.user, id)


@router.post("/users", response=responses(UserOut, status=201, write=True), summary="新建用户（角色与范围不能超出自己的）")
def user_create(request, payload: UserIn):
    require(request.user, "users.manage")
    person = people_queries.get_person_for(request.user, payload.person) if payload.person else None
    user = services.user_create(actor=request.user, username=payload.username, password=payload.password,
                                roles=list(payload.roles), units=_units(request.user, payload.units), person=person,
                                first_name=payload.first_name)
    return Status(201, user)


@router.patch("/users/{int:id}", response=responses(UserOut, write=True), summary="修改用户的角色和管辖范围（需带版本号）")
def user_update_access(request, id: int, payload: UserAccessPatch):
    user = queries.get_user_for(request.user, id)
    roles = list(payload.roles) if payload.roles is not None else None
    return services.user_update_access(actor=request.user, user=user, version=payload.version, roles=roles,
                                       units=_units(request.user, payload.units))


@router.post("/users/{int:id}/disable", response=responses(UserOut, write=True), summary="停用用户（其会话和令牌立即失效）")
def user_disable(request, id: int):
    user = queries.get_user_for(request.user, id)
    return services.user_set_active(actor=request.user, user=user, active=False)


@router.post("/users/{int:id}/enable", response=responses(UserOut, write=True), summary="启用用户")
def user_enable(request, id: int):
    user = queries.get_user_for(request.user, id)
    return services.user_set_active(actor=request.user, user=user, active=True)


@router.post("/users/{int:id}/unlock", response=responses(UserOut, write=True), summary="解除登录锁定")
def user_unlock(request, id: int):
    user = queries.get_user_for(request.user, id)
    return services.user_unlock(actor=request.user, user=user)


@router.post("/users/{int:id}/password", response=responses(OkOut, write=True), summary="重设用户密码（其令牌随之失效）")
def user_set_password(request, id: int, payload: PasswordIn):
    user = queries.get_user_for(request.user, id)
    services.user_set_password(actor=request.user, user=user, password=payload.password)
    return {"ok": True}


@router.get("/roles", response=responses(page_of(RoleOut)), summary="角色及其权限")
def role_list(request):
    require(request.user, "users.manage")
    return whole_list([
        {"code": code, "name": str(name), "permissions": [{"code": p, "name": str(PERMISSIONS[p])} for p in sorted(perms)]}
        for code, (name, perms) in ROLES.items()
    ])


# ---------------------------------------------------------------- audit


@router.get("/audit/export", summary="审计日志按日期导出 CSV（流式，无行数上限）")
def audit_export(request, period: Query[AuditExportPeriod]):
    """Same rows and rules as /audit/export.csv on the web: audit.view and export, scoped to the caller's reach."""
    return audit_export_response(request)


@router.get("/audit", response=responses(page_of(AuditOut)), summary="审计日志（按操作、操作人、对象筛选，新的在前）")
def audit_list(request, filters: Query[AuditFilters], page: Query[PageParams]):
    qs = queries.audit_for(request.user, action=filters.action, actor_id=filters.actor,
                           target_type=filters.target_type, target_id=filters.target_id)
    return page_out(qs, order=("-at", "-id"), params=page)


auth_router.add_router("", public_router)  # the no-login endpoints (api/public.py)
