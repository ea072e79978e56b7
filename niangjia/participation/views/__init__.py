"""Staff pages of consultations: list, form, questionnaire builder, paper entry, one-time links,
results with charts and Excel. Thin: parse, fetch through queries, call services, render."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core.access import may
from niangjia.core.errors import ValidationFailed
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
    unit_of,
    web_view,
)
from niangjia.needs.models import Need
from niangjia.org import queries as org_queries

from .. import charts, queries, services
from ..forms import ConsultationForm, QuestionForm
from ..models import Channel
from ..sheet import field_errors, parse_sheet

CONSULTATION_SORTS = {"opens": (gettext_lazy("开始日期（新→旧）"), ("-opens_on", "-id")),
                      "closes": (gettext_lazy("截止日期（近→远）"), ("closes_on", "id")),
                      "title": (gettext_lazy("标题"), ("title", "id"))}
STATES = [("draft", gettext_lazy("未发布")), ("not_yet", gettext_lazy("尚未开始")), ("open", gettext_lazy("进行中")), ("closed", gettext_lazy("已结束"))]


def public_url(request, c) -> str:
    return request.build_absolute_uri(reverse("participation_public:answer", args=[c.pk]))


@web_view("participation.view")
def consultation_list(request):
    unit, q, state = unit_of(request), request.GET.get("q", "").strip()[:50], request.GET.get("state", "")
    qs = queries.consultations_for(request.user, unit=unit, q=q, state=state)
    if export_requested(request):
        require(request.user, "export")
        rows = ([c.title, c.unit.name, c.audience.name, c.opens_on, c.closes_on, queries.state_label(c),
                 c.get_identity_display(), c.response_count] for c in qs.order_by("-opens_on", "-id")[:50_000])
        return xlsx_response(request, _("意见征集"), _("意见征集"), [_("标题"), _("发起组织"), _("面向范围"), _("开始日期"), _("截止日期"), _("状态"),
                                                    _("防重复方式"), _("答卷数")], rows)
    page, sort, next_url = list_page(request, qs, sorts=CONSULTATION_SORTS, default="opens")
    ctx = {"section": "consultations", "page": page, "sort": sort, "sorts": CONSULTATION_SORTS,
           "next_url": next_url, "first_url": first_page_url(request), "unit": unit, "q": q, "state": state,
           "states": STATES, "unit_options": org_queries.unit_options_for(request.user, selected=unit),
           "export_url": export_url(request),
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
            messages.success(request, _("已创建意见征集，请添加问卷题目后发布"))
            return redirect("participation:consultation", pk=c.pk)
    return render(request, "participation/consultation_form.html", {"form": form, "section": "consultations"})


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
        message=_("已保存"), success=lambda _: redirect("participation:consultation", pk=c.pk))
    return done or render(request, "participation/consultation_form.html",
                          {"form": form, "c": c, "section": "consultations"},
                          status=form_status(form))


@web_view("participation.view")
def consultation_detail(request, pk):
    return _detail_page(request, queries.get_consultation_for(request.user, pk))


def _detail_page(request, c, status: int = 200):
    ctx = {"c": c, "questions": list(c.questions.all()), "state": services.state_of(c),
           "state_label": queries.state_label(c), "qform": QuestionForm(), "public_url": public_url(request, c),
           "section": "consultations",
           "kinds": QuestionForm.base_fields["kind"].choices, "activities": list(c.activities.all()[:10])}
    return render(request, "participation/consultation.html", ctx, status=status)


def _url(c, anchor=""):
    return reverse("participation:consultation", args=[c.pk]) + anchor


def _back(c, anchor=""):
    return redirect(_url(c, anchor))


@require_POST
@web_view("participation.manage")
def consultation_publish(request, pk):
    c = queries.get_consultation_for(request.user, pk, write=True)
    publish = request.POST.get("published") == "1"
    return act(request, lambda: services.consultation_publish(
        actor=request.user, consultation=c, version=posted_version(request), published=publish),
        back=_url(c), message=_("已发布") if publish else _("已撤回为草稿"))


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
               back=_url(c, "#add-question"), message=lambda q: _("已添加第 {position} 题").format(position=q.position),
               then=lambda q: _url(c, f"#q-{q.pk}"))


def _question_step(request, q, call, *, message=None, anchor=None):
    """A builder button or the inline edit of one question: it posts the version it was shown, and
    `call(version)` runs the service. A refusal shows the questionnaire again with its reason and status:
    a missing or garbage version 400, a stale one 409 (someone else changed the question meanwhile)."""
    return act(request, lambda: call(posted_version(request)), message=message,
               back=_url(q.consultation, f"#q-{q.pk}" if anchor is None else anchor),
               refused=lambda exc: _detail_page(
                   request, queries.get_consultation_for(request.user, q.consultation_id), exc.status))


@require_POST
@web_view("participation.manage")
def question_edit(request, pk):
    q = queries.get_question_for(request.user, pk, write=True)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_message(form))
        return _detail_page(request, q.consultation, 400)
    return _question_step(request, q, lambda v: services.question_update(
        actor=request.user, question=q, version=v, **_question_args(form)), message=_("已保存第 {position} 题").format(position=q.position))


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
                          message=_("已删除该题"), anchor="")


@web_view("participation.manage")
def paper_entry(request, pk):
    """A cadre types in a paper questionnaire (one sheet per submit; the form key makes a
    double-click one sheet)."""
    c = queries.get_consultation_for(request.user, pk, write=True)
    questions = list(c.questions.all())
    if request.method == "POST":
        values = parse_sheet(questions, request.POST)
        return act(request, lambda: services.submit_response(
            consultation=c, values=values, channel=Channel.PAPER, actor=request.user, key=request.POST.get("key", ""),
            phone=request.POST.get("phone", "")), back=reverse("participation:paper", args=[c.pk]),
            message=_("已录入一份纸质问卷，可继续录入下一份"),
            refused=lambda exc: _paper_page(request, c, questions, values, _sheet_errors(exc)))
    return _paper_page(request, c, questions, {}, {})


def _sheet_errors(exc) -> dict[int, str]:
    """A refused sheet's problems under their questions (other refusals say theirs on top)."""
    return field_errors(exc) if isinstance(exc, ValidationFailed) else {}


