"""Login, logout, the home page, user administration and the audit log. Thin: services write."""


from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from niangjia.core import extensions, periods, retention
from niangjia.core.errors import DomainError
from niangjia.core.excel import xlsx_response
from niangjia.core.models import Notification
from niangjia.core.roles import ROLES, require
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    LAST_USER_COOKIE,
    act,
    export_requested,
    export_url,
    first_page_url,
    form_status,
    list_page,
    query_date,
    submit,
    web_view,
)

from .. import queries, services
from ..backends import is_locked
from ..forms import AccessForm, LoginForm, UserCreateForm, UserFilterForm
from ..models import User


def login_view(request):
    form = LoginForm(request.POST or None)
    done = submit(request, form, lambda d: services.login_check(d["username"], d["password"]),
                  success=lambda user: _logged_in(request, user))
    return done or render(request, "accounts/login.html", {"form": form}, status=form_status(form))


def _logged_in(request, user):
    login(request, user, backend="niangjia.accounts.backends.LockoutModelBackend")
    nxt = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=request.is_secure()):
        nxt = "/"
    return _remember(redirect(nxt), user)


def _remember(resp, user):
    """Offer the login name again when the session lapses (core.web's expired-session page), and bring
    back the language she chose (on any device she logs in from)."""
    resp.set_cookie(LAST_USER_COOKIE, user.username, max_age=90 * 24 * 3600, samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE)
    if user.language:
        resp.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return resp


@require_POST
def language_set(request):
    """The language switch: Django's set_language, and the choice kept on the user for her next login."""
    resp = set_language(request)
    lang = request.POST.get("language", "")
    if request.user.is_authenticated and lang in dict(settings.LANGUAGES) and request.user.language != lang:
        services.language_set(actor=request.user, language=lang)
    if lang in dict(settings.LANGUAGES):  # remembered past the browser session
        resp.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return resp


def session_state(request):
    """GET /session/: is the session alive (200) or lapsed (401), and a fresh CSRF token either way.
    The page scripts ask before a post, so a lapsed session never eats what was typed."""
    alive = request.user.is_authenticated
    return JsonResponse({"authenticated": alive, "username": request.user.username if alive else "",
                         "csrf": get_token(request)}, status=200 if alive else 401)


@require_POST
def session_login(request):
    """POST /session/login/ (username, password): log in again in place, answer JSON with the new CSRF token."""
    try:
        user = services.login_check(request.POST.get("username", ""), request.POST.get("password", ""))
    except DomainError as exc:
        return JsonResponse({"code": str(exc.code), "message": exc.message}, status=exc.status)
    login(request, user, backend="niangjia.accounts.backends.LockoutModelBackend")
    return _remember(JsonResponse({"authenticated": True, "username": user.username, "csrf": get_token(request)}),
                     user)


def public_index(request):
    """/p/: the way in for women, no login: ask for help, say what you think, take part, follow up."""
    return render(request, "accounts/public_index.html")


def service_worker(request):
    """The service worker at /sw.js, so that its scope is the whole site (static/niangjia/sw.js)."""
    body = (settings.BASE_DIR / "niangjia" / "static" / "niangjia" / "sw.js").read_bytes()
    resp = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    resp["Cache-Control"] = "no-cache"
    return resp


@web_view()
def outbox(request):
    """What this phone holds to send, has sent or got refused (offline.js draws it from IndexedDB)."""
    return render(request, "accounts/outbox.html")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@web_view()
def home(request):
    user = request.user
    ctx = {
        "scopes": [s.unit for s in user.scopes.select_related("unit").order_by("unit__path")],
        "counts": {}, "chart": "",  # stats fills them in (core.extensions.home_dashboard)
        "role_names": user.role_names or ([gettext("超级管理员")] if user.is_superuser else []),
        "panels": extensions.home_panels(request),
    }
    ctx.update(extensions.home_dashboard(user))
    return render(request, "accounts/home.html", ctx)


# ---- users -------------------------------------------------------------------------------------

USER_SORTS = {"username": (gettext_lazy("用户名"), ("username", "id")), "new": (gettext_lazy("最新创建"), ("-date_joined", "-id"))}


def _user_filters(request):
    f = UserFilterForm(request.GET or None)
    data = f.cleaned_data if f.is_valid() else {}
    active = {"1": True, "0": False}.get(data.get("active") or "")
    return f, {"q": (data.get("q") or "").strip(), "role": data.get("role") or "", "active": active}


@web_view("users.manage")
def user_list(request):
    form, filters = _user_filters(request)
    qs = queries.users_for(request.user, **filters)
    if export_requested(request):
        require(request.user, "export")
        rows = qs.order_by("username", "id")[:EXPORT_MAX_ROWS]
        return xlsx_response(request, gettext("用户"), gettext("用户"), [gettext("用户名"), gettext("姓名"), gettext("角色"), gettext("管辖范围"), gettext("状态"), gettext("锁定"), gettext("最近登录")],
                             ([u.username, u.first_name, u.role_names, [s.unit.name for s in u.scopes.all()],
                               gettext("启用") if u.is_active else gettext("停用"), gettext("是") if is_locked(u) else "", u.last_login]
                              for u in rows))
    page, sort, next_url = list_page(request, qs, sorts=USER_SORTS, default="username")
    return render(request, "accounts/user_list.html", {
        "form": form, "page": page, "sort": sort, "sorts": USER_SORTS, "next_url": next_url,
        "first_url": first_page_url(request), "export_url": export_url(request), "me": request.user.pk,
    })


