"""Glue for the HTML front door: domain errors become 404/403 pages or form errors.

The JSON API renders DomainError itself (niangjia/api.py); HTML views wrap with `web_view`.
"""

from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from .errors import DomainError, Forbidden, NotFound, StaleVersion, ValidationFailed
from .extensions import unit_lookup
from .forms import MSG_VERSION_INVALID, MSG_VERSION_MISSING, form_errors_from
from .idempotency import run_once
from .pagination import keyset_page
from .replica import replica_reads
from .roles import require


def web_view(perm: str | None = None, *, replica: bool = False):
    """Login required, optional permission (403), NotFound/Forbidden as 404/403 pages, and an
    inline alert (with the same status) for htmx requests. `replica=True` marks a dashboard: its reads
    may go to the read replica (core.replica decides); so may every export (`?export=xlsx`) and every
    list page's rows (`list_page`)."""

    def deco(fn):
        @wraps(fn)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated and not _reauthenticated(request):
                return _login_needed(request)
            try:
                if perm:
                    require(request.user, perm)
                if replica or export_requested(request):  # dashboards, lists and every export
                    with replica_reads(request):
                        return fn(request, *args, **kwargs)
                return fn(request, *args, **kwargs)
            except DomainError as exc:
                if getattr(request, "htmx", False):  # an in-place request gets an inline alert
                    return render(request, "partials/_error_alert.html", {"message": exc.message},
                                  status=exc.status)
                return _error_page(request, exc)

        return wrapper

    return deco


# Fields of a re-login carried inside a replayed post (the expired-session page below).
REAUTH_USER, REAUTH_PASSWORD = "_nj_reauth_username", "_nj_reauth_password"
LOGIN_NEEDED = "X-Niangjia-Login"
LAST_USER_COOKIE = "nj_user"  # the login name to offer again when a session lapses


def _login_needed(request):
    """An expired or missing session. Nothing typed is lost: an htmx request gets a 401 that is never
    swapped into its target (static/niangjia/session.js asks for the password in place and resends); a
    plain post gets a page that keeps every typed field and asks for the password before sending them on;
    only a plain GET goes to the login page."""
    if getattr(request, "htmx", False) or request.headers.get(LOGIN_NEEDED):
        resp = JsonResponse({"code": "login_required", "message": gettext("登录已过期，请输入密码后继续")}, status=401)
        resp["HX-Reswap"] = "none"
        resp[LOGIN_NEEDED] = "1"
        return resp
    if request.method == "POST":
        fields = [(k, v) for k, values in request.POST.lists() for v in values
                  if k not in ("csrfmiddlewaretoken", REAUTH_USER, REAUTH_PASSWORD)]
        return render(request, "relogin.html", {
            "fields": fields, "action": request.get_full_path(), "had_files": bool(request.FILES),
            "username": request.POST.get(REAUTH_USER) or request.COOKIES.get(LAST_USER_COOKIE, ""),
            "failed": REAUTH_PASSWORD in request.POST, "user_field": REAUTH_USER, "password_field": REAUTH_PASSWORD,
        }, status=401)
    return redirect_to_login(request.get_full_path())


def _reauthenticated(request) -> bool:
    """A post replayed from the expired-session page carries the password: log in, drop those fields
    and let the post go on as if the session had never lapsed."""
    if request.method != "POST" or REAUTH_PASSWORD not in request.POST:
        return False
    user = authenticate(request, username=request.POST.get(REAUTH_USER, ""),
                        password=request.POST.get(REAUTH_PASSWORD, ""))
    if user is None:
        return False
    login(request, user)
    post = request.POST.copy()
    for name in (REAUTH_USER, REAUTH_PASSWORD):
        post.pop(name, None)
    request.POST = post
    return True


