from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control

from . import callers
from .context import RequestInfo, client_ip, reset_request_info, set_request_info


class RequestContextMiddleware:
    """Records the caller's address and channel for the audit trail of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_request_info(
            RequestInfo(
                ip=client_ip(request.META),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                channel=channel,
            )
        )
        try:
            with callers.one_request():  # who the caller is: each cached generation read once per request
                return self.get_response(request)
        finally:
            reset_request_info(token)


class ProductErrorPagesMiddleware:
    """With DEBUG on (the default of `make run`) Django answers a wrong address or a crash with its
    English debug page. Show the product's own 404 and 500 pages instead, unless a developer asks
    for the debug pages with NIANGJIA_DEBUG_PAGES=1. The error is still logged by Django first."""

    MARKER = b"DEBUG = True"  # both of Django's technical pages say so

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not settings.DEBUG or getattr(settings, "DEBUG_PAGES", False) or response.status_code not in (404, 500)
                or request.path.startswith("/api/") or response.streaming
                or not response.get("Content-Type", "").startswith("text/html")
                or self.MARKER not in response.content):
            return response

        if response.status_code == 404:
            return render(request, "404.html", status=404)

        return HttpResponseServerError(loader.get_template("500.html").render())


PAGE_OWNER_HEADER = "X-Niangjia-User"


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every answer the application renders: case pages and their API
    answers, reveals, person pages and exports all carry personal data, and a page that does not today may
    tomorrow; no browser cache, shared computer or proxy should keep any of it. Static files (WhiteNoise,
    nginx) never reach here; a view that sets its own Cache-Control keeps it.

    The service worker keeps the field pages for offline use under the name of the user they were made
    for (`X-Niangjia-User`, the login name as encodeURIComponent writes it), so that on a shared phone the
    next user never sees the last one's pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        user = getattr(request, "user", None)
        response[PAGE_OWNER_HEADER] = quote(user.get_username(), safe="!~*'()") if user and user.is_authenticated else ""
        return response
