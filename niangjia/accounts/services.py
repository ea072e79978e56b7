"""User administration, tokens and logins. A user can never widen her own roles or scope."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from niangjia.core import audit
from niangjia.core.access import ensure_unit_in_reach, reach_of
from niangjia.core.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from niangjia.core.roles import ROLES, can_grant, require
from niangjia.core.scope import reach_q
from niangjia.core.validation import require_text
from niangjia.core.versioning import bump_version

from .backends import AccountLocked, authenticate_account
from .models import ApiToken, User, UserScope

MSG_SELF = "不能修改自己的角色、范围或状态"
MSG_ROLE_NOT_HELD = "不能授予超出自己权限的角色"
MSG_BAD_LOGIN = "用户名或密码错误"


class AccountLockedError(DomainError):
    status = 403
    code = ErrorCode.LOCKED


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        msg = "；".join(exc.messages)
        raise ValidationFailed(msg, fields={"password": msg}) from exc


def _check_grantable(actor, roles: list[str], units: list) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(f"未知角色：{'、'.join(unknown)}", fields={"roles": "未知角色"})
    if not can_grant(actor, roles):
        raise Forbidden(MSG_ROLE_NOT_HELD)
    for unit in units:
        ensure_unit_in_reach(actor, unit)
    return roles


def _users_in_reach(actor):
    """Users whose every scope lies inside the actor's reach (superusers see all)."""
    reach = reach_of(actor)
    if reach.unrestricted:
        return User.objects.all()
    scoped_users = UserScope.objects.values("user_id")
    outside = UserScope.objects.exclude(reach_q(reach, prefix="unit__")).values("user_id")
    return User.objects.filter(is_superuser=False, pk__in=scoped_users).exclude(pk__in=outside)


def get_user_for(actor, pk) -> User:
    require(actor, "users.manage")
    try:
        return _users_in_reach(actor).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def user_create(*, actor, username: str, password: str, roles: list[str], units: list, person=None,
                first_name: str = "") -> User:
    require(actor, "users.manage")
    username = require_text(username, "username", "用户名")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed("用户名已存在", fields={"username": "已存在"})
    if not units:
        raise ValidationFailed("至少要指定一个管辖范围", fields={"units": "不能为空"})
    roles = _check_grantable(actor, roles, units)
    if person is not None:
        ensure_unit_in_reach(actor, person)
    user = User(username=username, roles=roles, person=person, first_name=first_name)
    _check_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        UserScope.objects.bulk_create([UserScope(user=user, unit=u) for u in units])
        audit.record(actor, "user.create", user, detail={"roles": roles, "units": [u.pk for u in units]})
    return user


def user_update_access(*, actor, user: User, version: int | None, roles: list[str] | None = None,
                       units: list | None = None) -> User:
    """Change another user's roles and/or scope, within what the actor holds herself."""
    require(actor, "users.manage")
    if user.pk == actor.pk:
        raise Forbidden(MSG_SELF)
    detail = {}
    with transaction.atomic():
        if roles is not None:
            user.roles = _check_grantable(actor, roles, [])
            detail["roles"] = user.roles
        if units is not None:
            if not units:
                raise ValidationFailed("至少要指定一个管辖范围", fields={"units": "不能为空"})
            _check_grantable(actor, [], units)
            UserScope.objects.filter(user=user).delete()
            UserScope.objects.bulk_create([UserScope(user=user, unit=u) for u in units])
            detail["units"] = [u.pk for u in units]
        bump_version(user, version, ["roles"])
        user.forget_reach()
        audit.record(actor, "user.update_access", user, detail=detail)
    return user


def user_set_active(*, actor, user: User, active: bool) -> User:
    """Disable or enable a user; disabling ends her sessions and tokens at once."""
    require(actor, "users.manage")
    if user.pk == actor.pk:
        raise Forbidden(MSG_SELF)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        if not active:
            ApiToken.objects.filter(user=user).update(revoked=True)
            _end_sessions(user)
        audit.record(actor, "user.enable" if active else "user.disable", user)
    return user


def _end_sessions(user: User) -> None:
    for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk):
            s.delete()


def user_set_password(*, actor, user: User, password: str) -> User:
    if user.pk != actor.pk:
        require(actor, "users.manage")
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        ApiToken.objects.filter(user=user).update(revoked=True)
        audit.record(actor, "user.password", user)
    return user


def user_unlock(*, actor, user: User) -> User:
    require(actor, "users.manage")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        audit.record(actor, "user.unlock", user)
    user.refresh_from_db()
    return user


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def login_check(username: str, password: str) -> User:
    """Credentials to a user, or a clear refusal (bad credentials, or a locked account)."""
    try:
        user = authenticate_account(username or "", password or "")
    except AccountLocked as exc:
        until = timezone.localtime(exc.until).strftime("%H:%M")
        raise AccountLockedError(f"连续登录失败次数过多，账号已锁定至 {until}") from exc
    if user is None:
        raise Unauthenticated(MSG_BAD_LOGIN)
    return user


def token_issue(*, username: str, password: str) -> tuple[str, ApiToken]:
    user = login_check(username, password)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=_hash(raw),
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        audit.record(user, "token.issue", user)
    return raw, token


def token_user(raw: str) -> User | None:
    """The active user behind a bearer token, or None (unknown, revoked, expired, disabled)."""
    if not raw:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(raw), revoked=False).first()
    if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, actor, raw: str) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(key_hash=_hash(raw), user=actor).update(revoked=True)
        audit.record(actor, "token.revoke", actor)


def language_set(*, actor, language: str) -> None:
    """Keep the interface language she chose, to restore it at her next login."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed("不支持的语言", fields={"language": "不支持的语言"})
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(language=language)
        audit.record(actor, "user.language", actor, detail={"language": language})
    actor.language = language
