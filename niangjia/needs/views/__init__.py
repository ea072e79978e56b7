"""Needs ledger pages: thin views that parse input, read through queries, write through services."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from niangjia.core import periods
from niangjia.core.errors import Forbidden, NotFound, ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.search_terms import search_words
from niangjia.core.web import (
    act,
    export_requested,
    export_url,
    first_page_url,
    form_errors_from,
    form_status,
    list_page,
    once,
    posted_version,
    submit,
    unit_of,
    web_view,
)
from niangjia.org import queries as org_queries
from niangjia.people import queries as people_queries

from .. import counts, queries, rules, services
from ..forms import NeedEditForm, NeedForm, RateForm
from ..models import Category, Need, Service, ServiceProvider


def render(request, template, ctx=None, status=200):
    """Django's render (the pages ask what the user may do through {{ user|can:'…' }}, core.access.may)."""
    return django_render(request, template, ctx or {}, status=status)


def _json(option: dict) -> str:
    return json.dumps(option, ensure_ascii=False, cls=DjangoJSONEncoder)


def _filters(request) -> dict:
    g = request.GET
    pick = {"status": Need.Status.values, "category": Category.values, "channel": Need.Channel.values,
            "urgency": Need.Urgency.values}
    out = {k: (g.get(k) if g.get(k) in allowed else "") for k, allowed in pick.items()}
    out.update(overdue=g.get("overdue") == "1", escalated=g.get("escalated") == "1", mine=g.get("mine") == "1",
               to_me=g.get("to_me") == "1", q=g.get("q", "").strip()[:50])
    return out


# ---------------------------------------------------------------- the ledger


@web_view("needs.view")
def ledger(request):
    """需求台账: filters, counts, the chart by category and status, a keyset page, Excel export."""
    unit, f, now = unit_of(request), _filters(request), periods.now()
    qs = queries.needs_for(request.user, unit=unit, status=f["status"], category=f["category"], channel=f["channel"],
                           urgency=f["urgency"], overdue=f["overdue"], escalated=f["escalated"], q=f["q"],
                           assignee=request.user if f["mine"] else None, escalated_to_me=f["to_me"], now=now)
    if export_requested(request):
        require(request.user, "export")
        sort = request.GET.get("sort") if request.GET.get("sort") in queries.NEED_SORTS else "new"
        return xlsx_response(request, gettext("需求台账"), gettext("需求台账"), queries.EXPORT_HEADERS,
                             queries.export_rows(qs.order_by(*queries.NEED_SORTS[sort][1]), now))
    page, sort, next_url = list_page(request, qs, sorts=queries.NEED_SORTS, default="new")
    queries.with_overdue(page.items, now)
    c = counts.counts_for(request.user, unit=unit, now=now)
    rows = queries.chart_rows(counts.status_table(c))
    ctx = {"page": page, "sort": sort, "next_url": next_url, "first_url": first_page_url(request), "f": f,
           "unit": unit, "unit_options": org_queries.unit_options_for(request.user, selected=unit),
           "sorts": queries.NEED_SORTS, "counts": c, "rows": rows,
           "chart": json.dumps(queries.chart_option(rows), ensure_ascii=False, cls=DjangoJSONEncoder) if rows else "",
           "channel_chart": _json(counts.channel_chart_option(c)) if c["total"] else "",
           "overdue_chart": _json(counts.overdue_chart_option(c)) if c["escalated"] else "",
           "statuses": list(rules.STATUS_NAMES.items()), "categories": Category.choices,
           "channels": Need.Channel.choices, "urgencies": Need.Urgency.choices,
           "export_url": export_url(request)}
    return render(request, "needs/ledger.html", ctx)


def _picked_person(request, raw):
    """The person chosen in the picker (people.queries: in reach, case parties only for those on her case)."""
    if raw in (None, ""):
        return None
    try:
        return people_queries.get_person_for(request.user, raw)
    except (NotFound, Forbidden) as exc:  # the picker's answer, not the page's: a field error on the form
        raise ValidationFailed(gettext("提出人不存在或不在您的管辖范围内"), fields={"person": gettext("请重新选择")}) from exc


