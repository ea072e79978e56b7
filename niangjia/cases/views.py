"""Case and hotline pages: thin views that parse input, read through queries, write through services."""

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import F
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from niangjia.core.access import scoped
from niangjia.core.errors import NotFound, ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.validators import national_phone
from niangjia.core.web import (
    EXPORT_MAX_ROWS,
    act,
    export_requested,
    export_url,
    first_page_url,
    form_status,
    list_page,
    posted_version,
    query_date,
    query_int,
    submit,
    unit_of,
    web_view,
)
from niangjia.needs import queries as needs_queries
from niangjia.needs import services as needs_services
from niangjia.org import queries as org_queries
from niangjia.org.models import Organisation
from niangjia.people import queries as people_queries

from . import approvals, exports, intake, queries, rules, services
from .approvals import open_approval
from .forms import (
    AssessForm,
    CallHandleForm,
    CaseEditForm,
    CaseFieldsForm,
    CaseOpenForm,
    CloseForm,
    FollowUpForm,
    ManualCallForm,
    OverrideForm,
    ReferralForm,
    ReferralStatusForm,
)
from .models import CaseApproval, CaseStatus, CaseType, HotlineCall, Risk

CASE_SORTS = {"new": (gettext_lazy("接案时间（近到远）"), ("-opened_at", "-id")), "old": (gettext_lazy("接案时间（远到近）"), ("opened_at", "id")),
              "contact": (gettext_lazy("最近跟进（远到近）"), ("last_contact_at", "id"))}
CALL_SORTS = {"todo": (gettext_lazy("未处理在前"), ("handled", "-started_at", "-id")), "new": (gettext_lazy("来电时间（近到远）"), ("-started_at", "-id"))}
STATUS_FILTERS = [("open", gettext_lazy("未结案")), *CaseStatus.choices]


def _home_unit(user):
    units = [s.unit for s in user.scopes.select_related("unit").filter(unit__is_active=True)]
    return max(units, key=lambda u: u.level) if units else None


def _users(ids):
    return list(get_user_model().objects.filter(pk__in=ids))


# ---------------------------------------------------------------- lists


@web_view()
def my_cases(request):
    """我的个案: the cases the user is on (worker, named supervisor, admin). Counts-only users go to counts."""
    user = request.user
    if not queries.may_see_cases(user):
        if has_perm(user, "cases.view"):
            return redirect("cases:counts")
        require(user, "cases.handle")
    g = request.GET
    qs = queries.cases_for(user, status=g.get("status", "open"), risk=g.get("risk", ""),
                           case_type=g.get("type", ""), q=g.get("q", ""))
    if export_requested(request):  # an export of case rows is a read of case data: audited
        return xlsx_response(request, gettext("我的维权个案"), gettext("维权个案"), exports.CASE_HEADERS, exports.case_rows_audited(user, qs))
    page, sort, next_url = list_page(request, qs, sorts=CASE_SORTS, default="new")
    queries.record_list_read(user, page.items, channel="web")
    return render(request, "cases/my_cases.html", {
        "page": page, "sort": sort, "sorts": CASE_SORTS, "next_url": next_url, "first_url": first_page_url(request),
        "export_url": export_url(request), "statuses": STATUS_FILTERS, "risks": Risk.choices,
        "types": CaseType.choices, "f": {"status": g.get("status", "open"), "risk": g.get("risk", ""),
                                         "type": g.get("type", ""), "q": g.get("q", "")}})


@web_view("cases.view")
def counts(request):
    """Counts for everyone with cases.view: by type, risk and status; referrals by agency and status."""
    unit = unit_of(request)
    c = queries.counts_for(request.user, unit=unit)
    if export_requested(request):
        return xlsx_response(request, gettext("维权个案统计"), gettext("维权个案统计"), exports.COUNT_HEADERS, exports.count_rows(c))
    return render(request, "cases/counts.html", {
        "c": c, "unit": unit, "export_url": export_url(request),
        "unit_options": org_queries.unit_options_for(request.user, selected=unit)})


# ---------------------------------------------------------------- open a case


def _staff_choices(unit):
    return {"workers": queries.caseworkers_for(unit) if unit else [],
            "supervisors": queries.supervisors_for(unit) if unit else []}


