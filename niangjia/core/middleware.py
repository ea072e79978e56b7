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
