"""Request ids and one structured JSON log line per request, with personal data scrubbed.

`RequestLogMiddleware` (first in MIDDLEWARE) takes a sane X-Request-ID or makes one, puts it
on `request.request_id` and in the response, and logs one line on `niangjia.request` when
the response is ready: request id, user id, route, method, status, duration, query count.
`JsonFormatter` writes every log record as one JSON line and scrubs it on the way out:
runs of digits that look like a phone or an ID number, and the values of query-string
parameters known to carry personal data, never reach a log line.
"""

import json
import logging
import re
import time
import traceback
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection

from . import monitoring

log = logging.getLogger("niangjia.request")

_request_id: ContextVar[str] = ContextVar("niangjia_request_id", default="")
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{8,128}$")

# Query-string parameters whose values are personal data or secrets, whatever they hold.
SENSITIVE_PARAMS = {
    "phone", "mobile", "tel", "telephone", "phone_number", "id_number", "idnumber", "id_card", "idcard",
    "id_no", "address", "addr", "q", "search", "keyword", "name", "contact", "password", "token", "key",
    "secret", "code", "ticket",
}
_PARAM = re.compile(r"(?P<key>[\w.\-\[\]]+)=(?P<value>[^&\s\"']*)")
# Seven or more digits, possibly with separators or a trailing X (landlines, mobiles, ID numbers).
_DIGITS = re.compile(r"(?<![\w])\+?\d(?:[\d \-]{5,}\d)[\dXx]?(?![\w])|\d{15,}[\dXx]?")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")  # 2026-12-06 is a date, not a landline
REDACTED = "[redacted]"


def current_request_id() -> str:
    return _request_id.get()


def scrub(text: str) -> str:
    """The text with sensitive parameter values and phone- or ID-like digit runs replaced."""
    if not text:
        return text

    def param(m):
        return f"{m['key']}={REDACTED}" if m["key"].lower() in SENSITIVE_PARAMS and m["value"] else m[0]

    def digits(m):
        run = m[0]
        return run if sum(c.isdigit() for c in run) < 7 or _DATE.fullmatch(run) else REDACTED

    return _DIGITS.sub(digits, _PARAM.sub(param, text))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; every string scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or current_request_id()
        if request_id:
            data["request_id"] = request_id
        data.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            data["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps({k: scrub(v) if isinstance(v, str) else v for k, v in data.items()},
                          ensure_ascii=False, default=str)


def _request_id_from(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if SANE_REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Request id in and out, and one log line per request (a warning past the slow threshold)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _request_id_from(request)
        token = _request_id.set(request.request_id)
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.monotonic()
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            self._log(request, response.status_code, started, queries[0])
            return response
        finally:
            _request_id.reset(token)

    def _log(self, request, status: int, started: float, queries: int) -> None:
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        fields = {
            "method": request.method,
            "route": (match.route if match else "") or "",
            "path": request.path,
            "query": request.META.get("QUERY_STRING", ""),
            "status": status,
            "duration_ms": duration_ms,
            "queries": queries,
            "user_id": user.pk if user is not None and getattr(user, "is_authenticated", False) else None,
        }
        monitoring.observe(request.method, fields["route"], status, duration_ms / 1000, queries)
        slow = duration_ms >= settings.SLOW_REQUEST_MS
        if slow:
            fields["slow"] = True
        log.log(logging.WARNING if slow else logging.INFO, "%s %s %s", request.method, request.path, status,
                extra={"fields": fields, "request_id": request.request_id})
