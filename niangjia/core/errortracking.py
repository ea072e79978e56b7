"""Optional error reporting to a Sentry server (NIANGJIA_SENTRY_DSN), with personal data kept out.

sentry-sdk is an optional extra (`pip install niangjia[sentry]`); with a DSN set and the
package missing, a warning says so once and the application runs on.
"""

import logging

from .health import version
from .requestlog import scrub

log = logging.getLogger("niangjia")


def _before_send(event, hint):
    request = event.get("request") or {}
    for key in ("data", "cookies", "headers", "env"):
        request.pop(key, None)
    if request.get("query_string"):
        request["query_string"] = scrub(str(request["query_string"]))
    if request.get("url"):
        request["url"] = scrub(request["url"])
    if event.get("message"):
        event["message"] = scrub(event["message"])
    event.pop("user", None)
    return event


def init(dsn: str) -> bool:
    """Start reporting errors to `dsn`; False when sentry-sdk is not installed."""
    if not dsn:
        return False
    try:
        # optional: the except below answers without it
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        log.warning("NIANGJIA_SENTRY_DSN is set but sentry-sdk is not installed (pip install niangjia[sentry])")
        return False

    sentry_sdk.init(dsn=dsn, integrations=[DjangoIntegration()], send_default_pii=False,
                    before_send=_before_send, release=version(), max_request_body_size="never")
    return True
