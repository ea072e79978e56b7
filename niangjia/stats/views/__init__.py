"""The stats dashboard and the activity log pages. Reads through stats.queries, writes through stats.services."""

import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import periods
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    export_requested,
    export_url,
    first_page_url,
    list_page,
    submit,
    web_view,
)

from .. import charts, queries, services
from ..figures import pilot_units
from ..forms import ActivityForm, DashboardForm, default_range
from ..queries import pilot_of, pilots_of


def _filters(request):
    """The dashboard filter, always bound: an empty query falls back to the last twelve months."""
    data = request.GET.copy()
    start, end = default_range()
    data.setdefault("start", start.isoformat())
    data.setdefault("end", end.isoformat())
    form = DashboardForm(data, actor=request.user)
    return form, (form.cleaned_data if form.is_valid() else None)


@web_view("stats.view", replica=True)
def dashboard(request):
    form, f = _filters(request)
    if f is None:
        return render(request, "stats/dashboard.html", {"form": form}, status=400)
    pilot = pilot_of(request.user, request.GET.get("pilot"))
    if pilot is not None:  # 试点 as the filter: its members' subtrees (disjoint), added up
        rows = [r for m in pilot_units(request.user, pilot)
                for r in queries.activity_counts(request.user, unit=m, start=f["start"], end=f["end"])]
    else:
        rows = queries.activity_counts(request.user, unit=f["unit_obj"], start=f["start"], end=f["end"])
    if f.get("category"):
        rows = [r for r in rows if r["category"] == f["category"]]
    table = charts.category_table(rows)
    months = charts.month_table(rows, f["start"], f["end"])
    if export_requested(request):
        require(request.user, "export")
        scope = _("试点：{name}").format(name=pilot.name) if pilot else (f["unit_obj"].name if f["unit_obj"] else _("全部管辖范围"))
        out = [[scope, m["month"], _("合计"), m["n"], m["t"]] for m in months]
        out += [[scope, _("{f}至{f2}").format(f=f['start'], f2=f['end']), a["name"], a["n"], a["t"]] for a in table]
        return xlsx_response(request, _("工作活动统计"), _("工作活动统计"), [_("组织范围"), _("月份/期间"), _("类别"), _("活动次数"), _("覆盖妇女人次")], out)
    ctx = {
        "form": form, "f": f, "table": table, "months": months, "pilot": pilot, "pilots": pilots_of(request.user),
        "total_n": sum(a["n"] for a in table), "total_t": sum(a["t"] for a in table),
        "chart_months": json.dumps(charts.totals_by_month(rows, f["start"], f["end"]), ensure_ascii=False, cls=DjangoJSONEncoder),
        "chart_stack": json.dumps(charts.by_month_and_category(rows, f["start"], f["end"]), ensure_ascii=False, cls=DjangoJSONEncoder),
        "chart_pie": json.dumps(charts.by_category_pie(table), ensure_ascii=False, cls=DjangoJSONEncoder) if table else "",
        "export_url": export_url(request),
    }
    return render(request, "stats/dashboard.html", ctx)


ACTIVITY_SORTS = {"new": (gettext_lazy("日期（近到远）"), ("-day", "-id")), "old": (gettext_lazy("日期（远到近）"), ("day", "id")),
                  "reach": (gettext_lazy("覆盖人数（多到少）"), ("-women_reached", "-id"))}


@web_view("stats.view", replica=True)
def activities(request):
    """The list of logged activities (filtered like the dashboard) and a form to log one."""
    form, f = _filters(request)
    log_form = ActivityForm(request.POST or None, actor=request.user) if has_perm(request.user, "org.edit") else None
    if request.method == "POST":
        require(request.user, "org.edit")
        done = submit(request, log_form, lambda d: services.activity_log(
            actor=request.user, unit=d["unit_obj"], day=d["day"], category=d["category"], title=d["title"],
            women_reached=d["women_reached"]), success=request.get_full_path(), field_map={"unit": "unit"},
            message=lambda act: _("已登记活动“{title}”").format(title=act.title))
        if done:
            return done
    f = f or {"unit_obj": None, "start": None, "end": None, "category": ""}
    listing = queries.activities_listing(request.user, unit=f["unit_obj"], category=f.get("category") or "",
                                         start=f["start"], end=f["end"])
    if export_requested(request):
        require(request.user, "export")
        rows = listing.queryset().order_by("-day", "-id")[:EXPORT_MAX_ROWS]
        return xlsx_response(request, _("工作活动"), _("工作活动"), [_("日期"), _("类别"), _("标题"), _("所属组织"), _("覆盖妇女人数")],
                             ([a.day, a.get_category_display(), a.title, a.unit.name, a.women_reached] for a in rows))
    page, sort, next_url = list_page(request, listing, sorts=ACTIVITY_SORTS, default="new")
    status = 400 if (log_form is not None and log_form.errors) or form.errors else 200
    return render(request, "stats/activities.html", {
        "form": form, "log_form": log_form, "page": page, "sort": sort, "sorts": ACTIVITY_SORTS,
        "next_url": next_url, "first_url": first_page_url(request), "export_url": export_url(request),
    }, status=status)


def home_dashboard(user) -> dict:
    """The home page's figures (accounts/home.html, through core.extensions.home_dashboard): the counts
    of the user's reach and a year of activities by month and category."""
    today = periods.today()
    start = date(today.year - 1, today.month, 1)
    rows = queries.activity_counts(user, start=start, end=today) if not user.get_reach().is_empty else []
    return {"counts": queries.reach_counts(user),
            "chart": json.dumps(charts.by_month_and_category(rows, start, today), ensure_ascii=False, cls=DjangoJSONEncoder) if rows else ""}
