"""One error type per kind of refusal, each with a stable code the API returns and the UI shows.

The API renders every DomainError as {"error": {"code", "message", "fields"}}.
"""

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    STALE = "stale_version"
    CONFLICT = "conflict"
    LOCKED = "account_locked"
    UNAUTHENTICATED = "unauthenticated"
    DECRYPT = "decryption_failed"
    TRANSITION = "invalid_transition"
    RATE_LIMITED = "rate_limited"


class DomainError(Exception):
    status = 400
    code = ErrorCode.INVALID

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None):
        message = str(message)  # a lazy translation is rendered here, in the language of the request
        super().__init__(message)
        self.message = message
        self.fields = {k: str(v) if isinstance(v, Promise) else v for k, v in (fields or {}).items()}
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"error": {"code": str(self.code), "message": self.message, "fields": self.fields}}


class ValidationFailed(DomainError):
    status = 400
    code = ErrorCode.INVALID


class NotFound(DomainError):
    """Missing, or outside the caller's reach: the two answer the same."""

    status = 404
    code = ErrorCode.NOT_FOUND

    def __init__(self, message: str = _("记录不存在"), **kw):
        super().__init__(message, **kw)


class Forbidden(DomainError):
    status = 403
    code = ErrorCode.FORBIDDEN

    def __init__(self, message: str = _("您没有执行此操作的权限"), **kw):
        super().__init__(message, **kw)


class StaleVersion(DomainError):
    status = 409
    code = ErrorCode.STALE

    def __init__(self, message: str = _("该记录已被他人修改，请刷新后重试"), **kw):
        super().__init__(message, **kw)


class Conflict(DomainError):
    status = 409
    code = ErrorCode.CONFLICT


class Unauthenticated(DomainError):
    status = 401
    code = ErrorCode.UNAUTHENTICATED


class DecryptionError(DomainError):
    """A sensitive field could not be decrypted with any configured key."""

    status = 500
    code = ErrorCode.DECRYPT

    def __init__(self, message: str = _("敏感字段无法解密：密钥不匹配"), **kw):
        super().__init__(message, **kw)


class RateLimited(DomainError):
    """Too many requests from one source in a window (public pages, core.ratelimit)."""

    status = 429
    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str = _("提交过于频繁，请稍后再试"), **kw):
        super().__init__(message, **kw)
