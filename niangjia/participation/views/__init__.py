"""Staff pages of consultations: list, form, questionnaire builder, paper entry, one-time links,
results with charts and Excel. Thin: parse, fetch through queries, call services, render."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from niangjia.core.errors import DomainError, ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.public import form_key
from niangjia.core.roles import has_perm, require
from niangjia.core.web import (
    act,
    export_requested,
    export_url,
    first_page_url,
    form_errors_from,
    form_status,
    list_page,
    posted_version,
    query_int,
    submit,
    web_view,
)
from niangjia.needs.models import Need
from niangjia.org import queries as org_queries

from .. import charts, queries, services
from ..forms import ConsultationForm, QuestionForm
from ..models import Channel
from ..sheet import field_errors, parse_sheet

CONSULTATION_SORTS = {"opens": ("开始日期（新→旧）", ("-opens_on", "-id")),
                      "closes": ("截止日期（近→远）", ("closes_on", "id")),
                      "title": ("标题", ("title", "id"))}
STATES = [("draft", "未发布"), ("not_yet", "尚未开始"), ("open", "进行中"), ("closed", "已结束")]


def _unit(request):
    raw = request.GET.get("unit")
    return org_queries.get_federation_for(request.user, raw) if raw else None


def _may(user) -> dict:
    return {"view": has_perm(user, "participation.view"), "manage": has_perm(user, "participation.manage"),
            "export": has_perm(user, "export")}


def _may_for(user, c) -> dict:
    """What the user may do with this consultation: manage only one her reach owns (a consultation
    seen through its audience is read-only); planning an activity from it is open to any manager."""
    may = _may(user)
    return may | {"plan": may["manage"], "manage": may["manage"] and queries.owns(user, c),
                  "owned": queries.owns(user, c)}


def public_url(request, c) -> str:
    return request.build_absolute_uri(reverse("participation_public:answer", args=[c.pk]))


@web_view("participation.view")
def consultation_list(request):
    unit, q, state = _unit(request), request.GET.get("q", "").strip()[:50], request.GET.get("state", "")
    qs = queries.consultations_for(request.user, unit=unit, q=q, state=state)
    if export_requested(request):
        require(request.user, "export")
        rows = ([c.title, c.unit.name, c.audience.name, c.opens_on, c.closes_on, queries.state_label(c),
                 c.get_identity_display(), c.response_count] for c in qs.order_by("-opens_on", "-id")[:50_000])
        return xlsx_response(request, "意见征集", "意见征集", ["标题", "发起组织", "面向范围", "开始日期", "截止日期", "状态",
                                                    "防重复方式", "答卷数"], rows)
    page, sort, next_url = list_page(request, qs, sorts=CONSULTATION_SORTS, default="opens")
    ctx = {"section": "consultations", "page": page, "sort": sort, "sorts": CONSULTATION_SORTS,
           "next_url": next_url, "first_url": first_page_url(request), "unit": unit, "q": q, "state": state,
           "states": STATES, "unit_options": org_queries.unit_options_for(request.user, selected=unit),
           "export_url": export_url(request), "may": _may(request.user),
           "labels": {c.pk: queries.state_label(c) for c in page.items}}
    return render(request, "participation/consultations.html", ctx)


def _form_kwargs(user):
    return {"units": org_queries.unit_options_for(user)}


@web_view("participation.manage")
def consultation_new(request):
    form = ConsultationForm(request.POST or None, **_form_kwargs(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            unit = org_queries.get_federation_for(request.user, d["unit"])
            audience = org_queries.get_federation_for(request.user, d["audience"]) if d["audience"] else unit
            c = services.consultation_create(
                actor=request.user, unit=unit, audience=audience, title=d["title"], intro=d["intro"],
                opens_on=d["opens_on"], closes_on=d["closes_on"], identity=d["identity"],
                via_link=d["via_link"], via_wechat=d["via_wechat"], via_website=d["via_website"],
                via_paper=d["via_paper"])
        except ValidationFailed as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "已创建意见征集，请添加问卷题目后发布")
            return redirect("participation:consultation", pk=c.pk)
    return render(request, "participation/consultation_form.html", {"form": form, "section": "consultations",
                                                                    "may": _may(request.user)})


@web_view("participation.manage")
def consultation_edit(request, pk):
    c = queries.get_consultation_for(request.user, pk, write=True)
    initial = {f: getattr(c, f) for f in services.consultations.EDITABLE} | {"unit": c.unit_id,
                                                                                    "audience": c.audience_id}
    form = ConsultationForm(request.POST or None, initial=initial, units=[c.unit])
    form.fields["audience"].disabled = form.fields["unit"].disabled = True
    done = submit(request, form, lambda d: services.consultation_update(
        actor=request.user, consultation=c, version=posted_version(request),
        changes={f: d[f] for f in services.consultations.EDITABLE}),
        message="已保存", success=lambda _: redirect("participation:consultation", pk=c.pk))
    return done or render(request, "participation/consultation_form.html",
                          {"form": form, "c": c, "section": "consultations", "may": _may(request.user)},
                          status=form_status(form))


@web_view("participation.view")
def consultation_detail(request, pk):
    return _detail_page(request, queries.get_consultation_for(request.user, pk))


def _detail_page(request, c, status: int = 200):
    ctx = {"c": c, "questions": list(c.questions.all()), "state": services.state_of(c),
           "state_label": queries.state_label(c), "qform": QuestionForm(), "public_url": public_url(request, c),
           "may": _may_for(request.user, c), "section": "consultations",
           "kinds": QuestionForm.base_fields["kind"].choices, "activities": list(c.activities.all()[:10])}
    return render(request, "participation/consultation.html", ctx, status=status)


def _url(c, anchor=""):
    return reverse("participation:consultation", args=[c.pk]) + anchor


def _back(c, anchor=""):
    return redirect(_url(c, anchor))


def _refusal(request, exc: DomainError):
    if exc.status in (403, 404):
        raise exc
    messages.error(request, exc.message)


@require_POST
@web_view("participation.manage")
def consultation_publish(request, pk):
    c = queries.get_consultation_for(request.user, pk, write=True)
    publish = request.POST.get("published") == "1"
    return act(request, lambda: services.consultation_publish(
        actor=request.user, consultation=c, version=posted_version(request), published=publish),
        back=_url(c), message="已发布" if publish else "已撤回为草稿")


def _question_args(form) -> dict:
    d = form.cleaned_data
    return {"kind": d["kind"], "text": d["text"], "options": form.option_list(), "required": d["required"],
            "max_choices": d["max_choices"], "scale": d["scale"] or 5}


def _form_message(form) -> str:
    return "；".join(f"{form.fields[k].label if k in form.fields else ''}：{'，'.join(v)}".lstrip("：")
                    for k, v in form.errors.items())


@require_POST
@web_view("participation.manage")
def question_add(request, pk):
    c = queries.get_consultation_for(request.user, pk, write=True)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return _back(c, "#add-question")
    return act(request, lambda: services.question_add(actor=request.user, consultation=c, **_question_args(form)),
               back=_url(c, "#add-question"), message=lambda q: f"已添加第 {q.position} 题",
               then=lambda q: _url(c, f"#q-{q.pk}"))


def _question_step(request, q, call, *, message=None, anchor=None):
    """A builder button or the inline edit of one question: it posts the version it was shown, and
    `call(version)` runs the service. A refusal shows the questionnaire again with its reason and status:
    a missing or garbage version 400, a stale one 409 (someone else changed the question meanwhile)."""
    try:
        call(posted_version(request))
    except DomainError as exc:
        _refusal(request, exc)
        return _detail_page(request, queries.get_consultation_for(request.user, q.consultation_id), exc.status)
    if message:
        messages.success(request, message)
    return _back(q.consultation, f"#q-{q.pk}" if anchor is None else anchor)


@require_POST
@web_view("participation.manage")
def question_edit(request, pk):
    q = queries.get_question_for(request.user, pk, write=True)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return _detail_page(request, q.consultation, 400)
    return _question_step(request, q, lambda v: services.question_update(
        actor=request.user, question=q, version=v, **_question_args(form)), message=f"已保存第 {q.position} 题")


@require_POST
@web_view("participation.manage")
def question_move(request, pk):
    q = queries.get_question_for(request.user, pk, write=True)
    return _question_step(request, q, lambda v: services.question_move(
        actor=request.user, question=q, version=v, direction=request.POST.get("direction", "")))


@require_POST
@web_view("participation.manage")
def question_remove(request, pk):
    q = queries.get_question_for(request.user, pk, write=True)
    return _question_step(request, q, lambda v: services.question_remove(actor=request.user, question=q, version=v),
                          message="已删除该题", anchor="")


@web_view("participation.manage")
def paper_entry(request, pk):
    """A cadre types in a paper questionnaire (one sheet per submit; the form key makes a
    double-click one sheet)."""
    c = queries.get_consultation_for(request.user, pk, write=True)
    questions = list(c.questions.all())
    errors, values = {}, {}
    if request.method == "POST":
        values = parse_sheet(questions, request.POST)
        try:
            services.submit_response(consultation=c, values=values, channel=Channel.PAPER, actor=request.user,
                                     key=request.POST.get("key", ""), phone=request.POST.get("phone", ""))
        except ValidationFailed as exc:
            errors = field_errors(exc)
            messages.error(request, exc.message)
        except DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, "已录入一份纸质问卷，可继续录入下一份")
            return redirect("participation:paper", pk=c.pk)
    ctx = {"c": c, "questions": questions, "errors": errors, "values": values, "key": form_key(),
           "section": "consultations", "may": _may(request.user),
           "paper_closed": services.channel_refusal(c, Channel.PAPER),
           "sheets": list(queries.paper_sheets(c)[:PAPER_SHEETS_SHOWN])}
    return render(request, "participation/paper_entry.html", ctx)


PAPER_SHEETS_SHOWN = 30


@require_POST
@web_view("participation.manage")
def response_void(request, pk):
    """Void a mistyped paper sheet (kept, marked, left out of the results)."""
    r = queries.get_response_for(request.user, pk, write=True)
    return act(request, lambda: services.response_void(actor=request.user, response=r,
                                                       reason=request.POST.get("reason", "")),
               back=reverse("participation:paper", args=[r.consultation_id]) + f"#sheet-{r.pk}",
               message=f"已作废第 {r.pk} 号答卷")


@web_view("participation.manage")
def response_correct(request, pk):
    """Re-type a mistyped paper sheet: the old one is voided and the new one points at it."""
    r = queries.get_response_for(request.user, pk, write=True)
    c = r.consultation
    questions = list(c.questions.all())
    errors, values, reason = {}, queries.sheet_values(r), ""
    if request.method == "POST":
        values, reason = parse_sheet(questions, request.POST), request.POST.get("reason", "")
        try:
            new, _ = services.response_correct(actor=request.user, response=r, values=values, reason=reason,
                                               key=request.POST.get("key", ""), phone=request.POST.get("phone", ""))
        except ValidationFailed as exc:
            errors = field_errors(exc)
            messages.error(request, "；".join(v for k, v in exc.fields.items() if k in ("reason", "phone"))
                           or exc.message)
        except DomainError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, f"已更正：第 {r.pk} 号答卷作废，新答卷为第 {new.pk} 号")
            return redirect(reverse("participation:paper", args=[c.pk]) + f"#sheet-{new.pk}")
    ctx = {"c": c, "r": r, "questions": questions, "errors": errors, "values": values, "reason": reason,
           "key": request.POST.get("key") or form_key(), "section": "consultations", "may": _may(request.user)}
    return render(request, "participation/response_correct.html", ctx, status=400 if errors else 200)


@require_POST
@web_view("participation.manage")
def links_issue(request, pk):
    c = queries.get_consultation_for(request.user, pk, write=True)
    try:
        tokens = services.issue_links(actor=request.user, consultation=c, count=query_int(request.POST.get("count")) or 0,
                                      ttl_days=min(max(query_int(request.POST.get("days")) or 30, 1), 365))
    except DomainError as exc:
        _refusal(request, exc)
        return _back(c, "#links")
    base = public_url(request, c)
    links = [f"{base}?t={t}" for t in tokens]
    return render(request, "participation/links.html", {"c": c, "links": links, "section": "consultations",
                                                        "may": _may(request.user)})


@web_view("participation.view")
def results(request, pk):
    c = queries.get_consultation_for(request.user, pk)
    if export_requested(request):
        require(request.user, "export")
        headers, rows = queries.results_export(c)
        return xlsx_response(request, f"意见征集结果-{c.title}"[:60], "答卷", headers, rows)
    items = queries.results(c)
    for r in items:
        option = charts.question_chart(r)
        r.chart = json.dumps(option, ensure_ascii=False) if option else ""
    activities = list(queries.activities_for(request.user, unit=c.unit).exclude(status="cancelled")[:30]) \
        if has_perm(request.user, "participation.manage") and queries.owns(request.user, c) else []
    ctx = {"c": c, "items": items, "state_label": queries.state_label(c), "may": _may_for(request.user, c),
           "section": "consultations", "categories": Need.Category.choices, "activities": activities,
           "export_url": "?export=xlsx"}
    return render(request, "participation/results.html", ctx)


@require_POST
@web_view("participation.manage")
def answer_to_need(request, pk):
    a = queries.get_answer_for(request.user, pk, write=True)
    return act(request, lambda: services.answer_to_need(actor=request.user, answer=a,
                                                        category=request.POST.get("category", ""),
                                                        urgency=request.POST.get("urgency", "normal")),
               back=reverse("participation:results", args=[a.response.consultation_id]) + f"#answer-{a.pk}",
               message=lambda need: f"已转入需求台账（查询码 {need.tracking_code}）")


@require_POST
@web_view("participation.manage")
def answer_to_idea(request, pk):
    a = queries.get_answer_for(request.user, pk, write=True)
    activity_id = query_int(request.POST.get("activity"))

    def to_idea():
        activity = queries.get_activity_for(request.user, activity_id, write=True) if activity_id else None
        services.answer_to_idea(actor=request.user, answer=a, activity=activity)
        return activity

    return act(request, to_idea,
               back=reverse("participation:results", args=[a.response.consultation_id]) + f"#answer-{a.pk}",
               message=lambda activity: "已转为活动点子" + (f"（{activity.title}）" if activity else ""))


# ---------------------------------------------------------------- home panel


def home_panel(request) -> str:
    user = request.user
    if not getattr(user, "is_authenticated", False) or not has_perm(user, "participation.view"):
        return ""
    return render_to_string("participation/partials/_home_panel.html", {"s": queries.home_summary(user)},
                            request=request)

