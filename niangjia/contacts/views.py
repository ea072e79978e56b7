"""Contact pages: my plans (phone-first cards, htmx in place) and the leaders' counts table.

Thin: parse input, fetch through contacts.queries, call contacts.services, render. The
need-to-know rule lives in queries/services: these views only ask `may_see_details`.
"""

import json
from datetime import date

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core.access import get_for
from niangjia.core.errors import ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.search_terms import search_words
from niangjia.core.web import (
    act,
    export_requested,
    export_url,
    first_page_url,
    form_status,
    list_page,
    once,
    posted_version,
    query_date,
    query_int,
    submit,
    web_view,
)
from niangjia.org import queries as org_queries
from niangjia.org.models import Federation, Site
from niangjia.people.models import Person

from . import charts, queries, rules, services
from .forms import PlanForOtherForm
from .models import Channel, Kind

PAGE_SIZE = 30


def _is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


# ---------------------------------------------------------------- my plans


def _contact_points(user) -> list[Site]:
    return list(org_queries.sites_for(user, kind=Site.Kind.CONTACT_POINT)[:100])


@web_view()
def my_plans(request):
    user = request.user
    if not (has_perm(user, "contacts.record") or has_perm(user, "contacts.view")):
        require(user, "contacts.record")
    year = query_int(request.GET.get("year")) or services.today().year
    views = queries.my_plans(user, year=year)
    existing = {v.plan.kind for v in views}
    ctx = {
        "views": views, "year": year, "years": range(services.today().year + 1, services.today().year - 4, -1),
        "has_person": bool(user.person_id),
        "kinds_left": [(k, label) for k, label in Kind.choices if k not in existing],
        "channels": Channel.choices, "today": services.today(), "contact_points": _contact_points(user),
        "my_units": _overview_units(user),
    }
    return render(request, "contacts/my_plans.html", ctx)


def _overview_units(user) -> list[Federation]:
    if not has_perm(user, "contacts.view"):
        return []
    return org_queries.tree_roots_for(user)[:5]


@require_POST
@web_view("contacts.record")
def plan_create_own(request):
    user = request.user
    if not user.person_id:
        raise ValidationFailed(_("您的账号没有关联人员，请联系管理员关联后再制定计划"))
    unit = org_queries.get_federation_for(user, request.POST.get("unit") or user.person.unit_id)
    site_id = query_int(request.POST.get("contact_point"))
    return act(request, lambda: services.plan_create(
        actor=user, person=user.person, unit=unit, year=query_int(request.POST.get("year")) or services.today().year,
        kind=request.POST.get("kind", ""), wechat_group=request.POST.get("wechat_group", ""),
        contact_point=org_queries.get_site_for(user, site_id) if site_id else None),
        back=reverse("contacts:mine"), message=lambda plan: _("已制定{year}年“{kind}”计划").format(year=plan.year, kind=plan.get_kind_display()),
        then=lambda plan: f"/contacts/?year={plan.year}#plan-{plan.pk}")


@require_POST
@web_view()
def plan_update(request, pk):
    plan = queries.get_plan_for(request.user, pk)
    site_id = query_int(request.POST.get("contact_point"))
    return act(request, lambda: services.plan_update(
        actor=request.user, plan=plan, version=posted_version(request), wechat_group=request.POST.get("wechat_group", ""),
        contact_point=org_queries.get_site_for(request.user, site_id) if site_id else None),
        back=f"/contacts/?year={plan.year}#plan-{plan.pk}", message=_("已保存基层联系点"))


def _target_card(request, target, *, error: str = "", status: int = 200, saved: bool = False):
    """One target's card, re-judged (its plan's check may have changed too)."""
    view = queries.plan_status(request.user, target.plan)
    tv = next((v for v in view.targets if v.target.pk == target.pk), None)
    if tv is None:
        raise Http404()
    ctx = {"tv": tv, "plan_view": view, "channels": Channel.choices, "today": services.today(), "error": error,
           "saved": saved, "own": queries.may_see_details(request.user, target.plan)}
    return render(request, "contacts/partials/_target.html", ctx, status=status)


