"""Catalogue, providers and service orders pages (thin: parse, query, call a service, render)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from niangjia.core.errors import ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import require
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    act,
    export_requested,
    export_url,
    first_page_url,
    form_errors_from,
    form_status,
    list_page,
    posted_version,
    query_date,
    query_int,
    submit,
    web_view,
)
from niangjia.org import queries as org_queries

from .. import exports, queries, rules, services
from ..forms import ProviderForm, ServiceForm
from ..models import Category, ServiceOrder
from . import render


@web_view("needs.view")
def catalogue(request):
    """服务目录: the services in reach, and (for managers) the form to add one."""
    category = request.GET.get("category") if request.GET.get("category") in Category.values else ""
    show_all = request.GET.get("all") == "1"
    qs = queries.services_for(request.user, category=category, active=None if show_all else True)
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, gettext("服务目录"), gettext("服务目录"), exports.CATALOGUE_HEADERS,
                             exports.catalogue_rows(qs.order_by("category", "name", "id")[:EXPORT_MAX_ROWS]))
    page, sort, next_url = list_page(request, qs, sorts={"name": (gettext("类别与名称"), ("category", "name", "id"))},
                                     default="name")
    units = org_queries.unit_options_for(request.user)
    form = ServiceForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        require(request.user, "needs.manage")
        if form.is_valid():
            d = form.cleaned_data
            try:
                unit = org_queries.get_federation_for(request.user, d["unit"])
                svc = services.service_create(actor=request.user, unit=unit, name=d["name"], category=d["category"],
                                              description=d["description"],
                                              government_purchased=d["government_purchased"])
            except ValidationFailed as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, gettext("已新增服务：{name}").format(name=svc.name))
                return redirect("needs:catalogue")
        status = 400
    return render(request, "needs/catalogue.html",
                  {"page": page, "next_url": next_url, "first_url": first_page_url(request), "form": form,
                   "category": category, "categories": Category.choices, "show_all": show_all,
                   "export_url": export_url(request)}, status=status)


@web_view("needs.manage")
def service_edit(request, pk):
    """Rename or re-describe a service (versioned)."""
    svc = queries.get_service_for(request.user, pk, write=True)
    fields = ("name", "category", "description", "government_purchased")
    form = ServiceForm(request.POST or None, units=[svc.unit], initial={"unit": svc.unit_id,
                                                                        **{f: getattr(svc, f) for f in fields}})
    form.fields["unit"].disabled = True
    done = submit(request, form, lambda d: services.service_update(
        actor=request.user, service=svc, version=posted_version(request), **{f: d[f] for f in fields}),
        message=lambda _: gettext("已保存：{name}").format(name=svc.name), success=lambda _: redirect("needs:catalogue"))
    return done or render(request, "needs/service_form.html", {"form": form, "svc": svc}, status=form_status(form))


@require_POST
@web_view("needs.manage")
def service_toggle(request, pk):
    svc = queries.get_service_for(request.user, pk, write=True)
    return _toggle(request, svc, svc.name, lambda **change: services.service_update(
        actor=request.user, service=svc, version=posted_version(request), **change), back=reverse("needs:catalogue"))


def _toggle(request, obj, name: str, update, *, back: str):
    """启用 / 停用 `obj` by `update(is_active=…)`; the outcome (or the refusal) as a message."""
    return act(request, lambda: update(is_active=not obj.is_active), back=back,
               message=lambda _: (gettext("已启用：{name}") if obj.is_active else gettext("已停用：{name}")).format(name=name))


def _provider_form(request, data=None, initial=None):
    orgs = org_queries.organisations_for(request.user).order_by("unit__path", "name")[:300]
    svcs = queries.services_for(request.user).order_by("category", "name")[:300]
    return ProviderForm(data, initial=initial, organisations=orgs, services=svcs,
                        units=org_queries.unit_options_for(request.user))


def _links(request, d):
    svcs = [queries.get_service_for(request.user, pk) for pk in d["services"]]
    areas = [org_queries.get_federation_for(request.user, pk) for pk in d["areas"]]
    return svcs, areas


@web_view("needs.view")
def providers(request):
    """服务机构: providers in reach, what they offer and where; managers add one from a partner organisation."""
    g = request.GET
    f = {"q": g.get("q", "").strip()[:50], "category": g.get("category") if g.get("category") in Category.values
         else "", "active": {"1": True, "0": False}.get(g.get("active", ""))}
    qs = queries.providers_for(request.user, active=f["active"], q=f["q"], category=f["category"])
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, gettext("服务机构"), gettext("服务机构"), exports.PROVIDER_HEADERS,
                             exports.provider_rows(qs.order_by("org_name", "id")[:EXPORT_MAX_ROWS]))
    page, sort, next_url = list_page(request, qs, sorts=queries.PROVIDER_SORTS, default="name")
    form = _provider_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        require(request.user, "needs.manage")
        if form.is_valid():
            d = form.cleaned_data
            try:
                organisation = org_queries.get_organisation_for(request.user, d["organisation"])
                svcs, areas = _links(request, d)
                p = services.provider_create(actor=request.user, organisation=organisation, services=svcs,
                                             areas=areas, note=d["note"])
            except ValidationFailed as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, gettext("已登记服务机构：{name}").format(name=p.organisation.name))
                return redirect("needs:providers")
        status = 400
    return render(request, "needs/providers.html", {
        "page": page, "next_url": next_url, "first_url": first_page_url(request), "form": form, "f": f,
        "active_raw": g.get("active", ""), "categories": Category.choices, "sort": sort,
        "sorts": queries.PROVIDER_SORTS, "export_url": export_url(request)}, status=status)


@web_view("needs.manage")
def provider_edit(request, pk):
    provider = queries.get_provider_for(request.user, pk, write=True)
    initial = {"organisation": provider.organisation_id, "services": [s.pk for s in provider.services.all()],
               "areas": [a.area_id for a in provider.areas.all()], "note": provider.note}
    form = _provider_form(request, request.POST or None, initial=initial)
    form.fields["organisation"].disabled = True

    def save(d):
        svcs, areas = _links(request, d)
        services.provider_update(actor=request.user, provider=provider, version=posted_version(request),
                                 services=svcs, areas=areas, note=d["note"])

    done = submit(request, form, save, message=gettext("已保存：{name}").format(name=provider.organisation.name),
                  success=lambda _: redirect("needs:providers"))
    return done or render(request, "needs/provider_form.html", {"form": form, "provider": provider},
                          status=form_status(form))


@require_POST
@web_view("needs.manage")
def provider_toggle(request, pk):
    """停用 / 启用 a provider (the page asks first before a deactivation)."""
    provider = queries.get_provider_for(request.user, pk, write=True)
    back = request.POST.get("next", "")
    return _toggle(request, provider, provider.organisation.name, lambda **change: services.provider_update(
        actor=request.user, provider=provider, version=posted_version(request), **change),
        back=back if back.startswith("/needs/") else reverse("needs:providers"))


@web_view("needs.view")
def orders(request):
    """服务订单: orders in reach by status, with their steps for handlers."""
    g = request.GET
    status = g.get("status") if g.get("status") in ServiceOrder.Status.values else ""
    providers = list(queries.providers_for(request.user, active=None).order_by("org_name", "id")[:200])
    provider = next((p for p in providers if str(p.pk) == g.get("provider", "")), None)
    f = {"category": g.get("category") if g.get("category") in Category.values else "", "provider": provider,
         "start": query_date(g.get("start")), "end": query_date(g.get("end"))}
    qs = queries.orders_for(request.user, status=status, **f)
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, gettext("服务订单"), gettext("服务订单"), exports.ORDER_HEADERS,
                             exports.order_rows(qs.order_by("-ordered_at", "-id")[:EXPORT_MAX_ROWS]))
    page, sort, next_url = list_page(request, qs, sorts=queries.ORDER_SORTS, default="new")
    for o in page.items:
        o.steps = rules.order_steps_from(o.status)
    return render(request, "needs/orders.html",
                  {"page": page, "next_url": next_url, "first_url": first_page_url(request), "status": status,
                   "statuses": ServiceOrder.Status.choices, "sort": sort, "sorts": queries.ORDER_SORTS, "f": f,
                   "providers": providers, "categories": Category.choices, "export_url": export_url(request)})


ORDER_CALLS = {
    "accept": lambda r, o: services.order_accept(actor=r.user, order=o, version=posted_version(r)),
    "deliver": lambda r, o: services.order_deliver(actor=r.user, order=o, version=posted_version(r),
                                                      outcome=r.POST.get("outcome", "")),
    "decline": lambda r, o: services.order_decline(actor=r.user, order=o, version=posted_version(r),
                                                      reason=r.POST.get("reason", "")),
    "cancel": lambda r, o: services.order_cancel(actor=r.user, order=o, version=posted_version(r), reason=r.POST.get("reason", "")),
    "rate": lambda r, o: services.order_rate(actor=r.user, order=o, rating=query_int(r.POST.get("rating")),
                                                comment=r.POST.get("comment", "")),
}


@require_POST
@web_view("needs.handle")
def order_step(request, pk, step):
    order = queries.get_order_for(request.user, pk)
    call = ORDER_CALLS.get(step)
    back = request.POST.get("next", "")
    back = back if back.startswith("/needs/") else reverse("needs:orders")
    if call is None:
        return redirect(back)
    return act(request, lambda: call(request, order), back=back,
               message=gettext("已录入评价") if step == "rate" else gettext("订单已{label}").format(label=rules.ORDER_PIPELINE[step].label))