def _case_kwargs(form) -> dict:
    d = form.cleaned_data
    return {"case_type": d["case_type"], "narrative": d["narrative"], "worker": _users([d["worker"]])[0],
            "supervisors": _users(d.get("supervisors") or []), "answers": form.answers(),
            "risk_level": d.get("risk_level") or None, "risk_override_reason": d.get("risk_override_reason", ""),
            "consent_store": d["consent_store"], "consent_share": d["consent_share"],
            "consent_contact": d["consent_contact"], "name": d.get("name", ""), "phone": d.get("phone", ""),
            "id_number": d.get("id_number", ""), "address": d.get("address", "")}


def _opened(request, case, warnings):
    for w in warnings:
        messages.warning(request, w)
    messages.success(request, gettext("已接案 {number}，交 {display_name} 办理").format(number=case.number, display_name=case.worker.display_name))
    if queries.knows(request.user, case):
        return redirect("cases:detail", pk=case.pk)
    return redirect("cases:hotline" if has_perm(request.user, "hotline.intake") else "cases:counts")


@web_view()
def case_new(request):
    """接案: a walk-in, intake point, rights post or online complaint."""
    if not has_perm(request.user, "hotline.intake"):
        require(request.user, "cases.handle")
    home = _home_unit(request.user)
    units = people_queries.units_to_pick(request.user, depth=1)
    form = CaseOpenForm(request.POST or None, units=units, initial={"unit": getattr(home, "pk", None)},
                        **_staff_choices(home))

    def open_case(d):
        unit = next((u for u in units if u.pk == d["unit"]), None)
        if unit is None:
            raise ValidationFailed(gettext("所选组织不存在或不在您的管辖范围内"), fields={"unit": gettext("无效")})
        return services.case_open(actor=request.user, unit=unit, channel=d["channel"], **_case_kwargs(form))

    done = submit(request, form, open_case, success=lambda opened: _opened(request, *opened))
    return done or render(request, "cases/case_new.html", {"form": form}, status=form_status(form))


@web_view("cases.handle")
def case_from_need(request, need_pk):
    """转为维权个案: a need of the ledger becomes a case; the need is referred to it in the same transaction."""
    need = needs_queries.get_need_for(request.user, need_pk, perm="needs.view")
    form = CaseFieldsForm(request.POST or None, initial=_need_initial(request, need), **_staff_choices(need.unit))
    # the service links the need's person when no name is given
    done = submit(request, form, lambda d: services.case_from_need(
        actor=request.user, need=need, need_version=posted_version(request), **_case_kwargs(form)),
        success=lambda opened: _opened(request, *opened))
    return done or render(request, "cases/case_from_need.html", {"form": form, "need": need},
                          status=form_status(form))


def _need_initial(request, need) -> dict:
    """The need's words as the narrative; her name and phone from the need (its contact read is audited)."""
    initial = {"narrative": need.description, "worker": request.user.pk}
    if request.method == "GET" and (need.contact_name_mask or need.contact_phone_mask) and not need.person_id:
        contact = needs_services.contact_reveal(actor=request.user, need=need)
        initial.update(name=contact["name"], phone=contact["phone"])
    return initial


# ---------------------------------------------------------------- one case


def _detail_ctx(request, case) -> dict:
    user = request.user
    agencies = scoped(Organisation.objects.filter(is_active=True), user).filter(
        **{f"l{case.unit.level}": case.unit_id}).exclude(kind__in=["social_org"]).order_by("kind", "name")[:200]
    answers = case.assessment or {}
    refs = list(case.referrals.select_related("agency"))
    for r in refs:
        r.moves = [(s, n) for s, n in ReferralStatusForm.base_fields["to"].choices if rules.referral_may_move(r.status, s)]
    clear = queries.clear_fields(case)

    pending = open_approval(case)
    return {"case": case, "clear": clear, "supervisors": list(case.supervisors.all()), "pending": pending,
            "questions": [(q, answers.get(k)) for k, q in rules.QUESTIONS.items()],
            "consents": list(case.consents.select_related("recorded_by")), "referrals": refs,
            "follow_ups": queries.follow_ups_of(case), "events": list(case.events.select_related("actor")),
            "moves": [(m, dict(CaseStatus.choices)[m]) for m in rules.allowed_case_moves(case.status) if m != "closed"],
            "assess_form": AssessForm(initial={f"q_{k}": v for k, v in answers.items()}),
            "close_form": CloseForm(), "referral_form": ReferralForm(agencies=agencies, case=case),
            "follow_form": FollowUpForm(), "override_form": OverrideForm(),
            "workers": queries.caseworkers_for(case.unit), "supervisor_choices": queries.supervisors_for(case.unit),
            "supervisor_ids": {s.pk for s in case.supervisors.all()},
            "edit_form": CaseEditForm(initial={"case_type": case.case_type, **_edit_initial(clear)})}


