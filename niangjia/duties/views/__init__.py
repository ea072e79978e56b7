"""Duty checklist pages: thin views that parse input, read through queries, write through services."""

import json
from datetime import date, timedelta

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from niangjia.core import periods
from niangjia.core.access import reach_of
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.extensions import works
from niangjia.core.files import upload_response
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

from .. import queries, rules, services
from ..forms import (
    CorrectForm,
    EvidenceForm,
    ReviewForm,
    WithdrawForm,
)
from ..models import Assignment, ChecklistItem, Evidence
from .handout import (  # noqa: F401 - the URL conf finds every page here
    hand_out,
    item_edit,
    template_create,
    template_detail,
    template_edit,
    template_list,
)


def render(request, template, ctx=None, status=200):
    """Django's render (the pages ask what the user may do through {{ user|can:'…' }}, core.access.may)."""
    return django_render(request, template, ctx or {}, status=status)


def _today() -> date:
    return periods.today()


def _year(request) -> int:
    try:
        y = int(request.GET.get("year") or request.POST.get("year") or _today().year)
    except ValueError:
        return _today().year
    return y if 2000 <= y <= 2100 else _today().year


def _manager(user) -> bool:
    return has_perm(user, "duties.view") or has_perm(user, "duties.manage")


def _card_ctx(request, assignment: Assignment, rows, *, mine: bool) -> dict:
    return {"a": assignment, "rows": rows, "mine": mine}


def _assignment_blocks(request, assignments, *, mine: bool) -> list[dict]:
    rows = queries.item_rows(assignments)
    policy = queries.schedule_policies(assignments)
    reminders = queries.my_reminders(request.user, assignments) if mine else {}
    today = _today()
    blocks = []
    for a in assignments:
        a.state = queries.state_of(a, today, policy[a.unit_id])
        a.state_name = rules.SCHEDULE_NAMES[a.state]
        blocks.append({**_card_ctx(request, a, rows.get(a.pk, []), mine=mine), "reminder": reminders.get(a.pk)})
    return blocks


# ---------------------------------------------------------------- the member's own checklist


@web_view()
def my_checklists(request):
    """我的履职清单: each item a card with its progress and a big 记录 button."""
    user = request.user
    if not (has_perm(user, "duties.record") or _manager(user)):
        require(user, "duties.record")
    year = _year(request)
    mine = queries.my_assignments(user, year=year)
    years = sorted({a.year for a in queries.my_assignments(user)} | {year}, reverse=True)
    ctx = {"year": year, "years": years, "blocks": _assignment_blocks(request, mine, mine=True),
           "has_person": bool(user.person_id), "manager": _manager(user), "today": _today()}
    return render(request, "duties/my.html", ctx)


@web_view()
def assignment_detail(request, pk):
    a = queries.get_assignment_for(request.user, pk)
    mine = a.person_id == request.user.person_id
    evidence = list(queries.evidence_of(request.user, a, include_retired=True)[:200])
    blocks = _assignment_blocks(request, [a], mine=mine)
    ctx = {"blocks": blocks, "a": a, "evidence": evidence, "mine": mine,
           "review": queries.review_of(a), "manage": has_perm(request.user, "duties.manage")}
    return render(request, "duties/assignment.html", ctx)


def _item_card(request, a: Assignment, item: ChecklistItem, *, saved: str = "") -> str:
    rows = queries.item_rows([a])[a.pk]
    row = next(r for r in rows if r.item.pk == item.pk)
    a.refresh_from_db(fields=["items_done", "items_total", "evidence_count", "last_evidence_on"])
    policy = queries.schedule_policy(a.unit)
    a.state = queries.state_of(a, _today(), policy)
    a.state_name = rules.SCHEDULE_NAMES[a.state]
    recent = list(queries.evidence_of(request.user, a).filter(item=item)[:5])
    ctx = {**_card_ctx(request, a, rows, mine=a.person_id == request.user.person_id), "row": row,
           "recent": recent, "saved": saved, "oob": True}
    return render_to_string("duties/partials/_item_card.html", ctx, request=request)


