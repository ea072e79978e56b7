"""The request and response schemas of the accounts API (api/__init__.py is the router)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from niangjia.core import periods
from niangjia.core.api_schemas import UnitRef
from niangjia.core.roles import PERMISSIONS, ROLES, permissions_of

RoleCode = Literal[tuple(ROLES)]  # type: ignore[valid-type]


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str
    username: str


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    roles: list[str]
    role_names: list[str]
    permissions: list[str]
    units: list[UnitRef] = Field(description="管辖范围（一个或多个子树的顶层组织）")
    person_id: int | None
    is_active: bool
    is_superuser: bool
    locked: bool = Field(description="是否因连续登录失败而锁定")
    last_login: datetime | None
    version: int

    @staticmethod
    def resolve_units(obj) -> list:
        return [s.unit for s in obj.scopes.all()]

    @staticmethod
    def resolve_permissions(obj) -> list[str]:
        return sorted(PERMISSIONS if obj.is_superuser else permissions_of(obj.roles))

    @staticmethod
    def resolve_locked(obj) -> bool:
        return bool(obj.locked_until and obj.locked_until > periods.now())


class UserIn(Schema):
    username: str
    password: str
    first_name: str = Field("", description="姓名")
    roles: list[RoleCode]
    units: list[int] = Field(description="管辖范围的组织 id，至少一个")
    person: int | None = Field(None, description="关联的人员 id")


class UserAccessPatch(Schema):
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")
    roles: list[RoleCode] | None = None
    units: list[int] | None = None


class PasswordIn(Schema):
    password: str


class UserFilters(Schema):
    q: str = Field("", description="用户名或姓名包含")
    role: RoleCode | None = None
    active: bool | None = None


class PermissionOut(Schema):
    code: str
    name: str


class RoleOut(Schema):
    code: str
    name: str
    permissions: list[PermissionOut]


class AuditOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    target_type: str
    target_id: str
    summary: str
    ip: str
    channel: str
    detail: dict


class AuditFilters(Schema):
    action: str = Field("", description="操作代码前缀，如 person. 或 person.reveal")
    actor: int | None = Field(None, description="操作人用户 id")
    target_type: str = Field("", description="对象类型，如 people.person")
    target_id: str = Field("", description="对象 id")


class AuditExportPeriod(Schema):
    start: date | None = Field(None, alias="from", description="第一天 YYYY-MM-DD")
    end: date | None = Field(None, alias="to", description="最后一天（含）")