def _error_page(request, exc: DomainError):
    """NotFound as the site's 404, Forbidden as 403, any other refusal as its own status."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, Forbidden):
        # Rendered rather than raised: a refusal is expected, not a stack trace for the log.
        return render(request, "403.html", {"exception": exc.message}, status=403)
    return render(request, "error.html", {"message": exc.message}, status=exc.status)


def list_page(request, qs, *, sorts: dict[str, tuple[str, tuple[str, ...]]], default: str, limit: int = 30):
    """One keyset page of `qs` sorted by the request's `sort` (a key of `sorts`: label, order).

    Returns (page, sort, next_url); next_url keeps every filter and moves the cursor on.
    """
    sort = request.GET.get("sort") or default
    if sort not in sorts:
        sort = default
    with replica_reads(request):  # every list page may read from the replica (core.replica decides)
        page = keyset_page(qs, order=sorts[sort][1], cursor=request.GET.get("cursor") or None, limit=limit)
    next_url = ""
    if page.next_cursor:
        params = request.GET.copy()
        params["cursor"] = page.next_cursor
        params.pop("export", None)
        next_url = f"?{params.urlencode()}"
    return page, sort, next_url


def export_requested(request) -> bool:
    return request.GET.get("export") == "xlsx"


EXPORT_MAX_ROWS = 50_000


def query_int(raw) -> int | None:
    """A number from a query string or form (an id, a year), or None when absent or not a number."""
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def posted_version(request) -> int:
    """The version a form read (its hidden `version` field), so a stale edit answers 409 and never
    overwrites. Missing or not a number answers 400 with a message saying so (never a 500, never a
    silent overwrite)."""
    raw = str(request.POST.get("version", "")).strip()
    if not raw:
        raise ValidationFailed(str(MSG_VERSION_MISSING), fields={"version": str(MSG_VERSION_MISSING)})
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationFailed(str(MSG_VERSION_INVALID), fields={"version": str(MSG_VERSION_INVALID)})
    return int(raw)


def submit(request, form, call, *, success, message=None, field_map: dict[str, str] | None = None,
           field: str | None = None, pages=(NotFound, Forbidden)):
    """One edit's front door: parse → (the view fetched) → run the service → answer.

    On a POST whose form is valid, run `call(form.cleaned_data)` (the service). Success: flash `message`
    (a string, or a function of the result) and return `success` (a URL, or a function of the result
    giving the response). A refusal lands on the form and None comes back, so the view renders the form
    with `form_status(form)`: validation errors 400, a stale version 409 (the form is marked `stale`), a
    refusal that asks to wait 429. `field`: a one-input form's input, where every refusal is said.
    NotFound and Forbidden are not the form's business: they go on to web_view's 404/403 pages (`pages`:
    the refusals that do so; a public form adds Conflict, a closed call, for its own error page)."""
    if request.method != "POST" or not form.is_bound or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except pages:
        raise
    except StaleVersion as exc:
        form.stale = True
        form.add_error(None, exc.message + gettext("（您打开编辑页后，别人已保存了新的内容）"))
        return None
    except DomainError as exc:
        if exc.status == 429:  # too many tries: the page says so with the status a client backs off on
            form.throttled = True
        form_errors_from(form, exc, field_map, field=field)
        return None
    if message:
        messages.success(request, message(result) if callable(message) else message)
    return success(result) if callable(success) else redirect(success)


def form_status(form) -> int:
    """The status a form page answers with: 200 while clean, 409 for a stale version, 429 when told to
    wait, else 400."""
    if not form.is_bound or not form.errors:
        return 200
    if getattr(form, "throttled", False):
        return 429
    return 409 if getattr(form, "stale", False) else 400


def act(request, call, *, back=None, message=None, then=None, refused=None, pages=(NotFound, Forbidden)):
    """A post with no form to show again (a button, or a page of raw fields): run the service, flash its
    refusal or `message`, go `back` (or, after a success, to `then(result)`: a URL, or a response such as a
    page of the result). `refused(exc)`, when given, answers a refusal instead of going back (the page
    shown again with the refusal on its fields). `pages`: the refusals that go on to web_view's 404/403
    pages (a page that shows a Forbidden as a message passes `pages=(NotFound,)`). A missing version is
    refused like any other refusal (posted_version inside `call`)."""
    try:
        result = call()
    except pages:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return refused(exc) if refused else redirect(back)
    if message:
        messages.success(request, message(result) if callable(message) else message)
    if then is None:
        return redirect(back)
    nxt = then(result)
    return nxt if isinstance(nxt, HttpResponse) else redirect(nxt)


def unit_of(request, *, fallback: str = "", also_post: bool = False):
    """The unit a page is filtered to: `?unit=` (inside the user's reach; 404 outside, as a missing one).
    Without one: None (the whole reach), or with `fallback="first"` her first top unit, with
    `fallback="only"` her top unit when she has exactly one. `also_post`: a form posts the unit too."""
    raw = request.GET.get("unit") or (request.POST.get("unit") if also_post else None)
    lookup = unit_lookup()
    if query_int(raw) is not None:
        return lookup["get"](request.user, query_int(raw))
    if not fallback:
        return None
    roots = lookup["roots"](request.user)
    if fallback == "only":
        return roots[0] if len(roots) == 1 else None
    return roots[0] if roots else None


def query_date(raw) -> date | None:
    """An ISO date from a query string (a filter's from/to), or None when absent or malformed."""
    try:
        return date.fromisoformat(str(raw).strip()) if raw else None
    except ValueError:
        return None


def export_url(request) -> str:
    """The same list and filters as an Excel download (from the first row, not the current page)."""
    params = request.GET.copy()
    params.pop("cursor", None)
    params["export"] = "xlsx"
    return f"?{params.urlencode()}"


def first_page_url(request) -> str:
    """The same list and filters, back on the first page ('' when already there)."""
    if not request.GET.get("cursor"):
        return ""
    params = request.GET.copy()
    params.pop("cursor", None)
    return f"?{params.urlencode()}"


IDEMPOTENCY_FIELD = "idempotency_key"


def once(request, scope: str, create):
    """Run a form's create at most once per key the form carries (the offline outbox resends, a double tap):
    a resend gets the first record back. Keys are per user, so one user's key never finds another's record."""
    key = (request.POST.get(IDEMPOTENCY_FIELD) or "").strip()[:100]
    result, _ = run_once(f"web.{scope}.{request.user.pk}"[:64], key, create)
    return result
