"""Who is acting and from where, for audit rows written deep inside services."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str = ""
    user_agent: str = ""
    channel: str = "system"  # web, api, cli, system


_DEFAULT = RequestInfo()
_current: ContextVar[RequestInfo] = ContextVar("niangjia_request_info", default=_DEFAULT)  # noqa: B039 - frozen, shared safely


def current_request_info() -> RequestInfo:
    return _current.get()


def set_request_info(info: RequestInfo):
    return _current.set(info)


def reset_request_info(token) -> None:
    _current.reset(token)


def client_ip(meta: dict) -> str:
    """The socket peer address; X-Forwarded-For is only trusted behind a configured proxy."""
    from django.conf import settings

    if getattr(settings, "NIANGJIA_TRUST_PROXY", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return meta.get("REMOTE_ADDR", "")
