"""The JSON API at /api/v1/, OpenAPI at /api/openapi.json, docs at /api/docs.

Auth is a bearer token (POST /api/v1/auth/token) or the browser session. Every error is
{"error": {"code", "message", "fields"}}.
"""

import json
import re

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from niangjia.accounts import services as accounts_services
from niangjia.accounts.api import auth_router
from niangjia.accounts.api import router as accounts_router
from niangjia.core.api_params import guard_api
from niangjia.core.api_schemas import field_error_text
from niangjia.core.errors import DomainError, ErrorCode
from niangjia.core.http_errors import server_error_json
from niangjia.core.replica import route_api_lists


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        user = accounts_services.token_user(token)  # looked up per call: tests replace it
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class NiangjiaAPI(NinjaAPI):
    """The API, its OpenAPI document built and serialized once per process (routes never change after
    start-up): /api/openapi.json then answers in milliseconds instead of seconds."""

    _openapi_cache: dict = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = ("schema", path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._openapi_cache:
            self._openapi_cache[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._openapi_cache[key]

    def openapi_json(self, request, **path_params):
        key = ("bytes", tuple(sorted(path_params.items())))
        if key not in self._openapi_cache:
            schema = self.get_openapi_schema(path_params=path_params)
            self._openapi_cache[key] = json.dumps(schema, cls=NinjaJSONEncoder, ensure_ascii=False).encode()
        return HttpResponse(self._openapi_cache[key], content_type="application/json; charset=utf-8")

    def get_openapi_operation_id(self, operation) -> str:
        """An id names the app's API room and the function, whichever file of the room holds it
        (api/__init__.py, api/public.py, a part of a split router): moving an endpoint between the
        files of one room keeps its published id."""
        module = operation.view_func.__module__
        room = re.match(r"niangjia\.\w+\.api\b", module)
        return f"{room.group(0) if room else module}_{operation.view_func.__name__}".replace(".", "_")

    def _get_urls(self):
        urls = super()._get_urls()
        return [path(self.openapi_url.lstrip("/"), self.openapi_json, name="openapi-json")
                if getattr(u, "name", None) == "openapi-json" else u for u in urls]


api = NiangjiaAPI(
    title="Niangjia API",
    version="1",
    description="娘家：妇联工作平台 JSON API",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[BearerAuth(), ActiveSessionAuth()],
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, str(exc.code), exc.message, exc.fields)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", [])]
        # ninja's loc is (source, field) or, for a body schema, ("body", <parameter>, field...);
        # drop only those prefixes, so a field that is itself called "body" keeps its name.
        loc = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]
        fields[".".join(loc) or "__all__"] = field_error_text(err)
    problems = "；".join(f"{name}：{text}" for name, text in fields.items())
    return _error(request, 400, ErrorCode.INVALID, _("请求参数无效：{problems}").format(problems=problems), fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, ErrorCode.UNAUTHENTICATED, _("请先登录或提供有效的令牌"))


@api.exception_handler(Http404)
def on_404(request, exc):
    return _error(request, 404, ErrorCode.NOT_FOUND, _("记录不存在"))


@api.exception_handler(Exception)
def on_unhandled(request, exc: Exception):
    return server_error_json(request, exc)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


def _mount() -> None:
    api.add_router("/v1/auth", auth_router)
    api.add_router("/v1", accounts_router)
    for module in ("niangjia.org.api", "niangjia.people.api", "niangjia.stats.api",
                   "niangjia.duties.api", "niangjia.fieldwork.api", "niangjia.contacts.api", "niangjia.needs.api",
                   "niangjia.cases.api", "niangjia.participation.api", "niangjia.awards.api", "niangjia.selection.api",
                   "niangjia.wechat.api", "niangjia.reform.api", "niangjia.reports.api"):
        try:
            mod = __import__(module, fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        api.add_router("/v1", mod.router)


_mount()
guard_api(api)  # unknown query parameters answer 400 naming them
route_api_lists(api)  # every paginated list may read from the replica (core.replica decides)