@web_view("users.manage")
def user_create(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    done = submit(request, form, lambda d: services.user_create(
        actor=request.user, username=d["username"], password=d["password"], roles=d["roles"], units=d["unit_objs"],
        first_name=d["first_name"]),
        message=lambda user: gettext("已创建用户 {username}").format(username=user.username), success=lambda user: redirect("user_detail", pk=user.pk))
    return done or render(request, "accounts/user_form.html", {"form": form, "title": gettext("新建用户")},
                          status=form_status(form))


@web_view("users.manage")
def user_detail(request, pk: int):
    target = queries.get_user_for(request.user, pk)
    units = [s.unit for s in target.scopes.select_related("unit")]
    initial = {"roles": target.roles, "units": [str(u.pk) for u in units], "unit_objs": units,
               "version": target.version}
    form = AccessForm(request.POST or None, actor=request.user, initial=initial)
    if done := submit(request, form, lambda d: services.user_update_access(
            actor=request.user, user=target, version=d["version"], roles=d["roles"], units=d["unit_objs"]),
            message=gettext("已保存角色与管辖范围"), success=lambda _: redirect("user_detail", pk=target.pk)):
        return done
    status = form_status(form)
    return render(request, "accounts/user_detail.html", {
        "form": form, "target": target, "units": units, "locked": is_locked(target),
        "is_self": target.pk == request.user.pk, "roles": ROLES,
    }, status=status)


def _user_action(request, pk: int, fn, done: str):
    target = queries.get_user_for(request.user, pk)
    return act(request, lambda: fn(target), back=reverse("user_detail", args=[target.pk]), message=done)


@require_POST
@web_view("users.manage")
def user_set_active(request, pk: int):
    active = request.POST.get("active") == "on"
    return _user_action(request, pk, lambda u: services.user_set_active(actor=request.user, user=u, active=active),
                        gettext("已启用该用户") if active else gettext("已停用该用户，其登录会话和令牌已立即失效"))


@require_POST
@web_view("users.manage")
def user_unlock(request, pk: int):
    return _user_action(request, pk, lambda u: services.user_unlock(actor=request.user, user=u), gettext("已解除锁定"))


# ---- audit -------------------------------------------------------------------------------------

AUDIT_SORTS = {"new": (gettext_lazy("最新在前"), ("-at", "-id")), "old": (gettext_lazy("最早在前"), ("at", "id"))}


def _audit_filters(request) -> dict:
    g = request.GET
    actor_name = g.get("actor", "").strip()
    actor_id = None
    if actor_name:
        actor_id = User.objects.filter(username=actor_name).values_list("id", flat=True).first() or -1
    return {"action": g.get("action", "").strip(), "actor_id": actor_id,
            "target_type": g.get("target_type", "").strip(), "target_id": g.get("target_id", "").strip()}


@web_view("audit.view")
def audit_list(request):
    qs = queries.audit_for(request.user, **_audit_filters(request))
    if export_requested(request):
        require(request.user, "export")
        rows = qs.order_by("-at", "-id")[:EXPORT_MAX_ROWS]
        return xlsx_response(request, gettext("审计日志"), gettext("审计日志"), [gettext("时间"), gettext("操作人"), gettext("操作"), gettext("对象类型"), gettext("对象编号"), gettext("摘要"), gettext("来源"), "IP"],
                             ([e.at, e.actor_name, e.action, e.target_type, e.target_id, e.summary, e.channel, e.ip]
                              for e in rows))
    page, sort, next_url = list_page(request, qs, sorts=AUDIT_SORTS, default="new", limit=50)
    return render(request, "accounts/audit_list.html", {
        "page": page, "sort": sort, "sorts": AUDIT_SORTS, "next_url": next_url, "g": request.GET,
        "first_url": first_page_url(request), "export_url": export_url(request),
    })


def audit_export_response(request):
    """The audit rows in reach between ?from= and ?to= (days, both optional) as a streamed CSV; no row cap."""
    start, end = query_date(request.GET.get("from")), query_date(request.GET.get("to"))
    qs = queries.audit_for(request.user, **_audit_filters(request))
    require(request.user, "export")
    services.audit_export_record(actor=request.user, start=start, end=end)
    response = StreamingHttpResponse(retention.audit_csv_lines(retention.audit_rows(qs, start, end)),
                                     content_type="text/csv; charset=utf-8")
    name = f"audit-{start or 'start'}-{end or periods.today()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@web_view()
def audit_export(request):
    return audit_export_response(request)


@web_view()
def notification_list(request):
    """The user's own notifications, newest first (escalations, overrides, reminders)."""
    items = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "accounts/notifications.html", {"items": items})


@require_POST
@web_view()
def notifications_read(request):

    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=periods.now())
    return redirect("notifications")
