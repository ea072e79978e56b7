"""Who is acting and from where, for audit rows written deep inside services."""

import ipaddress
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


def is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(meta) -> str:
    """The client's address: the socket peer, unless that peer is a trusted proxy.

    Behind a proxy listed in NIANGJIA_TRUSTED_PROXIES, X-Forwarded-For is read from the right
    and the first address that is not itself a trusted proxy is the client; everything left of
    it was written by the client and is not believed. Anyone else's X-Forwarded-For is ignored.
    Used by the audit trail, the rate limits and the login throttle.
    """
    # this module loads before the models (settings, logging)
    from django.conf import settings

    peer = meta.get("REMOTE_ADDR", "") or ""
    networks = getattr(settings, "TRUSTED_PROXY_NETWORKS", ())
    if not networks or not is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage from the far side: fall back to the proxy, never the garbage
    return hops[0] if hops else peer
