"""Staff pages of activities: list, form, the activity page (co-designers, ideas, registrations
with the waiting list, attendance, ratings, figures)."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core.access import get_for
from niangjia.core.errors import ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.public import form_key
from niangjia.core.roles import has_perm, require
from niangjia.core.web import (
    act,
    export_requested,
    export_url,
    first_page_url,
    form_errors_from,
    form_status,
    list_page,
    posted_version,
    query_int,
    submit,
    unit_of,
    web_view,
)
from niangjia.org import queries as org_queries
from niangjia.people.models import Person

from .. import charts, queries, services
from ..forms import ActivityForm
from ..models import Activity, Channel
from ..services.activities import today

SORTS = {"day": (gettext_lazy("活动日期（新→旧）"), ("-day", "-id")), "soon": (gettext_lazy("活动日期（旧→新）"), ("day", "id"))}
FIELDS = ("title", "description", "place", "day", "start_time", "capacity", "status", "design_notes")


@web_view("participation.view")
def activity_list(request):
    unit, status, q = unit_of(request), request.GET.get("status", ""), request.GET.get("q", "").strip()[:50]
    qs = queries.activities_for(request.user, unit=unit, status=status, q=q)
    if export_requested(request):
        require(request.user, "export")
        rows = ([a.title, a.unit.name, a.day, a.place, a.capacity, a.get_status_display(),
                 a.consultation.title if a.consultation else ""] for a in qs.order_by("-day", "-id")[:50_000])
        return xlsx_response(request, _("共创活动"), _("共创活动"), [_("活动"), _("主办组织"), _("日期"), _("地点"), _("名额"), _("状态"), _("依据的意见征集")],
                             rows)
    page, sort, next_url = list_page(request, qs, sorts=SORTS, default="day")
    ctx = {"section": "activities", "page": page, "sort": sort, "sorts": SORTS, "next_url": next_url, "q": q,
           "first_url": first_page_url(request), "unit": unit, "status": status, "statuses": Activity.Status.choices,
           "unit_options": org_queries.unit_options_for(request.user, selected=unit),
           "export_url": export_url(request)}
    return render(request, "participation/activities.html", ctx)


def _form(request, initial=None, activity=None):
    units = [activity.unit] if activity else org_queries.unit_options_for(request.user)
    cons = queries.consultations_for(request.user).filter(published=True).order_by("-opens_on")[:50]
    return ActivityForm(request.POST or None, initial=initial, units=units, consultations=cons)


def _consultation(request, raw):
    return queries.get_consultation_for(request.user, raw) if raw else None


@web_view("participation.manage")
def activity_new(request):
    initial = {"status": Activity.Status.PLANNED, "consultation": request.GET.get("consultation")}
    form = _form(request, initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            unit = org_queries.get_federation_for(request.user, d["unit"])
            a = services.activity_create(actor=request.user, unit=unit, consultation=_consultation(request, d["consultation"]),
                                         **{f: d[f] for f in FIELDS})
        except ValidationFailed as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已创建活动"))
            return redirect("participation:activity", pk=a.pk)
    return render(request, "participation/activity_form.html", {"form": form, "section": "activities"})


@web_view("participation.manage")
def activity_edit(request, pk):
    a = queries.get_activity_for(request.user, pk, write=True)
    form = _form(request, {f: getattr(a, f) for f in FIELDS} | {"unit": a.unit_id, "consultation": a.consultation_id},
                 activity=a)
    form.fields["unit"].disabled = True
    done = submit(request, form, lambda d: services.activity_update(
        actor=request.user, activity=a, version=posted_version(request),
        changes={f: d[f] for f in FIELDS} | {"consultation": _consultation(request, d["consultation"])}),
        message=_("已保存"), success=lambda _: redirect("participation:activity", pk=a.pk))
    return done or render(request, "participation/activity_form.html",
                          {"form": form, "a": a, "section": "activities"},
                          status=form_status(form))


@web_view("participation.view")
def activity_detail(request, pk):
    a = queries.get_activity_for(request.user, pk)
    figures = queries.activity_figures(a)
    regs = list(queries.registrations_of(a))
    rated = set(a.ratings.values_list("registration_id", flat=True))
    ctx = {"a": a, "figures": figures, "section": "activities",
           "confirmed": [r for r in regs if r.status in ("confirmed", "attended", "absent")],
           "waiting": [r for r in regs if r.status == "waiting"],
           "cancelled": [r for r in regs if r.status == "cancelled"], "rated": rated,
           "ratings": list(a.ratings.select_related("registration").order_by("-id")[:50]),
           "codesigners": list(a.co_designers.select_related("person")), "ideas": list(a.ideas.all()[:50]),
           "chart": json.dumps(charts.registration_chart(figures), ensure_ascii=False, cls=DjangoJSONEncoder),
           "public_url": request.build_absolute_uri(reverse("participation_public:activity", args=[a.pk])),
           "held": a.day <= _today(), "key": form_key(),
           "registration_closed": services.registration_refusal(a),
           "late_entry": not services.registration_refusal(a, after_the_fact=True)}
    return render(request, "participation/activity.html", ctx)


def _today():
    return today()


def _url(a, anchor=""):
    return reverse("participation:activity", args=[a.pk]) + anchor


def _back(a, anchor=""):
    return redirect(reverse("participation:activity", args=[a.pk]) + anchor)


@require_POST
@web_view("participation.manage")
def codesigner_add(request, pk):
    a = queries.get_activity_for(request.user, pk, write=True)
    person_id = query_int(request.POST.get("person"))

    def add():
        person = get_for(Person.visible.all(), request.user, person_id) if person_id else None
        return services.codesigner_add(actor=request.user, activity=a, person=person,
                                       name=request.POST.get("name", ""),
                                       contribution=request.POST.get("contribution", ""))

    return act(request, add, back=_url(a, "#codesigners"), message=_("已添加共同设计者"))


@require_POST
@web_view("participation.manage")
def codesigner_remove(request, pk, did):
    a = queries.get_activity_for(request.user, pk, write=True)
    d = a.co_designers.filter(pk=did).first()
    if d is not None:
        services.codesigner_remove(actor=request.user, codesigner=d)
        messages.success(request, _("已移除"))
    return _back(a, "#codesigners")


@require_POST
@web_view("participation.manage")
def idea_add(request, pk):
    a = queries.get_activity_for(request.user, pk, write=True)
    return act(request, lambda: services.idea_add(actor=request.user, unit=a.unit, activity=a,
                                                  consultation=a.consultation, text=request.POST.get("text", "")),
               back=_url(a, "#ideas"), message=_("已添加点子"))


@require_POST
@web_view("participation.manage")
def registration_add(request, pk):
    """A cadre registers a woman who came by phone or in person (or, once the activity has
    started, enters its sign-in sheet after the fact)."""
    a = queries.get_activity_for(request.user, pk, write=True)
    late = request.POST.get("after_the_fact") == "1"
    return act(request, lambda: services.register(
        activity=a, name=request.POST.get("name", ""), phone=request.POST.get("phone", ""),
        key=request.POST.get("key", ""), channel=Channel.PAPER, actor=request.user, after_the_fact=late)[0],
        back=_url(a, "#registrations"),
        message=lambda reg: _("已为{name}{late}报名（{status}）").format(name=reg.name, late=_('补录') if late else '', status=reg.get_status_display()))


@require_POST
@web_view("participation.manage")
def registration_cancel(request, pk):
    reg = queries.get_registration_for(request.user, pk, write=True)
    def said(promoted) -> str:
        extra = _("；候补 {promoted} 已递补").format(promoted='、'.join(r.name for r in promoted)) if promoted else ""
        return _("已取消{name}的报名{extra}").format(name=reg.name, extra=extra)

    return act(request, lambda: services.registration_cancel(registration=reg, actor=request.user),
               back=_url(reg.activity, "#registrations"), message=said)


@require_POST
@web_view("participation.manage")
def attendance(request, pk):
    reg = queries.get_registration_for(request.user, pk, write=True)
    return act(request, lambda: services.attendance_mark(actor=request.user, registration=reg,
                                                         attended=request.POST.get("attended") == "1"),
               back=_url(reg.activity, f"#reg-{reg.pk}"))


@web_view("participation.view")
def registrations_export(request, pk):
    a = queries.get_activity_for(request.user, pk)
    require(request.user, "export")
    rated = dict(a.ratings.values_list("registration_id", "score"))
    rows = ([r.pk, r.name, r.phone_mask, r.get_status_display(), r.get_channel_display(), r.day, rated.get(r.pk, "")]
            for r in queries.registrations_of(a))
    return xlsx_response(request, _("报名名单-{title}").format(title=a.title)[:60], _("报名名单"), [_("编号"), _("姓名"), _("电话"), _("状态"), _("渠道"), _("报名日期"), _("评分")],
                         rows)



# ---------------------------------------------------------------- ideas (活动点子)


IDEA_SORTS = {"new": (gettext_lazy("最新"), ("-created_at", "-id")), "old": (gettext_lazy("最早"), ("created_at", "id"))}


@web_view("participation.view")
def idea_list(request):
    """Ideas for activities (typed in or taken from consultation answers): filter, add, export."""
    unit, q, source = unit_of(request), request.GET.get("q", "").strip()[:50], request.GET.get("source", "")
    qs = queries.ideas_for(request.user, unit=unit, q=q, source=source)
    if export_requested(request):
        require(request.user, "export")
        rows = ([i.pk, i.text, i.unit.name, i.activity.title if i.activity else "",
                 i.consultation.title if i.consultation else "", i.created_at]
                for i in qs.order_by("-created_at", "-id")[:50_000])
        return xlsx_response(request, _("活动点子"), _("活动点子"), [_("编号"), _("点子"), _("组织"), _("用于活动"), _("来自意见征集"), _("记录时间")], rows)
    page, sort, next_url = list_page(request, qs, sorts=IDEA_SORTS, default="new")
    activities = list(queries.activities_for(request.user).exclude(status="cancelled").order_by("-day", "-id")[:50]) \
        if has_perm(request.user, "participation.manage") else []
    ctx = {"section": "ideas", "page": page, "sort": sort, "sorts": IDEA_SORTS, "next_url": next_url, "q": q,
           "first_url": first_page_url(request), "unit": unit, "source": source, "sources": queries.IDEA_SOURCES,
           "unit_options": org_queries.unit_options_for(request.user, selected=unit), "activities": activities,
           "export_url": export_url(request), "form": {}}
    return render(request, "participation/ideas.html", ctx)


@require_POST
@web_view("participation.manage")
def idea_new(request):
    """Type in an idea for a federation (optionally for one of its activities)."""
    p = request.POST

    def add():
        unit = org_queries.get_federation_for(request.user, query_int(p.get("unit")))
        activity_id = query_int(p.get("activity"))
        activity = queries.get_activity_for(request.user, activity_id, write=True) if activity_id else None
        return services.idea_add(actor=request.user, unit=activity.unit if activity else unit, text=p.get("text", ""),
                                 activity=activity, consultation=activity.consultation if activity else None)

    return act(request, add, back=reverse("participation:ideas"), message=_("已记录点子"))
