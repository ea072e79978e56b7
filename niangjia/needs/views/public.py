"""Public pages for women, no login (core.public): pick the village, order a service or describe a
need, get a tracking code, look the status up later and rate. Phone-first, in Chinese.

The tracking page shows only status, dates and category — never the description or contact.
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext

from niangjia.core import periods
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.pagination import keyset_page
from niangjia.core.public import form_key, normalise_code, public_view
from niangjia.core.web import form_errors_from

from .. import queries, rules, services
from ..forms import PublicNeedForm, RateForm
from ..models import Need

SUBMIT_RATE = "10/h"  # needs per client address per hour
TRACK_RATE = "60/h"  # look-ups and ratings per client address per hour (codes cannot be guessed in bulk)


@public_view(scope="needs.public.search", rate="120/h", methods=("GET",))
def pick_village(request):
    """Search active villages by name or pinyin (initials too), a page of 20 at a time."""
    q = request.GET.get("q", "").strip()[:30]
    page = keyset_page(queries.public_villages(q), order=("code", "id"), cursor=request.GET.get("cursor") or None,
                       limit=20) if q else None
    ctx = {"q": q, "page": page}
    template = "needs/public/_villages.html" if getattr(request, "htmx", False) else "needs/public/pick.html"
    return render(request, template, ctx)


def _service_of(village, raw):
    if not str(raw or "").isdigit():
        return None
    found = next((s for s in queries.services_available_at(village) if s.pk == int(raw)), None)
    if found is None:
        raise ValidationFailed(gettext("该服务在您所在的村（社区）暂不提供，请重新选择"), fields={"service": gettext("不可预约")})
    return found


@public_view(scope="needs.public", rate=SUBMIT_RATE, counted_with_write=True)
def village(request, pk):
    """The catalogue available in her village, and the form to order one or describe a need."""
    place = queries.public_village(pk)
    catalogue = queries.services_available_at(place)
    chosen = request.POST.get("service") or request.GET.get("service")
    service = _service_of(place, chosen)
    form = PublicNeedForm(request.POST or None, initial={"key": form_key(), "service": service.pk if service else None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                need, _ = services.need_submit_public(
                    unit=place, category=d["category"] or "other", description=d["description"],
                    channel=Need.Channel.WEBSITE, key=d["key"], urgency=d["urgency"],
                    contact_name=d["contact_name"], contact_phone=d["contact_phone"], service=service,
                    rate_hit=getattr(request, "rate_hit", None))
            except ValidationFailed as exc:
                form_errors_from(form, exc)
            else:
                return redirect("needs_public:done", code=need.tracking_code)
        status = 400
    return render(request, "needs/public/village.html",
                  {"place": place, "catalogue": catalogue, "service": service, "form": form}, status=status)


@public_view(scope="needs.track", rate=TRACK_RATE, methods=("GET", "POST"))
def done(request, code):
    need = queries.need_by_code(code)
    if need is None:
        raise NotFound(gettext("查询码不存在，请核对后再试"))
    return render(request, "needs/public/done.html", {"need": need, "status_name": rules.STATUS_NAMES[need.status]})


def _track_ctx(need) -> dict:
    """Only what the woman may see: status, dates, category, the service's status. No personal data."""
    orders = queries.orders_of(need)
    order_to_rate = queries.order_to_rate(need, orders)
    need_rateable = not rules.need_rateable(need.status, need.rated_at is not None) and order_to_rate is None
    return {"need": need, "status_name": rules.STATUS_NAMES[need.status], "orders": orders,
            "order_to_rate": order_to_rate, "need_rateable": need_rateable,
            "overdue": rules.is_overdue(need.status, need.deadline, periods.now())}


@public_view(scope="needs.track", rate=TRACK_RATE, methods=("GET", "POST"))
def track(request):
    """Look up by tracking code; rate when resolved (the need) or delivered (the service order)."""
    code = normalise_code(request.POST.get("code") or request.GET.get("code") or "")
    ctx = {"code": code, "rate_form": RateForm()}
    status = 200
    if code:
        need = queries.need_by_code(code)
        if need is None:
            ctx["error"] = gettext("查询码不存在，请核对后再试（查询码为 8 位字母和数字）")
            status = 404
        else:
            if request.method == "POST":
                status = _rate(request, need, ctx)
                need.refresh_from_db()
            ctx.update(_track_ctx(need))
    return render(request, "needs/public/track.html", ctx, status=status)


def _rate(request, need, ctx) -> int:
    form = RateForm(request.POST)
    ctx["rate_form"] = form
    if not form.is_valid():
        return 400
    try:
        services.rate_by_code(need=need, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
    except ValidationFailed as exc:
        form_errors_from(form, exc)
        return 400
    ctx["thanks"] = True
    return 200

