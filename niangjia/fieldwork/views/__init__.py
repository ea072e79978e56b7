"""Field-work pages (phone first). Reads through fieldwork.queries, writes through fieldwork.services."""

import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import periods
from niangjia.core.access import get_for, reach_of
from niangjia.core.charts import PALETTE, months_between
from niangjia.core.errors import NotFound
from niangjia.core.excel import xlsx_response
from niangjia.core.forms import VersionOnlyForm
from niangjia.core.roles import has_perm, require
from niangjia.core.search_terms import search_words
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    act,
    export_requested,
    export_url,
    first_page_url,
    form_status,
    list_page,
    once,
    posted_version,
    submit,
    web_view,
)
from niangjia.org.queries import get_federation_for, tree_roots_for
from niangjia.people.models import Person
from niangjia.people.queries import persons_for

from .. import exports, forms, queries, rules, services
from ..listing import list_filter
from ..models import FieldStay
from .records import record_for, require_any

STATUS_CLASS = {"met": "success", "in_progress": "warning", "broken": "danger", "upcoming": "secondary"}


def _year(request) -> int:
    raw = request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else periods.today().year


def home_panel(request) -> str:
    user = request.user
    if not has_perm(user, "fieldwork.record") or not user.person_id:
        return ""
    standings = queries.my_standing(user, year=periods.today().year)
    if not standings:
        return ""
    return render_to_string("fieldwork/partials/_home_panel.html", {"standings": standings, "cls": STATUS_CLASS},
                            request=request)


@web_view()
def index(request):
    """My standing cards, the quick “记录蹲点” form and my latest stays, diaries, reports and proposals."""
    if not has_perm(request.user, "fieldwork.record") and has_perm(request.user, "fieldwork.view"):
        return unit_root(request)  # a statistician has no stays of her own: show her subtree
    require(request.user, "fieldwork.record")
    year = _year(request)
    person = queries.my_person(request.user)
    form = forms.StayForm(request.POST or None, actor=request.user)
    fn = services.stay_plan if request.POST.get("mode") == "plan" else services.stay_log
    if done := submit(request, form, lambda d: once(request, "fieldwork.stay", lambda: fn(
            actor=request.user, person=person, place=d["place_obj"], start=d["start"], end=d["end"],
            kind=d["kind"], setting=d["setting"], note=d["note"], paired_with=d["paired_obj"])),
            message=lambda stay: _("已记录：{name} {days} 天（{status}）").format(name=stay.place.name, days=stay.days, status=stay.get_status_display()),
            success=request.get_full_path()):
        return done
    mine = {"person": person} if person else {"person": -1}
    ctx = {
        "person": person, "year": year, "years": range(periods.today().year, periods.today().year - 3, -1),
        "standings": queries.my_standing(request.user, year=year), "cls": STATUS_CLASS, "form": form,
        "stays": queries.stays_for(request.user, **mine)[:8] if person else [],
        "diaries": queries.diaries_for(request.user, **mine)[:5] if person else [],
        "reports": queries.reports_for(request.user, **mine)[:5] if person else [],
        "proposals": queries.proposals_for(request.user, **mine)[:5] if person else [],
    }
    return render(request, "fieldwork/index.html", ctx, status=form_status(form))


STAY_SORTS = {"new": (gettext_lazy("开始日期（近到远）"), ("-start", "-id")), "old": (gettext_lazy("开始日期（远到近）"), ("start", "id")),
              "days": (gettext_lazy("天数（多到少）"), ("-days", "-id"))}


@web_view()
def stays(request):
    """Stays: her own, or (with fieldwork.view) everyone's in her reach, by unit, person, dates, kind, status."""
    require_any(request.user)
    f = list_filter(request, statuses=FieldStay.Status.choices, kinds=FieldStay.Kind.choices)
    qs = f.select(queries.stays_for(request.user, kind=f.kind, status=f.status, **f.query_args()))
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, _("蹲点记录"), _("蹲点记录"), exports.STAY_HEADERS,
                             map(exports.stay_row, qs.order_by("-start", "-id")[:EXPORT_MAX_ROWS]))
    page, sort, next_url = list_page(request, qs, sorts=STAY_SORTS, default="new")
    return render(request, "fieldwork/stays.html", {
        "page": page, "sort": sort, "sorts": STAY_SORTS, "next_url": next_url, "first_url": first_page_url(request),
        "export_url": export_url(request), "unit": f.unit, "f": f, "kinds": FieldStay.Kind.choices,
        "statuses": FieldStay.Status.choices})


