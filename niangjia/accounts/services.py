"""User administration, tokens and logins. A user can never widen her own roles or scope."""

import hashlib
import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.accounts.audit_actions import Action
from niangjia.core import audit, callers, periods, ratelimit, replica, sensitive
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.context import current_request_info
from niangjia.core.errors import (
    Forbidden,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from niangjia.core.roles import ROLES, can_grant, require
from niangjia.core.validation import require_text
from niangjia.core.versioning import bump_version

from . import importer
from .backends import AccountLocked, authenticate_account
from .models import AccountImport, ApiToken, User, UserScope

MSG_SELF = gettext_lazy("不能修改自己的角色、范围或状态")
MSG_ROLE_NOT_HELD = gettext_lazy("不能授予超出自己权限的角色")
MSG_BAD_LOGIN = gettext_lazy("用户名或密码错误（连续失败多次，账号将暂时锁定）")
MSG_TOO_MANY_ATTEMPTS = gettext_lazy("登录失败次数过多，请稍后再试")


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
        raise ValidationFailed(_("未知角色：{value}").format(value='、'.join(unknown)), fields={"roles": _("未知角色")})
    if not can_grant(actor, roles):
        raise Forbidden(MSG_ROLE_NOT_HELD)
    for unit in units:
        ensure_unit_in_reach(actor, unit)
    return roles


def user_create(*, actor, username: str, password: str, roles: list[str], units: list, person=None,
                first_name: str = "") -> User:
    require(actor, "users.manage")
    username = require_text(username, "username", _("用户名"))
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("用户名已存在"), fields={"username": _("已存在")})
    if not units:
        raise ValidationFailed(_("至少要指定一个管辖范围"), fields={"units": _("不能为空")})
    roles = _check_grantable(actor, roles, units)
    if person is not None:
        ensure_unit_in_reach(actor, person)
    user = User(username=username, roles=roles, person=person, first_name=first_name)
    _check_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        UserScope.objects.bulk_create([UserScope(user=user, unit=u) for u in units])
        audit.record(actor, Action.USER_CREATE, user, detail={"roles": roles, "units": [u.pk for u in units]})
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
                raise ValidationFailed(_("至少要指定一个管辖范围"), fields={"units": _("不能为空")})
            _check_grantable(actor, [], units)
            UserScope.objects.filter(user=user).delete()
            UserScope.objects.bulk_create([UserScope(user=user, unit=u) for u in units])
            callers.forget_user(user.pk)
            detail["units"] = [u.pk for u in units]
        bump_version(user, version, ["roles"])
        callers.forget_user(user.pk)
        user.forget_reach()
        audit.record(actor, Action.USER_UPDATE_ACCESS, user, detail=detail)
    return user


def user_set_active(*, actor, user: User, active: bool) -> User:
    """Disable or enable a user; disabling ends her sessions and tokens at once."""
    require(actor, "users.manage")
    if user.pk == actor.pk:
        raise Forbidden(MSG_SELF)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        callers.forget_user(user.pk)
        user.is_active = active
        if not active:
            ApiToken.objects.filter(user=user).update(revoked=True)
            _end_sessions(user)
        audit.record(actor, Action.USER_ENABLE if active else Action.USER_DISABLE, user)
    return user


def _end_sessions(user: User) -> None:
    for s in Session.objects.filter(expire_date__gt=periods.now()).iterator():
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
        callers.forget_user(user.pk)
        audit.record(actor, Action.USER_PASSWORD, user)
    return user


def user_unlock(*, actor, user: User) -> User:
    require(actor, "users.manage")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        callers.forget_user(user.pk)
        audit.record(actor, Action.USER_UNLOCK, user)
    user.refresh_from_db()
    return user


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _address_allowance() -> tuple[int, int]:
    return ratelimit.parse(settings.LOGIN_ADDRESS_RATE)