def _edit_initial(clear: dict) -> dict:
    return {"narrative": clear["narrative"], "phone": national_phone(clear["phone"]), "id_number": clear["id_number"],
            "address": clear["address"]}


@web_view()
def case_detail(request, pk):
    case = queries.get_case_for(request.user, pk)
    return render(request, "cases/case_detail.html", _detail_ctx(request, case))


def _act_move(request, case):
    to = request.POST.get("to", "")
    services.case_transition(actor=request.user, case=case, to=to, version=posted_version(request))
    return gettext("状态已变更为“{value}”").format(value=case.get_status_display())


def _act_close(request, case):
    form = CloseForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    d = form.cleaned_data
    try:
        services.case_transition(actor=request.user, case=case, to="closed", version=posted_version(request),
                                 outcome=d["outcome"], reason=d["reason"], satisfaction=d["satisfaction"])
    except services.ApprovalNeeded:
        return _ask_approval(request, case, "close", {"outcome": d["outcome"], "reason": d["reason"],
                                                      "satisfaction": d["satisfaction"]})
    return gettext("已结案")


def _ask_approval(request, case, kind: str, payload: dict) -> str:
    approvals.approval_request(actor=request.user, case=case, kind=kind, payload=payload)
    names = "、".join(s.display_name for s in case.supervisors.all())
    return gettext("高风险个案须经督导批准：已提交申请，等待 {names} 审批").format(names=names)


def _act_approval(request, case):
    ap = CaseApproval.objects.filter(case=case, pk=query_int(request.POST.get("approval"))).first()
    if ap is None:
        raise NotFound()
    approve = request.POST.get("decision") == "approve"
    approvals.approval_decide(actor=request.user, approval=ap, approve=approve, note=request.POST.get("note", ""))
    return (gettext("已批准：{kind}") if approve else gettext("已退回：{kind}")).format(kind=ap.get_kind_display())


def _act_assess(request, case):
    form = AssessForm(request.POST)
    form.is_valid()
    args = {"answers": form.answers(), "risk_level": form.cleaned_data.get("risk_level") or None,
            "risk_override_reason": form.cleaned_data.get("risk_override_reason", "")}
    try:
        services.case_assess(actor=request.user, case=case, version=posted_version(request), **args)
    except services.ApprovalNeeded:
        return _ask_approval(request, case, "lower_risk", args)
    return gettext("已评估：{value}风险").format(value=case.get_risk_level_display())


def _act_consent(request, case):
    given = request.POST.get("given") == "1"
    services.consent_set(actor=request.user, case=case, kind=request.POST.get("kind", ""), given=given,
                         note=request.POST.get("note", ""))
    return gettext("已记录同意") if given else gettext("已记录撤回同意")