@web_view("fieldwork.manage")
def stay_behalf(request):
    """代为记录蹲点: a manager logs (or plans) a stay for someone in her reach; the row says who entered it."""
    initial = {"start": periods.today(), "end": periods.today()}
    raw = request.GET.get("person") or ""
    fixed = None
    if raw.isdigit():
        fixed = get_for(Person.visible.select_related("unit"), request.user, int(raw))
        initial |= {"person": fixed.pk, "person_q": fixed.name}
    form = forms.BehalfStayForm(request.POST or None, actor=request.user, initial=initial)
    fn = services.stay_plan if request.POST.get("mode") == "plan" else services.stay_log
    if done := submit(request, form, lambda d: fn(
            actor=request.user, person=d["person_obj"], place=d["place_obj"], start=d["start"], end=d["end"],
            kind=d["kind"], setting=d["setting"], note=d["note"], paired_with=d["paired_obj"]),
            message=lambda stay: _("已代{name}记录：{name2} {days} 天（{status}）").format(name=stay.person.name, name2=stay.place.name, days=stay.days, status=stay.get_status_display()),
            success=lambda stay: redirect(f"{request.path}?person={stay.person_id}")):
        return done
    person = fixed or (form.cleaned_data.get("person_obj") if form.is_bound and hasattr(form, "cleaned_data") else None)
    recent = queries.stays_for(request.user, person=person).select_related("created_by")[:8] if person else []
    return render(request, "fieldwork/stay_behalf.html", {"form": form, "person": person, "recent": recent},
                  status=form_status(form))


@web_view()
def stay_detail(request, pk: int):
    stay, editable = record_for(request, queries.get_stay_for, pk)
    if request.method == "POST" and not editable:
        raise NotFound()
    form = forms.StayForm(request.POST or None, actor=request.user, selected=stay.place, initial={
        "place": stay.place_id, "start": stay.start, "end": stay.end, "kind": stay.kind, "setting": stay.setting,
        "note": stay.note, "version": stay.version, "paired_with": stay.paired_with_id,
        "paired_q": stay.paired_with.name if stay.paired_with_id else ""})
    if request.method == "POST" and request.POST.get("action") == "cancel":
        cancel = VersionOnlyForm(request.POST)
        if done := submit(request, cancel, lambda d: services.stay_cancel(actor=request.user, stay=stay,
                                                                          version=d["version"]),
                          message=_("已取消该蹲点记录"), success=lambda _: redirect("fieldwork:stays")):
            return done
        for problem in cancel.non_field_errors():
            form.add_error(None, problem)
        return render(request, "fieldwork/stay.html", {"stay": stay, "form": form, "editable": editable},
                      status=form_status(cancel))

    def save(d):
        changes = {"place": d["place_obj"], "start": d["start"], "end": d["end"], "kind": d["kind"],
                   "setting": d["setting"] or "", "note": d["note"], "paired_with": d["paired_obj"]}
        if request.POST.get("action") == "done":
            changes["status"] = "done"
        services.stay_update(actor=request.user, stay=stay, version=d["version"], **changes)

    if done := submit(request, form, save, message=_("已保存"), success=lambda _: redirect("fieldwork:stay", pk=stay.pk)):
        return done
    return render(request, "fieldwork/stay.html", {"stay": stay, "form": form, "editable": editable},
                  status=form_status(form))


@web_view()
def person_search(request):
    """Persons in reach matching `paired_q`, as radio buttons for the 结对妇女 picker of the stay forms."""
    if not has_perm(request.user, "fieldwork.manage"):
        require(request.user, "fieldwork.record")
    q = search_words(request, "paired_q", limit=50)
    persons = list(persons_for(request.user, q=q, where="fieldwork").order_by("name_pinyin", "id")[:8]) if q else []
    return render(request, "fieldwork/partials/_pair_options.html", {"persons": persons, "q": q})


@web_view("fieldwork.view")
def unit_root(request):
    """The standings of the user's own subtree (her first scope unit)."""
    roots = tree_roots_for(request.user)
    if not roots:
        return render(request, "error.html", {"message": _("您没有管辖范围")}, status=404)
    query = request.GET.urlencode()  # keep ?year=…&status=… on the way to the unit page
    return redirect(reverse("fieldwork:unit", args=[roots[0].pk]) + (f"?{query}" if query else ""))


