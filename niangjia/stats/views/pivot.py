"""数据透视: one figure as a table — rows by units below, category or status; columns by month, quarter or
year — exported to Excel, and saved per user to open again (save, list, open, delete with confirmation).

Thin: parse the filter (the figures' own form), read through stats.figures, write through stats.services.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niangjia.core.errors import ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.web import act, export_requested, export_url, posted_version, web_view

from .. import catalogue, figures, pivot, queries, services
from .figures import _filter, _query, pilot_of, pilots_of

PAGE = "/stats/pivot/"


def _choices(request) -> dict:
    visible = [f for f in catalogue.figures_for(lambda p: has_perm(request.user, p)) if not f.view_of]
    metric = request.GET.get("metric") or (visible[0].metric if visible else "")
    by = request.GET.get("rows") if request.GET.get("rows") in pivot.ROWS else "unit"
    grain = request.GET.get("cols") if request.GET.get("cols") in pivot.COLUMNS else "month"
    value = "t" if request.GET.get("value") == "t" else "n"
    return {"visible": visible, "metric": metric, "by": by, "grain": grain, "value": value}


@web_view("stats.view", replica=True)
def pivot_page(request):
    form, f = _filter(request)
    c = _choices(request)
    ctx = {"form": form, "f": f, **c, "rows_options": pivot.ROWS, "cols_options": pivot.COLUMNS,
           "pilots": pilots_of(request.user), "saved": queries.pivot_views_for(request.user),
           "query": _query(request), "as_of": timezone.localtime()}
    if f is None or not c["metric"]:
        return render(request, "stats/pivot.html", ctx, status=400 if f is None else 200)
    pilot = pilot_of(request.user, request.GET.get("pilot"))
    try:
        table = figures.pivot_for(request.user, metric=c["metric"], by=c["by"], grain=c["grain"],
                                  unit=f["unit_obj"], pilot=pilot, start=f["start"], end=f["end"], value=c["value"])
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return render(request, "stats/pivot.html", ctx, status=400)
    if export_requested(request):
        require(request.user, "export")
        return _export(request, table, f)
    return render(request, "stats/pivot.html", {**ctx, "table": table, "pilot": pilot,
                                                "export_url": export_url(request)})


def _export(request, table, f):
    fig = table["figure"]
    scope = table["pilot"].name if table["pilot"] else (table["unit"].name if table["unit"] else _("全部管辖范围"))
    title = f"{fig.label}·{scope}·{f['start']:%Y-%m}—{f['end']:%Y-%m}"
    rows = [[r["label"], *r["cells"], r["total"]] for r in table["rows"]]
    rows.append([_("合计"), *table["totals"], table["grand"]])
    return xlsx_response(request, title, _("数据透视"), [table["row_title"], *table["columns"], _("合计")], rows)


@require_POST
@web_view("stats.view")
def pivot_save(request):
    """Save the view now shown (its query string) under a name of the user's choosing."""
    config = {k: request.POST.get(k, "") for k in ("metric", "rows", "cols", "unit", "pilot", "start", "end", "value")}
    back = f"{PAGE}?{urlencode({k: v for k, v in config.items() if v})}"
    return act(request, lambda: services.pivot_view_save(actor=request.user, name=request.POST.get("name", ""),
                                                         config=config),
               back=back, message=lambda v: _("已保存透视表“%(name)s”") % {"name": v.name})


@web_view("stats.view")
def pivot_open(request, pk: int):
    view = queries.get_pivot_view_for(request.user, pk)
    return redirect(f"{PAGE}?{urlencode(view.config)}")


@require_POST
@web_view("stats.view")
def pivot_delete(request, pk: int):
    view = queries.get_pivot_view_for(request.user, pk)
    return act(request, lambda: services.pivot_view_delete(actor=request.user, view=view,
                                                           version=posted_version(request)),
               back=PAGE, message=_("已删除透视表“%(name)s”") % {"name": view.name})
