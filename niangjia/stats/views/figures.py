"""各项工作汇总: every rolled-up count for a subtree and span of months, and one metric in detail.

Thin: parse the filter, read through stats.figures (summaries at city grain and above, facts
below), shape charts with stats.charts, render or export.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import render
from django.utils import timezone

from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.web import export_requested, export_url, web_view

from .. import catalogue, charts, figures
from ..forms import FiguresForm, default_months


def pilot_of(user, raw):
    """The pilot named by `?pilot=` inside the caller's reach (404 otherwise), or None."""
    if not raw:
        return None
    from niangjia.reform.queries import get_pilot_for

    return get_pilot_for(user, raw)


def pilots_of(user) -> list:
    from niangjia.reform.queries import pilots_for

    return list(pilots_for(user))


def _filter(request):
    data = request.GET.copy()
    start, end = default_months()
    data.setdefault("start", start.strftime("%Y-%m"))
    data.setdefault("end", end.strftime("%Y-%m"))
    form = FiguresForm(data, actor=request.user)
    return form, (form.cleaned_data if form.is_valid() else None)


def _scope_name(f) -> str:
    return f["unit_obj"].name if f["unit_obj"] else "全部管辖范围"


@web_view("stats.view", replica=True)
def overview(request):
    form, f = _filter(request)
    if f is None:
        return render(request, "stats/figures.html", {"form": form}, status=400)
    visible = catalogue.figures_for(lambda p: has_perm(request.user, p))
    pilot = pilot_of(request.user, request.GET.get("pilot"))
    wanted = {"start": f["start"], "end": f["end"], "metrics": [x.metric for x in visible]}
    if pilot is not None:  # 试点 as the filter: the members' subtrees added up (disjoint, so nothing twice)
        sums = figures.pilot_totals(request.user, units=figures.pilot_units(request.user, pilot), **wanted)
    else:
        sums = figures.totals(request.user, unit=f["unit_obj"], **wanted)
    cards = [{"fig": x, **sums[x.metric], "total": x.total_text(**sums[x.metric])} for x in visible if not x.view_of]
    if export_requested(request):
        require(request.user, "export")
        scope = f"试点：{pilot.name}" if pilot is not None else _scope_name(f)
        rows = ([scope, c["fig"].area, c["fig"].label, c["n"], c["fig"].noun,
                 c["fig"].total_value(c["n"], c["t"]), c["fig"].total_label] for c in cards)
        return xlsx_response(request, "各项工作汇总", "各项工作汇总",
                             ["组织范围", "领域", "指标", "数量", "单位", "合计", "合计的含义"], rows)
    return render(request, "stats/figures.html", {
        "form": form, "f": f, "cards": cards, "query": _query(request), "as_of": timezone.localtime(),
        "pilot": pilot, "pilots": pilots_of(request.user), "export_url": export_url(request)})