@web_view("fieldwork.view")
def unit_standings(request, pk: int):
    """A subtree's standings per person and rule (met/broken filters), Excel, and field days by month."""
    unit = get_federation_for(request.user, pk)
    rule_choices = [(str(r.pk), r.name) for r in queries.rules_for(request.user).order_by("id")]
    filt = forms.StandingFilterForm(request.GET or None, rule_choices=rule_choices)
    f = filt.cleaned_data if filt.is_valid() else {}
    year = f.get("year") or periods.today().year
    rule_id = int(f["rule"]) if f.get("rule") else None
    status = f.get("status") or ""
    sort = request.GET.get("sort") if request.GET.get("sort") in queries.STANDING_SORTS else "name"
    if export_requested(request):
        require(request.user, "export")
        rows, _total = queries.unit_standings(request.user, unit, year=year, rule_id=rule_id, status=status,
                                         limit=200, cursor=None, all_pages=True, sort=sort)
        return xlsx_response(request, _("{name}下基层情况").format(name=unit.name), _("下基层情况"), exports.STANDING_HEADERS,
                             map(exports.standing_row, rows))
    rows, next_cursor = queries.unit_standings(request.user, unit, year=year, rule_id=rule_id, status=status,
                                               cursor=request.GET.get("cursor") or None, limit=50, sort=sort)
    next_url = ""
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = f"?{params.urlencode()}"
    start, end = date(year, 1, 1), date(year, 12, 31)
    months = queries.field_days_by_month(request.user, unit, start, end)
    return render(request, "fieldwork/unit.html", {
        "unit": unit, "filt": filt, "rows": rows, "year": year, "cls": STATUS_CLASS, "next_url": next_url,
        "first_url": first_page_url(request), "export_url": export_url(request),
        "chart": json.dumps(_month_chart(months, start, end), ensure_ascii=False, cls=DjangoJSONEncoder),
        "total_days": sum(m["t"] for m in months), "work": queries.work_counts(request.user, unit, year),
        "sorts": queries.STANDING_SORTS, "sort": sort})


def _month_chart(rows: list[dict], start: date, end: date) -> dict:
    months = months_between(start, end)
    index = {m: i for i, m in enumerate(months)}
    days = [0] * len(months)
    for r in rows:
        if r["period"] in index:
            days[index[r["period"]]] += r["t"] or 0
    return {"color": PALETTE, "tooltip": {"trigger": "axis"}, "grid": {"left": 40, "right": 12, "top": 16, "bottom": 32},
            "xAxis": {"type": "category", "data": [_("{month}月").format(month=m.month) for m in months]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"name": _("下基层天数"), "type": "bar", "data": days}]}


@web_view("fieldwork.manage")
def rules_page(request):
    """Adopt a preset rule for posts in a unit's subtree; end an adoption."""
    form = forms.AdoptForm(request.POST or None, actor=request.user)
    if request.method == "POST" and request.POST.get("end"):
        adoption = queries.get_adoption_for(request.user, request.POST["end"])
        return act(request, lambda: services.adoption_end(actor=request.user, adoption=adoption,
                                                          version=posted_version(request)),
                   back=request.path, message=_("已停止适用：{name}").format(name=adoption.rule.name))
    if done := submit(request, form, lambda d: services.rule_adopt(
            actor=request.user, unit=d["unit_obj"], preset=d["preset"], body=d["body"],
            title_contains=d["title_contains"], levels=[int(x) for x in d["levels"]] or None,
            overrides=form.overrides()),
            message=_("已采用规则"), success=request.path):
        return done
    reach = reach_of(request.user)
    adoptions = list(queries.adoptions_for(request.user, active=True).order_by("l1", "l2", "l3", "id"))
    for a in adoptions:
        a.mine = reach.covers_obj(a)  # adoptions above her reach apply here but are not hers to end
    return render(request, "fieldwork/rules.html", {"form": form, "adoptions": adoptions, "levels": dict(forms.LEVEL_CHOICES)},
                  status=form_status(form))


@web_view("fieldwork.manage")
def rule_edit(request, pk: int):
    """A rule's figures and count flags after adoption (its standings follow at once)."""
    rule = queries.get_rule_for(request.user, pk)
    if not reach_of(request.user).covers_obj(rule):
        raise NotFound()  # a rule set above her reach applies here but is not hers to change
    initial = {"name": rule.name, "version": rule.version, **{f"p_{k}": v for k, v in rule.params.items()},
               **{k: getattr(rule, k) for k in rules.COMMON}}
    form = forms.RuleEditForm(request.POST or None, rule=rule, initial=initial)
    if done := submit(request, form, lambda d: services.rule_update(
            actor=request.user, rule=rule, version=d["version"], name=d["name"], params=form.params(),
            flags=form.flags()),
            message=lambda _obj: _("已保存规则：{name}").format(name=rule.name), success=lambda _: redirect("fieldwork:rules")):
        return done
    return render(request, "fieldwork/rule_edit.html", {"rule": rule, "form": form},
                  status=form_status(form))

