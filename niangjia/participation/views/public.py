"""Pages for women without an account: answer a consultation, write to the suggestion box and
read the reply, register for an activity, cancel or rate with the tracking code; QR codes.

Every POST is rate-limited per client IP (core.public.public_view) and carries a form key so
a retried submission never makes two records.
"""

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from niangjia.core import onetime
from niangjia.core.errors import Conflict, NotFound, ValidationFailed
from niangjia.core.public import form_key, public_view
from niangjia.core.web import query_int

from .. import queries, rules, services
from ..models import Channel, Identity, Rating
from ..services.activities import today as activity_today
from ..sheet import field_errors, parse_sheet


def _channel(request) -> str:
    return Channel.WECHAT if request.GET.get("via") == "wechat" or request.POST.get("via") == "wechat" \
        else Channel.WEBSITE


# ---------------------------------------------------------------- consultations


@public_view(scope="participation.answer", rate="30/h")
def answer(request, pk):
    c = queries.public_consultation(pk)
    state = services.state_of(c)
    token = request.GET.get("t") or request.POST.get("t") or ""
    questions = list(c.questions.all())
    ctx = {"c": c, "state": state, "state_label": rules.WINDOW_LABELS[state], "questions": questions,
           "errors": {}, "values": {}, "key": form_key(), "token": token, "via": request.GET.get("via", ""),
           "phone": "",
           "channel_closed": services.channel_refusal(c, _channel(request),
                                                      invited=c.identity == Identity.LINK and bool(token))}
    if state == "open" and c.identity == Identity.LINK and token and not ctx["channel_closed"]:
        onetime.peek(services.LINK_PURPOSE, token)  # a used or unknown link says so before she starts
    if request.method == "POST" and state == "open" and not ctx["channel_closed"]:
        values = parse_sheet(questions, request.POST)
        phone = request.POST.get("phone", "")
        try:
            r, _ = services.submit_response(consultation=c, values=values, channel=_channel(request),
                                            key=request.POST.get("key", ""), phone=phone,
                                            code=request.POST.get("code", ""), token=token)
        except (ValidationFailed, Conflict) as exc:
            ctx.update(errors=field_errors(exc), values=values, message=exc.message, key=request.POST.get("key"),
                       phone=phone, field_problems=exc.fields)
            return render(request, "participation/public/answer.html", ctx, status=exc.status)
        return redirect(reverse("participation_public:thanks", args=[c.pk]))
    return render(request, "participation/public/answer.html", ctx)


@require_POST
@public_view(scope="participation.check_code", rate="10/h")
def check_code(request, pk):
    """Send a check code (htmx: the answer page shows the partial in place)."""
    c = queries.public_consultation(pk)
    try:
        services.send_check_code(consultation=c, phone=request.POST.get("phone", ""))
    except (ValidationFailed, Conflict) as exc:
        # 200 so htmx swaps the message in place (it ignores 4xx bodies by default)
        return render(request, "participation/public/_code_sent.html", {"error": exc.message})
    return render(request, "participation/public/_code_sent.html", {"sent": True})


@public_view(scope="participation.index", rate="120/h", methods=("GET",))
def index(request):
    """Open consultations on the federation websites (网站公告), and a place picker: a woman finds
    her village, township or county and sees what is asked of women there."""
    q = request.GET.get("q", "").strip()[:30]
    ctx = {"q": q, "places": queries.public_places(q) if q else [],
           "consultations": [] if q else queries.open_consultations_public()}
    return render(request, "participation/public/index.html", ctx)


@public_view(scope="participation.index", rate="120/h", methods=("GET",))
def place(request, unit_id):
    """What one place's women are asked now: consultations whose audience covers the place."""
    unit = queries.public_place(unit_id)
    return render(request, "participation/public/place.html",
                  {"unit": unit, "consultations": queries.open_consultations_for_unit(unit)})


def thanks(request, pk):
    try:
        c = queries.public_consultation(pk)
    except NotFound as exc:  # a draft or a made-up id: the site's 404, not a 500
        raise Http404(exc.message) from exc
    return render(request, "participation/public/thanks.html", {"c": c})


def _qr(data: str, kind: str) -> HttpResponse:
    qr = segno.make(data, error="m")
    buf = io.BytesIO()
    if kind == "svg":
        qr.save(buf, kind="svg", scale=6, border=2, dark="#222")
        return HttpResponse(buf.getvalue(), content_type="image/svg+xml")
    qr.save(buf, kind="png", scale=8, border=2)
    return HttpResponse(buf.getvalue(), content_type="image/png")