def _act_override(request, case):
    services.override_record(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    return gettext("已记录紧急共享，已通知上级督导")


def _act_refer(request, case):
    try:
        agency = Organisation.objects.get(pk=int(request.POST.get("agency", "0")))
    except (Organisation.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("转介单位不存在")) from exc
    ref = services.referral_create(actor=request.user, case=case, agency=agency, note=request.POST.get("note", ""))
    return gettext("已转介至 {name}").format(name=ref.agency.name)


def _act_referral(request, case):
    ref = queries.get_referral_for(request.user, request.POST.get("referral"))
    if ref.case_id != case.pk:
        raise NotFound()
    services.referral_update(actor=request.user, referral=ref, to=request.POST.get("to", ""),
                             response=request.POST.get("response", ""), version=posted_version(request))
    return f"{ref.agency.name}：{ref.get_status_display()}"


def _act_follow(request, case):
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    services.follow_up_add(actor=request.user, case=case, method=form.cleaned_data["method"],
                           note=form.cleaned_data["note"])
    return gettext("已登记跟进")


def _act_reassign(request, case):
    worker = _users([int(request.POST.get("worker") or 0)])
    if not worker:
        raise NotFound(gettext("个案工作者不存在"))
    supervisors = None
    if request.POST.get("supervisors_given"):
        ids = [int(x) for x in request.POST.getlist("supervisors") if x.isdigit()]
        supervisors = _users(ids)
        if len(supervisors) != len(set(ids)):
            raise NotFound(gettext("督导不存在"))
    services.case_reassign(actor=request.user, case=case, worker=worker[0], supervisors=supervisors,
                           version=posted_version(request))
    names = "、".join(s.display_name for s in supervisors or ())
    return gettext("已改由 {display_name} 办理").format(display_name=worker[0].display_name) + (gettext("，督导：{names}").format(names=names) if names else "")


def _act_edit(request, case):
    form = CaseEditForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    d = form.cleaned_data
    _, warnings = services.case_update(actor=request.user, case=case, version=posted_version(request),
                                       case_type=d["case_type"], narrative=d["narrative"], phone=d["phone"],
                                       id_number=d["id_number"], address=d["address"])
    for w in warnings:
        messages.warning(request, w)
    return gettext("已保存修改")


ACTIONS = {"move": _act_move, "close": _act_close, "assess": _act_assess, "consent": _act_consent,
           "override": _act_override, "refer": _act_refer, "referral": _act_referral, "follow": _act_follow,
           "reassign": _act_reassign, "edit": _act_edit, "approval": _act_approval}


def _form_error(form):
    problems = "；".join(f"{form.fields[n].label if n in form.fields else ''}：{'、'.join(e)}"
                        for n, e in form.errors.items())
    return ValidationFailed(problems, fields={n: "、".join(e) for n, e in form.errors.items()})


@web_view()
def case_action(request, pk, action):
    """POST one action on a case; refusals come back as a message on the case page."""
    if request.method != "POST" or action not in ACTIONS:
        raise NotFound()
    case = queries.get_case_for(request.user, pk, audit_read=False)
    back = reverse("cases:detail", args=[case.pk]) + f"#{action}"
    # a refused action (Forbidden too) is a message on the case page; a handed-on case is no longer hers to read
    return act(request, lambda: ACTIONS[action](request, case), back=back, message=lambda said: said,
               then=lambda _said: back if queries.knows(request.user, case) else reverse("cases:my"),
               pages=(NotFound,))


# ---------------------------------------------------------------- hotline


def _call_filters(request) -> dict:
    g = request.GET
    home = _home_unit(request.user)
    operators = {str(u.pk): u for u in intake.operators_for(home)} if home else {}
    op = g.get("operator", "")
    return {"status": g.get("status", "") if g.get("status", "") in HotlineCall.Status.values else "",
            "operator": queries.UNASSIGNED if op == queries.UNASSIGNED else operators.get(op),
            "operator_raw": op if op == queries.UNASSIGNED or op in operators else "",
            "start": query_date(g.get("start", "")), "end": query_date(g.get("end", "")),
            "has_case": {"1": True, "0": False}.get(g.get("has_case", "")), "has_case_raw": g.get("has_case", ""),
            "operators": list(operators.values())}


@web_view("hotline.intake")
def hotline_new(request):
    """记录来电: a call taken without the telephony feed, then the call's page to make it a need or a case."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = ManualCallForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex, "started_at": now,
                                                         "ended_at": now})
    done = submit(request, form, lambda d: intake.call_record_manual(
        actor=request.user, key=d["idempotency_key"], started_at=d["started_at"], ended_at=d["ended_at"],
        caller=d["caller"], notes=d["notes"]),
        success=lambda recorded: redirect("cases:call", pk=recorded[0].pk))
    return done or render(request, "cases/hotline_new.html", {"form": form}, status=form_status(form))


@web_view("hotline.intake")
def hotline(request):
    """Incoming calls, unhandled first; filters by status, operator (or 待分派), day and whether a case was opened."""
    f = _call_filters(request)
    qs = queries.calls_for(request.user, status=f["status"], operator=f["operator"], start=f["start"], end=f["end"],
                           has_case=f["has_case"])
    if export_requested(request):
        rows = qs.order_by("handled", "-started_at", "-id")[:EXPORT_MAX_ROWS]
        return xlsx_response(request, gettext("12338来电"), gettext("12338来电"), exports.CALL_HEADERS, exports.call_rows(rows))
    page, sort, next_url = list_page(request, qs, sorts=CALL_SORTS, default="todo")
    return render(request, "cases/hotline.html", {
        "page": page, "sort": sort, "sorts": CALL_SORTS, "next_url": next_url, "first_url": first_page_url(request),
        "export_url": export_url(request), "statuses": HotlineCall.Status.choices, "status": f["status"], "f": f,
        "unassigned": queries.calls_for(request.user, status="new", operator=queries.UNASSIGNED).count()})


@web_view("hotline.intake")
def hotline_assign(request, pk):
    """分派: name the operator of a call (POST from the call page)."""
    if request.method != "POST":
        raise NotFound()
    call = queries.get_call_for(request.user, pk)
    operator = _users([int(request.POST.get("operator") or 0)])
    return act(request, lambda: intake.call_assign(actor=request.user, call=call,
                                                   operator=operator[0] if operator else None,
                                                   version=posted_version(request)),
               back=reverse("cases:call", args=[call.pk]), pages=(NotFound,),
               message=lambda _: gettext("已分派给 {display_name}").format(display_name=call.operator.display_name))


@web_view("hotline.intake")
def hotline_call(request, pk):
    """One screen: the call (number and notes revealed, audited) → a case, a need, or nothing."""
    call = queries.get_call_for(request.user, pk)
    clear = intake.call_reveal(actor=request.user, call=call) if call.status == HotlineCall.Status.NEW else {}
    form = CallHandleForm(request.POST or None, initial={"version": call.version, "phone": clear.get("caller", ""),
                                                        "narrative": clear.get("notes", ""),
                                                        "need_description": clear.get("notes", "")},
                          **_staff_choices(call.unit))
    done = submit(request, form, lambda d: _handle_call(request, call, form), success=lambda page: page,
                  field_map={"description": "need_description", "category": "need_category", "reason": "dismiss_reason"})
    if done:
        return done
    operators = intake.operators_for(call.unit) if call.status == HotlineCall.Status.NEW else []
    return render(request, "cases/hotline_call.html", {"call": call, "clear": clear, "form": form,
                                                       "operators": operators,
                                                       "history": queries.caller_history(request.user, call)},
                  status=form_status(form))


def _handle_call(request, call, form):
    """The service for what she chose (a need, nothing, or a case), and the page to go to after it."""
    d, version = form.cleaned_data, form.cleaned_data.get("version")
    if d["what"] == "need":
        need = intake.call_to_need(actor=request.user, call=call, category=d["need_category"],
                                   urgency=d["need_urgency"] or "normal", description=d["need_description"],
                                   version=version)
        messages.success(request, gettext("已登记为妇女需求（查询码 {tracking_code}）").format(tracking_code=need.tracking_code))
        return redirect("cases:hotline")
    if d["what"] == "none":
        intake.call_dismiss(actor=request.user, call=call, reason=d["dismiss_reason"], version=version)
        messages.success(request, gettext("已标记为无需处理"))
        return redirect("cases:hotline")
    case, warnings = intake.call_to_case(actor=request.user, call=call, version=version, **_case_kwargs(form))
    return _opened(request, case, warnings)


# ---------------------------------------------------------------- home panel


def home_panel(request) -> str:
    """Open cases, overdue ones first, for the worker; new calls for the operator."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return ""
    mine = (list(queries.cases_for(user, status="open")
                 .order_by(F("escalated_for").desc(nulls_last=True), "-opened_at")[:5])
            if has_perm(user, "cases.handle") else [])
    queries.record_list_read(user, mine, channel="home")
    calls = queries.calls_for(user, status="new").count() if has_perm(user, "hotline.intake") else None
    if not mine and calls is None:
        return ""
    return render_to_string("cases/partials/_home_panel.html", {"mine": mine, "calls": calls}, request=request)