@web_view()
def event_record(request, pk):
    """GET: the target's contact history (her own plan, or a manager over it); POST: log a contact."""
    target = queries.get_target_for(request.user, pk)
    if request.method != "POST":
        events = queries.events_for(request.user, target, limit=50)
        return render(request, "contacts/partials/_events.html", {"events": events, "t": target})
    day = query_date(request.POST.get("day")) if request.POST.get("day") else services.today()
    try:
        if day is None:
            raise ValidationFailed(_("联系日期格式应为 年-月-日"), fields={"day": _("日期无效")})
        once(request, "contacts.event", lambda: services.event_record(
            actor=request.user, target=target, day=day, channel=request.POST.get("channel", ""),
            note=request.POST.get("note", "")))
    except ValidationFailed as exc:
        if _is_htmx(request):
            return _target_card(request, target, error=exc.message, status=400)
        messages.error(request, exc.message)
    else:
        target.refresh_from_db()
        if _is_htmx(request):
            return _target_card(request, target, saved=True)
        messages.success(request, _("已记录一次联系"))
    return redirect(f"/contacts/?year={target.plan.year}#target-{target.pk}")


@require_POST
@web_view()
def target_reveal(request, pk, field):
    target = queries.get_target_for(request.user, pk)
    if field not in services.REVEALABLE:
        raise Http404()
    value = services.target_reveal(actor=request.user, target=target, field=field)
    return render(request, "contacts/partials/_revealed.html", {"value": value})


@require_POST
@web_view()
def target_remove(request, pk):
    target = queries.get_target_for(request.user, pk)
    return act(request, lambda: services.target_remove(actor=request.user, target=target,
                                                       version=posted_version(request)),
               back=f"/contacts/?year={target.plan.year}#plan-{target.plan_id}", message=_("已移出计划（联系记录保留）"))


@web_view()
def candidates(request, pk):
    """Search records in reach that fit a slot (htmx partial of radio choices, with tags)."""
    plan = queries.get_plan_for(request.user, pk)
    services.require_worker(request.user, plan)
    slot = (request.POST if request.method == "POST" else request.GET).get("slot", "")
    q = search_words(request, "q")
    if slot not in rules.KIND_SLOTS.get(plan.kind, ()):
        return render(request, "contacts/partials/_candidates.html", {"items": [], "slot": ""})
    items = queries.candidates(request.user, plan, slot, q)
    want = rules.SLOT_LINKS[slot][0]
    return render(request, "contacts/partials/_candidates.html", {"items": items, "want": want, "slot": slot, "q": q})


@require_POST
@web_view()
def target_add(request, pk):
    user = request.user
    plan = queries.get_plan_for(user, pk)
    slot = request.POST.get("slot", "")
    choice = request.POST.get("pick", "")
    kind, _sep, raw_id = choice.partition(":")
    obj_id = query_int(raw_id)

    def add():
        if not obj_id or kind not in ("federation", "organisation", "person"):
            raise ValidationFailed(_("请先搜索并选择一个联系对象"), fields={"target": _("请选择")})
        links = {
            "federation": lambda: org_queries.get_federation_for(user, obj_id),
            "organisation": lambda: org_queries.get_organisation_for(user, obj_id),
            "person": lambda: _person_in_reach(user, obj_id),
        }
        return services.target_add(actor=user, plan=plan, slot=slot, note=request.POST.get("note", ""),
                                   **{kind: links[kind]()})

    return act(request, add, back=f"/contacts/?year={plan.year}#plan-{plan.pk}", message=_("已添加联系对象"))


def _person_in_reach(user, pk) -> Person:
    return get_for(Person.visible.select_related("unit"), user, pk)


# ---------------------------------------------------------------- leaders: the unit's counts


