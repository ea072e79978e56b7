"""An account that must change its password (bulk-imported, first login) reaches nothing else until it has."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

ALLOWED_PREFIXES = ("/password/", "/logout/", "/login/", "/static/", "/healthz", "/readyz")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(ALLOWED_PREFIXES)):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "password_change_required", "message": _("请先修改初始密码")}, status=403)
            return redirect("/password/")
        return self.get_response(request)
