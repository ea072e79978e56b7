"""Every error answer in one shape: JSON {"error": {code, message, fields}} under /api/, a page elsewhere.

Django and ninja answer some refusals themselves (an unknown path, a method a path does not take,
a CSRF failure, an unhandled exception); `ApiErrorsMiddleware` rewrites those under /api/ into the
API's error shape. A 500 never shows a traceback outside debug: it names the request id, which the
log line carries too, so an operator can find what happened.
"""

import logging
import uuid

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("niangjia.errors")

API_PREFIX = "/api/"

# Stable codes for the answers Django gives by itself (DomainError codes cover the rest).
STATUS_CODES = {
    400: ("invalid", gettext_lazy("请求无效 / Bad request")),
    401: ("unauthenticated", gettext_lazy("请先登录或提供有效的令牌 / Authentication required")),
    403: ("forbidden", gettext_lazy("您没有执行此操作的权限 / Forbidden")),
    404: ("not_found", gettext_lazy("接口或记录不存在 / Not found")),
    405: ("method_not_allowed", gettext_lazy("此接口不支持该请求方法 / Method not allowed")),
    413: ("too_large", gettext_lazy("请求内容过大 / Request too large")),
    415: ("unsupported_media_type", gettext_lazy("不支持的内容类型 / Unsupported media type")),
    500: ("server_error", gettext_lazy("服务器内部错误 / Internal server error")),
}


def request_id_of(request) -> str:
    """The id of this request (set by the request-id middleware where it runs; made here otherwise)."""
    rid = getattr(request, "request_id", None)
    if not rid:
        rid = uuid.uuid4().hex
        try:
            request.request_id = rid
        except AttributeError:  # pragma: no cover - a request object that refuses attributes
            pass
    return rid


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def api_error(status: int, code: str | None = None, message: str | None = None,
              fields: dict | None = None) -> JsonResponse:
    default_code, default_message = STATUS_CODES.get(status, ("http_error", f"HTTP {status}"))
    return JsonResponse(error_body(code or default_code, message or default_message, fields), status=status,
                        json_dumps_params={"ensure_ascii": False})


def server_error_json(request, exc: BaseException) -> JsonResponse:
    """The API's answer to an unhandled exception: logged with its traceback, answered with the request id."""
    rid = request_id_of(request)
    logger.error("unhandled error on %s %s (request %s)", request.method, request.path, rid,
                 exc_info=(type(exc), exc, exc.__traceback__), extra={"request_id": rid})
    response = api_error(500, message=_("服务器内部错误，请求编号 {rid} / Internal server error, request id {rid}").format(rid=rid),
                         fields={"request_id": rid})
    response["X-Request-ID"] = rid
    return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiErrorsMiddleware:
    """Under /api/: any error answer that is not JSON becomes the API's JSON error; an exception, a JSON 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400 or _is_json(response):
            return response
        if getattr(response, "streaming", False):
            return response
        replaced = api_error(response.status_code)
        if response.status_code == 500:
            rid = request_id_of(request)
            replaced = api_error(500, message=_("服务器内部错误，请求编号 {rid} / Internal server error, request id {rid}").format(rid=rid),
                                 fields={"request_id": rid})
        for header in ("Allow", "Retry-After", "WWW-Authenticate", "X-Request-ID"):
            if header in response:
                replaced[header] = response[header]
        return replaced

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX):
            return server_error_json(request, exception)
        return None


def server_error(request, template_name: str = "500.html"):
    """handler500: a page naming the request id, never a traceback (Django's debug page shows one in debug)."""
    rid = request_id_of(request)
    if request.path.startswith(API_PREFIX):
        response = api_error(500, message=_("服务器内部错误，请求编号 {rid} / Internal server error, request id {rid}").format(rid=rid),
                             fields={"request_id": rid})
    else:
        try:
            body = loader.get_template(template_name).render({"request_id": rid})
        except Exception:  # the page must render even when templates cannot
            body = _("<!doctype html><title>500</title><h1>服务器内部错误</h1><p>请求编号 {rid}</p>").format(rid=rid)
        response = HttpResponse(body, status=500)
    response["X-Request-ID"] = rid
    return response


def bad_request_page(request, message: str, fields: dict) -> HttpResponse:
    """A refusal of malformed input to a page (the API answers JSON instead)."""
    if request.path.startswith(API_PREFIX):
        return api_error(400, message=message, fields=fields)
    try:
        body = loader.get_template("error.html").render({"message": message}, request)
    except Exception:
        body = f"<!doctype html><title>400</title><p>{_('请求无效')}</p>"
    return HttpResponse(body, status=400)