def _linked(request, form):
    person = organisation = None
    if form.cleaned_data.get("person"):
        person = people_queries.get_person_for(request.user, form.cleaned_data["person"])
    if form.cleaned_data.get("organisation"):
        organisation = org_queries.get_organisation_for(request.user, form.cleaned_data["organisation"])
    return person, organisation


@web_view()
def evidence_record(request, pk, item_pk):
    """GET: the short form (into the card by htmx); POST: save, then the updated card."""
    a = queries.get_assignment_for(request.user, pk)
    try:
        item = ChecklistItem.objects.get(pk=item_pk, template_id=a.template_id, is_active=True)
    except (ChecklistItem.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    form = EvidenceForm(request.POST or None, request.FILES or None, works=_works_of(request.user, a))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                person, organisation = _linked(request, form)
                d = form.cleaned_data
                link_type, link_id = form.picked()
                once(request, "duties.evidence", lambda: services.evidence_record(
                    actor=request.user, assignment=a, item=item, what=d["what"], day=d["day"],
                    with_whom=d["with_whom"], attachment=d.get("attachment") or None, person=person,
                    organisation=organisation, link_type=link_type, link_id=link_id, link_text=d["link_text"]))
            except ValidationFailed as exc:
                form_errors_from(form, exc)
            else:
                if request.htmx:
                    return HttpResponse(_item_card(request, a, item, saved=gettext("已记录")))
                messages.success(request, gettext("已记录：{title}").format(title=item.title))
                return redirect(_back(request, a))
        status = 200 if request.htmx else 400
    ctx = {"form": form, "a": a, "item": item, "target": rules.target_text(item.target_kind, item.target_min,
                                                                           item.target_max)}
    template = "duties/partials/_record_form.html" if request.htmx else "duties/record.html"
    resp = render(request, template, ctx, status=status)
    if request.htmx and request.method == "POST":  # errors: show the form again in its slot, not over the card
        resp["HX-Retarget"] = f"#form-{a.pk}-{item.pk}"
        resp["HX-Reswap"] = "innerHTML"
    return resp


def _works_of(user, a: Assignment) -> list[tuple[str, str]]:
    """The member's own reports, proposals and diaries of the year, as link choices ("report:12"): the
    works other apps register (core.extensions.register_work; fieldwork's)."""
    start, end = date(a.year, 1, 1), date(a.year, 12, 31)
    out = []
    for key, work in works().items():
        if not any(has_perm(user, p) for p in work.perms):
            continue
        for obj in work.list_for(user, person=a.person, start=start, end=end).order_by("-date", "-id")[:15]:
            out.append((f"{key}:{obj.pk}", f"{work.label}：{obj.title}（{obj.date:%m-%d}）"))
    return out


def _back(request, a: Assignment) -> str:
    if a.person_id == request.user.person_id:
        return f"{reverse('duties:my')}?year={a.year}"
    return reverse("duties:assignment", args=[a.pk])


@require_POST
@web_view()
def evidence_withdraw(request, pk):
    ev = queries.get_evidence_for(request.user, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    back = request.POST.get("next") if str(request.POST.get("next", "")).startswith("/duties/") \
        else _back(request, ev.assignment)
    return act(request, lambda: services.evidence_withdraw(
        actor=request.user, evidence=ev, version=posted_version(request), reason=form.cleaned_data.get("reason") or ""),
        back=back, message=gettext("已撤回：{what}").format(what=ev.what))


@web_view()
def evidence_correct(request, pk):
    """更正: a new record carrying the changes replaces the old one (kept, marked 已更正)."""
    ev = queries.get_evidence_for(request.user, pk)
    a = ev.assignment
    if ev.status != Evidence.Status.RECORDED:
        messages.error(request, gettext("该记录已撤回或已更正，不能再更正"))
        return redirect(_back(request, a))
    form = CorrectForm(request.POST or None, initial={"what": ev.what, "day": ev.day, "with_whom": ev.with_whom,
                                                      "link_text": ev.link_text, "version": ev.version})
    done = submit(request, form, lambda d: services.evidence_correct(
        actor=request.user, evidence=ev, version=d["version"], what=d["what"], day=d["day"],
        with_whom=d["with_whom"], link_text=d["link_text"]),
        message=lambda _: gettext("已更正：{value}").format(value=form.cleaned_data['what']), success=lambda _: redirect("duties:assignment", pk=a.pk))
    return done or render(request, "duties/correct.html", {"form": form, "ev": ev, "a": a}, status=form_status(form))


@require_POST
@web_view("duties.manage")
def assignment_cancel(request, pk):
    """撤销一份已下发的清单 (confirmed in the page): it no longer counts; its evidence is kept."""
    a = queries.get_assignment_for(request.user, pk)
    return act(request, lambda: services.assignment_cancel(actor=request.user, assignment=a,
                                                           version=posted_version(request)),
               back=reverse("duties:assignment", args=[a.pk]),
               message=gettext("已撤销 {name} 的“{name2}”（{year}年）").format(name=a.person.name, name2=a.template.name, year=a.year))


@web_view()
def evidence_file(request, pk):
    ev = queries.get_evidence_for(request.user, pk)
    if not ev.attachment:
        raise Http404()
    return upload_response(ev.attachment, filename=ev.attachment_name or None)


@web_view()
def link_search(request):
    """Persons and organisations in reach matching `link_q`, as radio buttons for the evidence form."""
    q = search_words(request, "link_q")
    persons = orgs = []
    if len(q) >= 1:
        if has_perm(request.user, "people.view"):
            persons = list(people_queries.persons_for(request.user, q=q, where="duties")[:6])
        if has_perm(request.user, "org.view"):
            orgs = list(org_queries.organisations_for(request.user, q=q)[:6])
    return render(request, "duties/partials/_link_options.html",
                  {"persons": persons, "orgs": orgs, "q": q, "slot": request.GET.get("slot", "")})


# ---------------------------------------------------------------- the federation's view


def _unit_options(request, unit):
    return org_queries.unit_options_for(request.user, selected=unit)


@web_view("duties.view")
def progress(request):
    """Everyone's progress: counts, completion per item (chart), the members table (sortable, export)."""
    unit, year, today = unit_of(request, fallback="only", also_post=True), _year(request), _today()
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()
    qs = queries.assignments_for(request.user, unit=unit, year=year, q=q, state=state, day=today)
    policy = queries.schedule_policy(unit)
    if export_requested(request):
        require(request.user, "export")
        order = queries.ASSIGNMENT_SORTS.get(request.GET.get("sort") or "name", queries.ASSIGNMENT_SORTS["name"])[1]
        return xlsx_response(request, gettext("履职进度-{year}").format(year=year), gettext("履职进度"), queries.EXPORT_HEADERS,
                             queries.export_rows(qs.order_by(*order), today, policy))
    page, sort, next_url = list_page(request, qs, sorts=queries.ASSIGNMENT_SORTS, default="name")
    queries.with_states(page.items, today, policy)
    overview = queries.progress_overview(request.user, unit=unit, year=year, day=today)
    counts, completion, evidence = overview["counts"], overview["completion"], overview["evidence"]
    ctx = {"unit": unit, "year": year, "state": state, "q": q, "page": page, "sort": sort, "next_url": next_url,
           "first_url": first_page_url(request), "sorts": queries.ASSIGNMENT_SORTS, "counts": counts,
           "completion": completion, "evidence": evidence, "unit_options": _unit_options(request, unit),
           "chart": json.dumps(queries.completion_chart(completion), ensure_ascii=False, cls=DjangoJSONEncoder) if completion else "",
           "export_url": export_url(request), "states": list(rules.SCHEDULE_NAMES.items()),
           "threshold_pct": overview["threshold_pct"],
           "window_open": rules.in_list_window(today, year, policy),
           "window_opens": rules.list_window_opens(year, policy)}
    return render(request, "duties/progress.html", ctx)


@web_view("duties.view")
def behind(request):
    """Members behind schedule, with the 发送提醒 button."""
    unit, year, today = unit_of(request, fallback="only", also_post=True), _year(request), _today()
    policy = queries.schedule_policy(unit)
    qs = queries.behind_for(request.user, unit=unit, year=year, day=today)
    if export_requested(request):
        require(request.user, "export")
        order = queries.ASSIGNMENT_SORTS.get(request.GET.get("sort") or "progress",
                                             queries.ASSIGNMENT_SORTS["progress"])[1]
        return xlsx_response(request, gettext("进度落后名单-{year}").format(year=year), gettext("进度落后"), queries.EXPORT_HEADERS,
                             queries.export_rows(qs.order_by(*order), today, policy))
    page, sort, next_url = list_page(request, qs, sorts=queries.ASSIGNMENT_SORTS, default="progress")
    queries.with_states(page.items, today, policy)
    sent_today = set(queries.reminders_for(request.user, unit=unit, year=year).filter(day=today)
                     .values_list("assignment_id", flat=True))
    ctx = {"unit": unit, "year": year, "page": page, "sort": sort, "next_url": next_url,
           "first_url": first_page_url(request), "sorts": queries.ASSIGNMENT_SORTS, "sent_today": sent_today,
           "unit_options": _unit_options(request, unit), "window_open": rules.in_list_window(today, year, policy),
           "window_opens": rules.list_window_opens(year, policy), "days_left": rules.days_left(today, year), "year_over": today.year > year,
           "reminders": list(queries.reminders_for(request.user, unit=unit, year=year)[:20]),
           "export_url": export_url(request)}
    return render(request, "duties/behind.html", ctx)


@require_POST
@web_view("duties.manage")
def remind(request):
    unit, year = unit_of(request, fallback="only", also_post=True), _year(request)
    made = services.reminders_send(actor=request.user, assignments=queries.behind_for(request.user, unit=unit,
                                                                                       year=year, day=_today()))
    messages.success(request, gettext("已向 {value} 名进度落后的执委发送提醒").format(value=len(made)) if made else gettext("今天已提醒过，没有需要再提醒的人"))
    params = f"?year={year}" + (f"&unit={unit.pk}" if unit else "")
    return redirect(reverse("duties:behind") + params)


@web_view("duties.manage")
def review(request, pk):
    a = queries.get_assignment_for(request.user, pk)
    if not reach_of(request.user).covers_obj(a):
        raise NotFound()
    existing = queries.review_of(a)
    initial = ({"rating": existing.rating, "comment": existing.comment, "reviewed_on": existing.reviewed_on,
                "version": existing.version} if existing else None)
    form = ReviewForm(request.POST or None, initial=initial)
    done = submit(request, form, lambda d: services.review_record(
        actor=request.user, assignment=a, rating=d["rating"], comment=d["comment"], reviewed_on=d["reviewed_on"],
        version=d.get("version")),
        message=gettext("已保存 {name} 的述职评议").format(name=a.person.name), success=lambda _: redirect("duties:assignment", pk=a.pk))
    if done:
        return done
    rows = queries.item_rows([a])[a.pk]
    return render(request, "duties/review.html", {"form": form, "a": a, "rows": rows, "review": existing},
                  status=form_status(form))


# ---------------------------------------------------------------- home panel


def home_panel(request) -> str:
    """Her own checklist progress (one query); for managers, this year's counts in reach (one query)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return ""
    today = _today()
    mine = queries.my_assignments(user, year=today.year) if has_perm(user, "duties.record") else []
    counts = None
    if not mine and has_perm(user, "duties.view"):
        counts = queries.progress_overview(user, unit=None, year=today.year, day=today)["counts"]
        if not counts["total"]:
            counts = None
    if not mine and counts is None:
        return ""
    for a in mine:
        a.state = rules.schedule_state(a.items_done, a.items_total, today, a.year)
        a.state_name = rules.SCHEDULE_NAMES[a.state]
    reminder = queries.latest_reminder(mine, since=today - timedelta(days=30)) if mine else None
    return render_to_string("duties/partials/_home_panel.html", {"mine": mine, "counts": counts, "year": today.year,
                                                                 "reminder": reminder}, request=request)
