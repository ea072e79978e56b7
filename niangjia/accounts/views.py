"""Login, logout and the home page."""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from niangjia.core.errors import DomainError

from . import services


def login_view(request):
    error = ""
    if request.method == "POST":
        try:
            user = services.login_check(request.POST.get("username", ""), request.POST.get("password", ""))
        except DomainError as exc:
            error = exc.message
        else:
            login(request, user, backend="niangjia.accounts.backends.LockoutModelBackend")
            nxt = request.GET.get("next") or "/"
            if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
                nxt = "/"
            return redirect(nxt)
    return render(request, "accounts/login.html", {"error": error, "username": request.POST.get("username", "")})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@login_required
def home(request):
    return render(request, "accounts/home.html", {})
