from django.utils.cache import patch_cache_control

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
            return self.get_response(request)
        finally:
            reset_request_info(token)


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every answer the application renders: case pages and their API
    answers, reveals, person pages and exports all carry personal data, and a page that does not today may
    tomorrow; no browser cache, shared computer or proxy should keep any of it. Static files (WhiteNoise,
    nginx) never reach here; a view that sets its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
