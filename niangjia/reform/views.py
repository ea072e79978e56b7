"""Reform pages: the live board, measures (list, Excel, detail with its timeline), documents, plans,
pilots. Thin: read through reform.queries, write through reform.services."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from niangjia.core import periods
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import require
from niangjia.core.web import act, export_requested, posted_version, query_date, query_int, unit_of, web_view
from niangjia.org import queries as org_queries

from . import exports, queries, rules, services
from .models import Entry

COLORS = {rules.NOT_STARTED: "secondary", rules.STARTED: "primary", rules.DONE: "success", rules.DELAYED: "danger"}


def _unit_choices(request, unit):
    """The units a board can be asked for: the caller's roots and the provinces and cities under them."""
    roots = org_queries.tree_roots_for(request.user)
    out = {u.pk: u for u in roots}
    for r in roots:
        if r.level <= 2:
            for c in org_queries.children_of(request.user, r.pk):
                out.setdefault(c.pk, c)
    if unit is not None:
        out.setdefault(unit.pk, unit)
    return sorted(out.values(), key=lambda u: (u.level, u.code))


@web_view("reform.view", replica=True)
def board(request):
    unit = unit_of(request, fallback="first")
    today = periods.today()
    ctx = {"unit": unit, "units": _unit_choices(request, unit), "today": today}
    if unit is not None:
        b = queries.board(request.user, unit, today=today, year=query_int(request.GET.get("year")),
                          as_of=query_date(request.GET.get("as_of")))
        total = b["measures"]["total"] or 1
        ctx.update(b=b, bars=[{"code": s, "label": name, "n": b["measures"]["by_status"][s],
                               "pct": b["measures"]["by_status"][s] * 100 // total, "color": COLORS[s]}
                              for s, name in rules.MEASURE_STATUS_NAMES.items()],
                   late=queries.measures_for(request.user, unit=unit, overdue_on=today)[:10],
                   coverage=queries.coverage(request.user, unit))
    return render(request, "reform/board.html", ctx)


@web_view("reform.view")
def measures(request):
    unit = unit_of(request)
    status = request.GET.get("status") if request.GET.get("status") in rules.MEASURE_STATUS_NAMES else ""
    year = query_int(request.GET.get("year"))
    overdue = request.GET.get("overdue") == "1"
    qs = queries.measures_for(request.user, unit=unit, status=status, year=year,
                              overdue_on=periods.today() if overdue else None).order_by("deadline", "id")
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, _("改革措施"), _("改革措施"), exports.HEADERS, exports.rows(qs))
    params = request.GET.copy()
    params["export"] = "xlsx"
    return render(request, "reform/measures.html", {
        "measures": qs.prefetch_related("responsible")[:300], "unit": unit, "status": status, "year": year,
        "overdue": overdue, "status_names": rules.MEASURE_STATUS_NAMES, "colors": COLORS, "today": periods.today(),
        "export_url": f"?{params.urlencode()}"})


@web_view("reform.view")
def measure_detail(request, pk: int):
    m = queries.get_measure_for(request.user, pk)
    if request.method == "POST":
        back = reverse("reform:measure", args=[m.pk])
        if "step" in request.POST:
            return act(request, lambda: services.measure_move(
                actor=request.user, measure=m, step=request.POST["step"], version=posted_version(request),
                day=query_date(request.POST.get("day")), note=request.POST.get("note", "")),
                back=back, message=_("状态已更新"))
        return act(request, lambda: services.entry_add(
            actor=request.user, measure=m, kind=request.POST.get("kind", ""), text=request.POST.get("text", ""),
            day=query_date(request.POST.get("day")), link=request.POST.get("link", ""),
            file=request.FILES.get("file"), due_on=query_date(request.POST.get("due_on"))),
            back=back, message=_("进展已记录"))
    return render(request, "reform/measure_detail.html", {
        "m": m, "timeline": queries.timeline(m),
        "overdue": rules.is_overdue(m.status, m.deadline, periods.today()),
        "status_name": rules.MEASURE_STATUS_NAMES[m.status], "color": COLORS[m.status], "kinds": [k for k in Entry.Kind.choices
                                                                       if k[0] in ("milestone", "evidence", "note")]})


@web_view("reform.view")
def documents(request):
    unit = unit_of(request)
    if request.method == "POST":  # every refusal (a unit outside her reach too) is a message over the list
        return act(request, lambda: services.document_create(
            actor=request.user, unit=org_queries.get_federation_for(request.user, query_int(request.POST.get("unit"))),
            title=request.POST.get("title", ""), number=request.POST.get("number", ""),
            issued_on=query_date(request.POST.get("issued_on")) or periods.today()),
            back=reverse("reform:documents"), message=_("文件已登记"), pages=())
    return render(request, "reform/documents.html", {
        "documents": queries.documents_for(request.user, unit=unit)[:300],
        "units": org_queries.tree_roots_for(request.user)})


@web_view("reform.view")
def plans(request):
    if request.method == "POST":
        plan = queries.get_plan_for(request.user, query_int(request.POST.get("plan")))
        return act(request, lambda: services.plan_move(
            actor=request.user, plan=plan, step=request.POST.get("step", ""),
            day=query_date(request.POST.get("day")) or periods.today(), version=posted_version(request)),
            back=reverse("reform:plans"), message=_("方案阶段已更新"))
    rows = [{"plan": p, "stage_name": rules.PLAN_STAGE_NAMES[p.stage],
             "steps": rules.steps_from(rules.PLAN_PIPELINE, p.stage)} for p in queries.plans_for(request.user)]
    return render(request, "reform/plans.html", {"rows": rows,
                                                 "today": periods.today()})


@web_view("reform.view")
def pilots(request):
    return render(request, "reform/pilots.html", {"pilots": queries.pilots_for(request.user)})