def _paper_page(request, c, questions, values, errors):
    ctx = {"c": c, "questions": questions, "errors": errors, "values": values, "key": form_key(),
           "section": "consultations",
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
               message=_("已作废第 {pk} 号答卷").format(pk=r.pk))


@web_view("participation.manage")
def response_correct(request, pk):
    """Re-type a mistyped paper sheet: the old one is voided and the new one points at it."""
    r = queries.get_response_for(request.user, pk, write=True)
    c = r.consultation
    questions = list(c.questions.all())
    if request.method == "POST":
        values, reason = parse_sheet(questions, request.POST), request.POST.get("reason", "")
        return act(request, lambda: services.response_correct(
            actor=request.user, response=r, values=values, reason=reason, key=request.POST.get("key", ""),
            phone=request.POST.get("phone", "")),
            message=lambda done: _("已更正：第 {pk} 号答卷作废，新答卷为第 {pk2} 号").format(pk=r.pk, pk2=done[0].pk),
            then=lambda done: reverse("participation:paper", args=[c.pk]) + f"#sheet-{done[0].pk}",
            refused=lambda exc: _correct_page(request, r, questions, values, reason, _sheet_errors(exc)))
    return _correct_page(request, r, questions, queries.sheet_values(r), "", {})


def _correct_page(request, r, questions, values, reason, errors):
    ctx = {"c": r.consultation, "r": r, "questions": questions, "errors": errors, "values": values, "reason": reason,
           "key": request.POST.get("key") or form_key(), "section": "consultations"}
    return render(request, "participation/response_correct.html", ctx, status=400 if errors else 200)


@require_POST
@web_view("participation.manage")
def links_issue(request, pk):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return act(request, lambda: services.issue_links(
        actor=request.user, consultation=c, count=query_int(request.POST.get("count")) or 0,
        ttl_days=min(max(query_int(request.POST.get("days")) or 30, 1), 365)),
        back=_url(c, "#links"), then=lambda tokens: render(request, "participation/links.html", {
            "c": c, "links": [f"{public_url(request, c)}?t={t}" for t in tokens], "section": "consultations"}))


@web_view("participation.view")
def results(request, pk):
    c = queries.get_consultation_for(request.user, pk)
    if export_requested(request):
        require(request.user, "export")
        headers, rows = queries.results_export(c)
        return xlsx_response(request, _("意见征集结果-{title}").format(title=c.title)[:60], _("答卷"), headers, rows)
    items = queries.results(c)
    for r in items:
        option = charts.question_chart(r)
        r.chart = json.dumps(option, ensure_ascii=False, cls=DjangoJSONEncoder) if option else ""
    activities = list(queries.activities_for(request.user, unit=c.unit).exclude(status="cancelled")[:30]) \
        if may(request.user, "participation.manage", c) else []
    ctx = {"c": c, "items": items, "state_label": queries.state_label(c),
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
               message=lambda need: _("已转入需求台账（查询码 {tracking_code}）").format(tracking_code=need.tracking_code))


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
               message=lambda activity: _("已转为活动点子") + (f"（{activity.title}）" if activity else ""))


# ---------------------------------------------------------------- home panel


def home_panel(request) -> str:
    user = request.user
    if not getattr(user, "is_authenticated", False) or not has_perm(user, "participation.view"):
        return ""
    return render_to_string("participation/partials/_home_panel.html", {"s": queries.home_summary(user)},
                            request=request)

