"""覆盖与达标: the standing figures of the units below side by side (stats.coverage), a map of them, Excel."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import render
from django.utils import timezone

from niangjia.core.excel import xlsx_response
from niangjia.core.roles import require
from niangjia.core.web import export_requested, export_url, web_view

from .. import coverage, figures, maps
from .figures import _filter, _query, pilot_of, pilots_of

SITE_NAMES = {"contact_point": "基层联系点", "intake_point": "信访网点", "rights_post": "维权岗", "womens_home": "妇女之家",
              "micro_home": "妇女微家", "hotline": "12338热线"}
MAP_FIGURES = {"conversion_pct": "会改联比例（%）", "hotline_pct": "12338热线开通比例（%）",
               "composition_pct": "组成结构达标比例（%）", "women": "联系妇女（人）", "site_total": "阵地（个）"}


@web_view("stats.view", replica=True)
def page(request):
    form, f = _filter(request)
    if f is None:
        return render(request, "stats/coverage.html", {"form": form}, status=400)
    pilot = pilot_of(request.user, request.GET.get("pilot"))
    unit = figures.children_parent(request.user, f["unit_obj"])
    sort = request.GET.get("sort", "code")
    data = coverage.board(request.user, unit=unit, pilot=pilot, start=f["start"], end=f["end"], sort=sort) \
        if unit is not None or pilot is not None else None
    if data and export_requested(request):
        require(request.user, "export")
        return _export(request, unit, pilot, data)
    shown = request.GET.get("map", "conversion_pct")
    shown = shown if shown in MAP_FIGURES else "conversion_pct"
    chart_map = maps.map_option(unit, data["rows"], shown, MAP_FIGURES[shown]) if data and pilot is None else None
    return render(request, "stats/coverage.html", {
        "form": form, "f": f, "unit": unit, "pilot": pilot, "pilots": pilots_of(request.user), "data": data,
        "sort": sort, "query": _query(request), "sort_query": _query(request, drop=("sort",)),
        "map_query": _query(request, drop=("map",)), "site_names": SITE_NAMES, "map_figures": MAP_FIGURES,
        "shown": shown, "chart_map": json.dumps(chart_map, ensure_ascii=False, cls=DjangoJSONEncoder) if chart_map else "",
        "export_url": export_url(request), "as_of": timezone.localtime()})


HEADERS = ["组织", "代码", "村（社区）", "已会改联", "会改联比例%", "全部完成", "乡镇（街道）", "已区域化", "填报新增执委",
           "执委名册人数", "差额", "县级以上妇联", "开通12338", "缺12338", "参评组织", "组成结构达标", "达标比例%",
           "编制", "在编专职", "超编组织", "联系妇女（人）", *SITE_NAMES.values()]


def _export(request, unit, pilot, data):
    def row(r, name, code):
        return [name, code, r["villages"], r["converted"], r["conversion_pct"], "是" if r["completed"] else "否",
                r["townships"], r["regionalised"], r["added"], r["in_register"], r["added_diff"], r["required"],
                r["with_hotline"], r["missing"], r["assessed"], r["compliant"], r["composition_pct"], r["quota"],
                r["staff"], r["over"], r["women"], *[r["sites"][k] for k in SITE_NAMES]]

    out = [row(r, r["name"], r["code"]) for r in data["rows"]]
    out.append(row(data["total"], "合计", ""))
    title = f"覆盖与达标·{pilot.name if pilot else unit.name}"
    return xlsx_response(request, title, "覆盖与达标", HEADERS, out)