def login_check(username: str, password: str) -> User:
    """Credentials to a user, or one refusal for bad credentials and locked accounts alike.

    A locked account answers exactly like a wrong password (same error, same message, the
    hasher run all the same), so the answer never confirms that an account exists. Failed
    attempts count per client address too: past NIANGJIA_LOGIN_ADDRESS_RATE the address gets
    429 before any password is checked, so one address cannot lock every account in turn.
    """
    address = current_request_info().ip
    limit, per = _address_allowance()
    if address and ratelimit.count("login.address", address, per_seconds=per) >= limit:
        raise RateLimited(MSG_TOO_MANY_ATTEMPTS)
    try:
        user = authenticate_account(username or "", password or "")
    except AccountLocked:
        user = None
    if user is None:
        if address:
            ratelimit.hit("login.address", address, limit=limit, per_seconds=per)
        raise Unauthenticated(MSG_BAD_LOGIN)
    return user


MSG_CHANGE_FIRST = gettext_lazy("请先在网页上登录并修改初始密码")


def token_issue(*, username: str, password: str) -> tuple[str, ApiToken]:
    user = login_check(username, password)
    if user.must_change_password:
        raise Forbidden(MSG_CHANGE_FIRST)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=_hash(raw),
            expires_at=periods.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
        audit.record(user, Action.TOKEN_ISSUE, user)
    return raw, token


def token_user(raw: str) -> User | None:
    """The active user behind a bearer token, or None (unknown, revoked, expired, disabled).

    Resolved once and kept in the caller cache (core.callers) until her account, roles, scopes or tokens
    change; her last use is written at most once a minute."""
    if not raw:
        return None
    key_hash = _hash(raw)
    entry = callers.lookup(f"callers:token:{key_hash}", lambda e: e["user"].pk)
    if entry is None:
        with replica.primary_reads():  # cached for later requests: never read from a lagging replica
            entry = _token_load(key_hash)
    now = periods.now()
    if entry is None or entry["expires_at"] <= now:
        return None
    if callers.add(f"callers:token-used:{entry['token']}", 1, 60):
        ApiToken.objects.filter(pk=entry["token"]).update(last_used_at=now)
    return entry["user"]


def _token_load(key_hash: str) -> dict | None:
    """The token from the database; cached when its user is known from an earlier look (a token's user never
    changes), so the generation is read before the database and a change committed meanwhile makes it stale."""
    user_id = callers.get(f"callers:token-user:{key_hash}")
    gen = callers.generation(user_id) if user_id is not None else None
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash, revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    entry = {"user": token.user, "token": token.pk, "expires_at": token.expires_at}
    if user_id == token.user_id:
        callers.put(f"callers:token:{key_hash}", (gen, entry))
    else:
        callers.put(f"callers:token-user:{key_hash}", token.user_id, None)
    return entry


def token_revoke(*, actor, raw: str) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(key_hash=_hash(raw), user=actor).update(revoked=True)
        callers.forget_user(actor.pk)
        audit.record(actor, Action.TOKEN_REVOKE, actor)


def audit_export_record(*, actor, start, end) -> None:
    """Exporting the audit log is itself audited (who took which days)."""
    with transaction.atomic():
        audit.record(actor, Action.AUDIT_EXPORT, None, summary=f"导出审计日志 {start or '…'} 至 {end or '…'}",
                     detail={"from": str(start or ""), "to": str(end or "")})


# ---------------------------------------------------------------- one's own password; accounts in bulk

MSG_OLD_PASSWORD = gettext_lazy("原密码不正确")
MSG_SAME_PASSWORD = gettext_lazy("新密码不能与原密码相同")
# Initial passwords only have to survive until the first login, where the account must set its own
# (hashed at full strength then); fewer rounds let 100,000 accounts be created in minutes, not days.
INITIAL_PASSWORD_ITERATIONS = 20_000


def user_change_own_password(*, user: User, old_password: str, new_password: str) -> User:
    """A user sets her own password (at first login when she must); her other sessions' tokens end."""
    if not user.check_password(old_password or ""):
        raise ValidationFailed(MSG_OLD_PASSWORD, fields={"old_password": MSG_OLD_PASSWORD})
    if old_password == new_password:
        raise ValidationFailed(MSG_SAME_PASSWORD, fields={"new_password": MSG_SAME_PASSWORD})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        msg = "；".join(exc.messages)
        raise ValidationFailed(msg, fields={"new_password": msg}) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        ApiToken.objects.filter(user=user).update(revoked=True)
        callers.forget_user(user.pk)
        audit.record(user, Action.USER_PASSWORD_CHANGE, user)
    return user