@web_view("contacts.view")
def unit_home(request):
    units = org_queries.tree_roots_for(request.user)
    if not units:
        raise Http404(_("没有管辖范围"))
    return redirect("contacts:unit", pk=units[0].pk)


OVERVIEW_SORTS = {
    "person": (pgettext_lazy("column", "人员"), ("person_id", "id")),
    "overdue": (gettext_lazy("久未联系多的在前"), ("-n_overdue", "id")),
    "targets": (gettext_lazy("联系对象少的在前"), ("n_targets", "id")),
    "unit": (gettext_lazy("所属组织"), ("unit_id", "id")),
}


@web_view("contacts.view")
def unit_overview(request, pk):
    user = request.user
    unit = org_queries.get_federation_for(user, pk)
    year = query_int(request.GET.get("year")) or services.today().year
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    f = queries.OverviewFilters(year=year, kind=kind, gaps=request.GET.get("gaps") == "1",
                                overdue=request.GET.get("overdue") == "1", q=request.GET.get("q", "")[:50])
    ov = queries.overview(user, unit, f)
    if export_requested(request):
        require(user, "export")
        return xlsx_response(request, _("直接联系情况-{name}").format(name=unit.name), _("直接联系情况"), queries.OVERVIEW_HEADERS,
                             queries.overview_export_rows(ov))
    page, sort, next_url = list_page(request, ov.qs, sorts=OVERVIEW_SORTS, default="person", limit=PAGE_SIZE)
    end = services.today()
    start = date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)  # twelve months
    rows = queries.event_counts(user, unit, start, end)
    ctx = {
        "unit": unit, "f": f, "rows": [queries.overview_row(ov, p) for p in page.items], "next_url": next_url,
        "first_url": first_page_url(request), "totals": queries.overview_totals(ov), "days": ov.days,
        "kinds": Kind.choices, "years": range(end.year + 1, end.year - 4, -1), "export_url": export_url(request),
        "chart": json.dumps(charts.events_by_month_and_channel(rows, start, end), ensure_ascii=False, cls=DjangoJSONEncoder),
        "event_total": sum(r["n"] for r in rows), "children": org_queries.children_of(user, unit.pk)[:60],
        "sorts": OVERVIEW_SORTS, "sort": sort,
    }
    return render(request, "contacts/unit.html", ctx)


@web_view("contacts.manage")
def plan_create_for(request, pk):
    """代为制定: a manager sets the plan of someone in her reach; the plan row notes who set it."""

    unit = org_queries.get_federation_for(request.user, pk)
    initial = {}
    raw = request.GET.get("person") or ""
    if raw.isdigit():
        fixed = _person_in_reach(request.user, int(raw))
        initial = {"person": fixed.pk, "person_q": fixed.name}
    form = PlanForOtherForm(request.POST or None, actor=request.user, contact_points=_contact_points(request.user),
                            initial=initial)
    done = submit(request, form, lambda d: services.plan_create(
        actor=request.user, person=d["person_obj"], unit=d["person_obj"].unit, year=d["year"], kind=d["kind"],
        contact_point=d["contact_point_obj"], wechat_group=d["wechat_group"]),
        message=lambda plan: _("已为{name}制定{year}年“{kind}”计划").format(name=plan.person.name, year=plan.year, kind=plan.get_kind_display()),
        success=lambda plan: redirect(f"/contacts/unit/{unit.pk}/?year={plan.year}"))
    return done or render(request, "contacts/plan_for.html", {"form": form, "unit": unit}, status=form_status(form))


# ---------------------------------------------------------------- home panel


def home_panel(request) -> str:
    user = request.user
    if not getattr(user, "is_authenticated", False) or not has_perm(user, "contacts.record"):
        return ""
    summary = queries.home_summary(user)
    if summary is None:
        return ""
    return render_to_string("contacts/partials/_home_panel.html", {"s": summary}, request=request)