@cache_control(max_age=3600)
@public_view(scope="participation.qr", methods=())
def consultation_qr(request, pk, kind):
    """The QR code of the public link (for WeChat posters): SVG or PNG, made by segno."""
    c = queries.public_consultation(pk)
    if not (c.via_wechat or c.via_link):
        raise NotFound(_("该意见征集未开放公开链接或微信答卷"))
    url = request.build_absolute_uri(reverse("participation_public:answer", args=[c.pk])) + "?via=wechat"
    return _qr(url, kind)


# ---------------------------------------------------------------- suggestion box


@public_view(scope="participation.suggestion", rate="20/h")
def box(request, unit_id):
    unit = queries.public_place(unit_id)
    ctx = {"unit": unit, "key": form_key(), "exchanges": queries.public_exchanges(unit), "form": {},
           "consultations": queries.open_consultations_for_unit(unit)}
    if request.method == "POST":
        p = request.POST
        anonymous = p.get("anonymous", "1") == "1"
        try:
            s, _ = services.submit_suggestion(federation=unit, text=p.get("text", ""), channel=_channel(request),
                                              key=p.get("key", ""), contact_name=p.get("contact_name", ""),
                                              contact_phone=p.get("contact_phone", ""), anonymous=anonymous)
        except ValidationFailed as exc:
            ctx.update(message=exc.message, fields=exc.fields, form=p, key=p.get("key"))
            return render(request, "participation/public/box.html", ctx, status=exc.status)
        return render(request, "participation/public/box_sent.html", {"unit": unit, "s": s})
    return render(request, "participation/public/box.html", ctx)


@public_view(scope="participation.track", rate="30/h", methods=("GET",))
def track(request):
    """The submitter reads the reply with her tracking code (no contact details shown)."""
    code = request.GET.get("code", "")
    s = services.suggestion_by_code(code) if code else None
    return render(request, "participation/public/track.html", {"s": s, "code": code, "asked": bool(code)})


# ---------------------------------------------------------------- activities


@public_view(scope="participation.register", rate="20/h")
def activity(request, pk):
    a = queries.public_activity(pk)
    figures = queries.activity_figures(a)
    ctx = {"a": a, "figures": figures, "left": max(0, a.capacity - figures.registered), "key": form_key(),
           "form": {}, "closed": services.registration_refusal(a)}
    if request.method == "POST":
        p = request.POST
        try:
            reg, _ = services.register(activity=a, name=p.get("name", ""), phone=p.get("phone", ""),
                                       key=p.get("key", ""), channel=_channel(request))
        except (ValidationFailed, Conflict) as exc:
            ctx.update(message=exc.message, fields=exc.fields, form=p, key=p.get("key"))
            return render(request, "participation/public/activity.html", ctx, status=exc.status)
        return redirect(reverse("participation_public:mine") + f"?code={reg.tracking_code}&new=1")
    return render(request, "participation/public/activity.html", ctx)


@public_view(scope="participation.mine", rate="30/h", methods=("GET", "POST"))
def mine(request):
    """Her registration by tracking code: status, cancel, and the rating form after the activity."""
    code = request.GET.get("code") or request.POST.get("code") or ""
    reg = services.registration_by_code(code) if code else None
    ctx = {"reg": reg, "code": code, "new": request.GET.get("new") == "1", "scale": range(1, 6),
           "key": request.POST.get("key") or form_key()}
    if reg is not None:
        ctx["rated"] = Rating.objects.filter(registration=reg).exists()
        ctx["may_rate"] = reg.status == "attended" and not ctx["rated"] and reg.activity.day <= activity_today()
    if request.method == "POST" and reg is not None:
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.registration_cancel(registration=reg)
                return redirect(reverse("participation_public:mine") + f"?code={reg.tracking_code}")
            if action == "rate":
                services.rating_submit(registration=reg, score=query_int(request.POST.get("score")),
                                       comment=request.POST.get("comment", ""), key=request.POST.get("key", ""))
                return redirect(reverse("participation_public:mine") + f"?code={reg.tracking_code}")
        except (ValidationFailed, Conflict) as exc:
            ctx["message"] = exc.message
            return render(request, "participation/public/mine.html", ctx, status=exc.status)
    return render(request, "participation/public/mine.html", ctx)