def account_import_create(*, actor, filename: str, content: bytes):
    """Check an uploaded accounts file row by row and keep it (encrypted) as a job to confirm; writes no user."""
    require(actor, "users.manage")
    rows = importer.read_rows(content)
    checked = importer.check_rows(actor, rows)
    status = AccountImport.Status.INVALID if checked.errors else AccountImport.Status.VALID
    with transaction.atomic():
        job = AccountImport.objects.create(
            created_by=actor, filename=(filename or "accounts.xlsx")[:200], status=status, rows_total=len(rows),
            errors=checked.errors, content_enc=b"" if checked.errors else sensitive.fernet().encrypt(content))
        audit.record(actor, Action.USERS_IMPORT_UPLOAD, None, detail={"job": job.pk, "rows": len(rows),
                                                                  "errors": len(checked.errors)})
    return job


def account_import_commit(*, actor, job):
    """Create every account of a clean job in one transaction (all or none), each audited; every one must
    change its password at first login. Generated one-time passwords wait, encrypted, for the sheet."""
    require(actor, "users.manage")
    if job.status != AccountImport.Status.VALID:
        raise ValidationFailed(_("只有全部校验通过的文件才能导入"))
    checked = importer.check_rows(actor, importer.read_rows(sensitive.fernet().decrypt(bytes(job.content_enc))))
    if checked.errors:
        job.errors, job.status, job.content_enc = checked.errors, AccountImport.Status.INVALID, b""
        job.save(update_fields=["errors", "status", "content_enc"])
        raise ValidationFailed(_("导入失败，未写入任何数据：发现 {value} 处错误").format(value=len(checked.errors)))
    hasher = PBKDF2PasswordHasher()
    users = [User(username=a.username, first_name=a.name[:150], roles=a.roles, person_id=a.person_id,
                  must_change_password=True,
                  password=hasher.encode(a.password, hasher.salt(), iterations=INITIAL_PASSWORD_ITERATIONS))
             for a in checked.accounts]
    sheet = [[a.username, a.name, a.password] for a in checked.accounts if a.generated]
    with transaction.atomic():
        if not AccountImport.objects.filter(pk=job.pk, status=AccountImport.Status.VALID).update(
                status=AccountImport.Status.COMMITTED):
            raise ValidationFailed(_("只有全部校验通过的文件才能导入"))
        User.objects.bulk_create(users, batch_size=500)
        UserScope.objects.bulk_create([UserScope(user=u, unit_id=unit) for u, a in zip(users, checked.accounts,
                                                                                         strict=True)
                                       for unit in a.unit_ids], batch_size=1000)
        for u, a in zip(users, checked.accounts, strict=True):
            audit.record(actor, Action.USER_CREATE, u, detail={"roles": a.roles, "units": a.unit_ids, "import": job.pk,
                                                          "row": a.row})
        job.status, job.users_created, job.committed_at = AccountImport.Status.COMMITTED, len(users), periods.now()
        job.content_enc = b""
        job.sheet_enc = sensitive.fernet().encrypt(json.dumps(sheet).encode()) if sheet else b""
        job.save(update_fields=["status", "users_created", "committed_at", "content_enc", "sheet_enc"])
        audit.record(actor, Action.USERS_IMPORT_COMMIT, None, detail={"job": job.pk, "users": len(users),
                                                                  "one_time_passwords": len(sheet)})
    return job


def account_import_take_sheet(*, actor, job) -> list[list[str]]:
    """The generated one-time passwords (username, name, password), handed out once: then wiped."""
    require(actor, "users.manage")
    if job.created_by_id != actor.pk or not job.sheet_enc:
        raise ValidationFailed(_("一次性密码已经领取过，或这次导入没有生成密码"))
    sheet = json.loads(sensitive.fernet().decrypt(bytes(job.sheet_enc)))
    with transaction.atomic():
        job.sheet_enc = b""
        job.save(update_fields=["sheet_enc"])
        audit.record(actor, Action.USERS_IMPORT_SHEET, None, detail={"job": job.pk, "passwords": len(sheet)})
    return sheet


def language_set(*, actor, language: str) -> None:
    """Keep the interface language she chose, to restore it at her next login."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("不支持的语言"), fields={"language": _("不支持的语言")})
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(language=language)
        callers.forget_user(actor.pk)
        audit.record(actor, Action.USER_LANGUAGE, actor, detail={"language": language})
    actor.language = language