@web_view("stats.view", replica=True)
def detail(request, metric: str):
    fig = figures.figure_for(request.user, metric)
    form, f = _filter(request)
    if f is None:
        return render(request, "stats/figure_detail.html", {"form": form, "fig": fig}, status=400)
    unit = figures.children_parent(request.user, f["unit_obj"])
    rows = figures.breakdown(request.user, unit=f["unit_obj"], start=f["start"], end=f["end"], metric=metric)
    sort = request.GET.get("sort", "n")
    pilot = pilot_of(request.user, request.GET.get("pilot"))
    last = {"start": figures.year_before(f["start"]), "end": figures.year_before(f["end"])}
    if pilot is not None:  # 试点 as the filter: the members' subtrees, side by side
        members = figures.pilot_units(request.user, pilot)
        rows = [r for m in members for r in figures.breakdown(request.user, unit=m, start=f["start"], end=f["end"],
                                                              metric=metric)]
        children = figures.pilot_members(request.user, units=members, start=f["start"], end=f["end"], metric=metric,
                                         sort=sort)
        head = figures.pilot_totals(request.user, units=members, start=f["start"], end=f["end"], metrics=[metric])[metric]
        prior = figures.pilot_totals(request.user, units=members, metrics=[metric], **last)[metric]
        unit = None
    else:
        children = figures.named_children(request.user, unit=unit, start=f["start"], end=f["end"], metric=metric,
                                          sort=sort) if unit is not None else []
        head = figures.totals(request.user, unit=f["unit_obj"], start=f["start"], end=f["end"], metrics=[metric])[metric]
        prior = figures.totals(request.user, unit=f["unit_obj"], metrics=[metric], **last)[metric]
    cat_labels, st_labels = catalogue.code_labels(fig, "category"), catalogue.code_labels(fig, "status")
    table = _cross(fig, rows, cat_labels, st_labels)
    if export_requested(request):
        require(request.user, "export")
        return _export(request, fig, f, rows, table, children, cat_labels)
    return render(request, "stats/figure_detail.html", {
        "form": form, "f": f, "fig": fig, "table": table, "children": children, "child_unit": unit, "pilot": pilot,
        "pilots": pilots_of(request.user),
        "total": fig.total_text(head["n"], head["t"]), "n": head["n"], "prior": prior,
        "prior_total": fig.total_text(prior["n"], prior["t"]), "change": _change(head["n"], prior["n"]),
        "sort": sort, "query": _query(request), "sort_query": _query(request, drop=("sort",)),
        "views": catalogue.views_of(fig.view_of or metric, lambda p: has_perm(request.user, p)),
        "main": catalogue.figure(fig.view_of) if fig.view_of else None,
        "chart_months": json.dumps(charts.figure_months(rows, f["start"], f["end"], cat_labels,
                                                        total_label=fig.total_label), ensure_ascii=False, cls=DjangoJSONEncoder),
        "chart_children": json.dumps(charts.bars([c["name"] for c in children], [c["n"] for c in children]),
                                     ensure_ascii=False, cls=DjangoJSONEncoder) if children else "",
        "export_url": export_url(request), "as_of": timezone.localtime()})


def _cross(fig, rows, cat_labels, st_labels) -> dict:
    """Category × status counts: {"statuses": [(code, name)], "rows": [{name, cells, n, t}]}."""
    statuses = sorted({r["status"] for r in rows}, key=lambda s: _order(s, st_labels))
    acc: dict[str, dict] = {}
    for r in rows:
        a = acc.setdefault(r["category"], {"code": r["category"], "name": cat_labels.get(r["category"], r["category"]) or "合计",
                                           "cells": dict.fromkeys(statuses, 0), "n": 0, "t": 0})
        a["cells"][r["status"]] += r["n"]
        a["n"] += r["n"]
        a["t"] += r["t"]
    for a in acc.values():
        a["total"] = fig.total_text(a["n"], a["t"])
    ordered = sorted(acc.values(), key=lambda a: _order(a["code"], cat_labels))
    for a in ordered:
        a["cells"] = [a["cells"][s] for s in statuses]
    return {"statuses": [(s, st_labels.get(s, s)) for s in statuses if s or len(statuses) > 1], "rows": ordered,
            "show_status": statuses != [""]}


def _order(code: str, labels: dict) -> tuple:
    keys = list(labels)
    return (keys.index(code) if code in keys else len(keys), code)


def _export(request, fig, f, rows, table, children, cat_labels):
    scope = _scope_name(f)
    out = [[scope, "按月", f"{r['period']:%Y-%m}", cat_labels.get(r["category"], r["category"]), r["n"],
            fig.total_value(r["n"], r["t"])] for r in rows]
    out += [[scope, "按类别", "", a["name"], a["n"], fig.total_value(a["n"], a["t"])] for a in table["rows"]]
    out += [[scope, "按下级组织", "", c["name"], c["n"], fig.total_value(c["n"], c["t"]), c["prior"]]
            for c in children]
    return xlsx_response(request, fig.label, fig.label, ["组织范围", "分组", "月份", fig.category_title + "/组织", "数量",
                                                fig.total_label or "合计", "上年同期"], out)


def _query(request, drop=()) -> str:
    """The filter's query string, for links between the overview and a figure's page."""
    params = request.GET.copy()
    for key in ("export", *drop):
        params.pop(key, None)
    return params.urlencode()


def _change(now: int, before: int) -> dict:
    """The change on the same months last year: difference and rate (None when last year had none)."""
    return {"diff": now - before, "pct": None if not before else round(100 * abs(now - before) / before, 1)}