@web_view("needs.handle")
def need_new(request):
    units = org_queries.unit_options_for(request.user)
    form = NeedForm(request.POST or None, units=units, initial={"day": periods.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                unit = org_queries.get_federation_for(request.user, d["unit"])
                need = once(request, "needs.need", lambda: services.need_create(
                    actor=request.user, unit=unit, category=d["category"], urgency=d["urgency"], channel=d["channel"],
                    description=d["description"], day=d["day"], contact_name=d["contact_name"],
                    contact_phone=d["contact_phone"], person=_picked_person(request, d["person"])))
            except ValidationFailed as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, gettext("已登记需求，查询码 {code_display}").format(code_display=need.code_display))
                return redirect("needs:detail", pk=need.pk)
        status = 400
    return render(request, "needs/need_form.html", {"form": form, "current_person": _form_person(request, form)},
                  status=status)


def _form_person(request, form):
    """The person already picked (a re-shown form keeps her checked)."""
    raw = form.data.get("person") if form.is_bound else form.initial.get("person")
    try:
        return _picked_person(request, raw)
    except ValidationFailed:
        return None


@web_view("needs.handle")
def need_edit(request, pk):
    """修改: category, urgency, description, place and the woman of an open need (versioned)."""
    need = queries.get_need_for(request.user, pk, perm="needs.handle")
    units = org_queries.unit_options_for(request.user, selected=need.unit)
    form = NeedEditForm(request.POST or None, units=units, initial={
        "unit": need.unit_id, "category": need.category, "urgency": need.urgency, "description": need.description,
        "person": need.person_id})
    done = submit(request, form, lambda d: services.need_update(
        actor=request.user, need=need, version=posted_version(request),
        unit=org_queries.get_federation_for(request.user, d["unit"]), category=d["category"], urgency=d["urgency"],
        description=d["description"], person=_picked_person(request, d["person"])),
        message=gettext("已保存修改"), success=lambda _: redirect("needs:detail", pk=need.pk))
    return done or render(request, "needs/need_edit.html", {"form": form, "need": need,
                                                            "current_person": _form_person(request, form)},
                          status=form_status(form))


@web_view("needs.handle")
def person_options(request):
    """Persons in reach matching `person_q`, as radio buttons for the need forms' picker (htmx; the page
    posts the words, so a phone or ID number never sits in a URL)."""
    q = search_words(request, "person_q")
    persons = list(people_queries.persons_for(request.user, q=q, where="needs")[:8]) if q and has_perm(
        request.user, "people.view") else []
    return django_render(request, "needs/partials/_person_options.html", {"persons": persons, "q": q})


# ---------------------------------------------------------------- one need


def _detail_ctx(request, need: Need) -> dict:
    user = request.user
    offers = []
    if has_perm(user, "needs.handle") and rules.order_status_for_need(need.status) == "":
        for svc in queries.services_available_at(need.unit):
            for p in queries.providers_covering(need.unit, svc):
                offers.append({"value": f"{svc.pk}:{p.pk}", "label": f"{svc.name} · {p.organisation.name}",
                               "preferred": need.requested_service_id == svc.pk})
    return {"need": need, "offers": offers,
            "overdue": rules.is_overdue(need.status, need.deadline, periods.now()),
            "assignees": queries.assignee_options(need) if "assign" in {s.name for s in rules.PIPELINE.allowed(user, need)} else [],
            "orders": list(queries.orders_for(user, need=need).order_by("ordered_at", "id")),
            "order_steps": {s.name: s for s in rules.ORDER_PIPELINE.values()},
            "rate_form": RateForm(), "rating_names": rules.RATING_NAMES}


@web_view("needs.view")
def need_detail(request, pk):
    need = queries.get_need_for(request.user, pk)
    return render(request, "needs/detail.html", _detail_ctx(request, need))


STEP_CALLS = {
    "assign": lambda r, n, v: services.need_assign(actor=r.user, need=n, version=v,
                                                   assignee=_assignee(r.POST.get("assignee")),
                                                   note=r.POST.get("note", "")),
    "start": lambda r, n, v: services.need_start(actor=r.user, need=n, version=v),
    "resolve": lambda r, n, v: services.need_resolve(actor=r.user, need=n, version=v,
                                                     resolution=r.POST.get("resolution", "")),
    "refer": lambda r, n, v: services.need_refer(actor=r.user, need=n, version=v, target=r.POST.get("target", "")),
    "close": lambda r, n, v: services.need_close(actor=r.user, need=n, version=v, reason=r.POST.get("reason", "")),
}


def _assignee(raw):
    user = get_user_model().objects.filter(pk=raw).first() if str(raw or "").isdigit() else None
    if user is None:
        raise ValidationFailed(services.MSG_ASSIGNEE, fields={"assignee": services.MSG_ASSIGNEE})
    return user


@require_POST
@web_view("needs.view")
def need_step(request, pk, step):
    """One pipeline step from the detail page; a refusal comes back as a message naming what is wrong."""
    need = queries.get_need_for(request.user, pk)
    call = STEP_CALLS.get(step)
    if call is None:
        return redirect("needs:detail", pk=pk)
    return act(request, lambda: call(request, need, posted_version(request)),
               back=reverse("needs:detail", args=[pk]), message=gettext("已{label}").format(label=rules.PIPELINE[step].label))


@require_POST
@web_view("needs.handle")
def need_order(request, pk):
    """派单 from the detail page: the chosen "service:provider" pair."""
    need = queries.get_need_for(request.user, pk)
    svc_id, _, prov_id = (request.POST.get("offer") or "").partition(":")
    svc = Service.objects.filter(pk=svc_id).first() if svc_id.isdigit() else None
    provider = ServiceProvider.objects.select_related("organisation").filter(pk=prov_id).first() \
        if prov_id.isdigit() else None

    def order():
        if svc is None or provider is None:
            raise ValidationFailed(gettext("请选择服务和服务机构"), fields={"offer": gettext("请选择")})
        return services.order_create(actor=request.user, need=need, service=svc, provider=provider,
                                     note=request.POST.get("note", ""), version=posted_version(request))

    return act(request, order, back=reverse("needs:detail", args=[pk]),
               message=lambda _: gettext("已派单：{name} · {name2}").format(name=svc.name, name2=provider.organisation.name))


@require_POST
@web_view("needs.handle")
def need_rate(request, pk):
    need = queries.get_need_for(request.user, pk)
    form = RateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(gettext("请选择评价（1–5 分）"), fields={"rating": gettext("请选择")})
        services.need_rate(actor=request.user, need=need, rating=form.cleaned_data["rating"],
                           comment=form.cleaned_data["comment"])
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已录入评价"))
    return redirect("needs:detail", pk=pk)


@require_POST
@web_view("needs.handle")
def need_contact(request, pk):
    """Show the contact in clear on this response only (audited; never stored in the session)."""
    need = queries.get_need_for(request.user, pk)
    contact = services.contact_reveal(actor=request.user, need=need)
    return render(request, "needs/detail.html", {**_detail_ctx(request, need), "contact": contact})


# ---------------------------------------------------------------- home panel


def home_panel(request) -> str:
    """Overdue needs in the user's reach (a count and the five nearest), and how many are assigned to her."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not has_perm(user, "needs.view"):
        return ""
    now = periods.now()
    overdue_qs = queries.needs_for(user, overdue=True, now=now)
    overdue = list(overdue_qs.order_by("deadline", "id")[:5])
    total = overdue_qs.count() if len(overdue) == 5 else len(overdue)
    mine = queries.needs_for(user, assignee=user).filter(status__in=rules.OPEN).count()
    if not overdue and not mine:
        return ""
    return render_to_string("needs/partials/_home_panel.html",
                            {"overdue": overdue, "total": total, "mine": mine, "ledger": reverse("needs:ledger")},
                            request=request)
