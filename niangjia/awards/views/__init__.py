"""Staff pages of award rounds: thin views that parse input, read through queries, write through services."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from niangjia.core import periods, policies
from niangjia.core.access import reach_of
from niangjia.core.errors import ValidationFailed
from niangjia.core.excel import xlsx_response
from niangjia.core.roles import has_perm, require
from niangjia.core.web import (
    act,
    export_requested,
    export_url,
    first_page_url,
    form_status,
    list_page,
    posted_version,
    query_int,
    submit,
    web_view,
)
from niangjia.org import queries as org_queries
from niangjia.org.models import Federation

from .. import evaluation, queries, rules, services
from ..forms import (
    AnswerForm,
    ConsentForm,
    LinksForm,
    OrgNominationForm,
    QuotaForm,
    RoundEditForm,
    RoundForm,
    WithdrawForm,
)
from ..models import AwardRound, Nomination

PERM = "awards.manage"
ROUND_SORTS = {"new": (_("最新"), ("-id",)), "old": (_("最早"), ("id",))}
NOMINATION_SORTS = {"id": (_("推荐顺序"), ("id",)), "new": (_("最新"), ("-id",))}


def _ctx(request, rnd: AwardRound, section: str, **extra) -> dict:
    return {"rnd": rnd, "section": section, "manage": queries.manages(request.user, rnd),
            "phases": [(p, rules.PHASE_NAMES[p]) for p in rules.PHASES],
            "phase_index": rules.PHASES.index(rnd.phase), **extra}


def _data(request):
    """The POST data of a submission (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


def _units_in_reach(user, units) -> list[Federation]:
    reach = reach_of(user)
    return [u for u in units if reach.covers_obj(u)]


# ---------------------------------------------------------------- rounds


ROUND_HEADERS = [_("编号"), _("评选名称"), _("荣誉称号"), _("组织单位"), _("阶段"), _("表彰名额"), _("组织推荐名额（每单位）"), _("社会推荐名额"),
                 _("推荐截止"), _("评议截止"), _("公示开始"), _("公示结束"), _("结果确定")]


@web_view(PERM)
def round_list(request):
    phase = request.GET.get("phase", "")
    qs = queries.rounds_for(request.user, phase=phase if phase in rules.PHASES else "", q=request.GET.get("q", ""))
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, gettext("评选表彰"), gettext("评选"), ROUND_HEADERS, (
            [r.pk, r.name, r.award, r.unit.name, r.phase_name, r.places, r.default_org_quota, r.public_quota,
             r.nomination_ends, r.evaluation_ends, r.notice_starts, r.notice_ends, r.finalized_on]
            for r in qs.order_by("-id")[:50_000]))
    page, sort, next_url = list_page(request, qs, sorts=ROUND_SORTS, default="new")
    return render(request, "awards/rounds.html", {"page": page, "sort": sort, "next_url": next_url,
                                                  "first_url": first_page_url(request), "phase": phase,
                                                  "phases": rules.PHASE_NAMES.items(), "q": request.GET.get("q", "")})


@web_view(PERM)
def round_create(request):
    units = list(org_queries.unit_options_for(request.user))
    first = units[0] if units else None
    quota = policies.resolve(rules.QUOTA_POLICY, first)
    ev = policies.resolve(rules.EVALUATION_POLICY, first)
    initial = {"default_org_quota": quota["org_per_federation"], "public_quota": quota["public_per_round"],
               "mode": ev["mode"], "max_choices": ev["max_choices"]}
    form = RoundForm(_data(request), units=units, initial=initial)

    def create(d):
        d = dict(d)
        return services.round_create(actor=request.user, unit=org_queries.get_federation_for(request.user, d.pop("unit")),
                                     **d)

    done = submit(request, form, create, message=lambda rnd: gettext("已新建评选：{name}").format(name=rnd.name),
                  success=lambda rnd: redirect(f"/awards/{rnd.pk}/"))
    return done or render(request, "awards/round_form.html", {"form": form}, status=form_status(form))


EDITABLE = ("name", "award", "description", "places", "default_org_quota", "public_quota", "mode", "max_choices",
            "nomination_ends", "evaluation_ends")


@web_view(PERM)
def round_edit(request, pk):
    """Change a round's settings while nominations are open (version-checked: a stale edit is refused)."""
    rnd = queries.get_managed_round(request.user, pk)
    form = RoundEditForm(_data(request), initial={f: getattr(rnd, f) for f in (*EDITABLE, "version")})
    done = submit(request, form, lambda d: services.round_update(
        actor=request.user, rnd=rnd, version=d["version"], **{f: d[f] for f in EDITABLE if d[f] != getattr(rnd, f)}),
        message=gettext("已保存评选设置"), success=f"/awards/{rnd.pk}/")
    return done or render(request, "awards/round_edit.html", _ctx(request, rnd, "overview", form=form),
                          status=form_status(form))


def _quota_chart(rows) -> str:
    names = [r["unit"].name.removesuffix("妇联") for r in rows]
    return json.dumps({
        "tooltip": {"trigger": "axis"}, "legend": {"data": [gettext("组织推荐名额"), gettext("已推荐"), gettext("社会推荐")]},
        "grid": {"left": 40, "right": 10, "bottom": 40, "top": 40},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30 if len(names) > 4 else 0}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": gettext("组织推荐名额"), "type": "bar", "data": [r["quota"] for r in rows]},
                   {"name": gettext("已推荐"), "type": "bar", "data": [r["used"] for r in rows]},
                   {"name": gettext("社会推荐"), "type": "bar", "data": [r["public"] for r in rows]}]}, ensure_ascii=False, cls=DjangoJSONEncoder)


@web_view(PERM)
def round_detail(request, pk):
    rnd = queries.get_round_for(request.user, pk)
    rows = queries.quota_table(rnd)
    manage = queries.manages(request.user, rnd)
    mine = _units_in_reach(request.user, [r["unit"] for r in rows])
    ctx = _ctx(request, rnd, "overview", rows=rows, chart=_quota_chart(rows) if rows else "",
               public_used=queries.public_used(rnd), quota_form=QuotaForm(units=[r["unit"] for r in rows]),
               can_nominate=bool(mine) and rnd.phase == rules.NOMINATION,
               unanswered=queries.unanswered_count(rnd) if manage else 0,
               ballots=queries.ballot_count(rnd) if manage else 0,
               finalize_problems=rules.finalize_problems(rnd.phase, periods.today(), rnd.notice_ends,
                                                         queries.unanswered_count(rnd)) if manage else [],
               next_phase=rules.next_phase(rnd.phase), next_phase_name=rules.PHASE_NAMES.get(rules.next_phase(rnd.phase) or "", ""),
               candidates=_proposal_choices(rnd) if manage and rnd.phase == rules.EVALUATION else [])
    return render(request, "awards/round.html", ctx)


def _proposal_choices(rnd: AwardRound) -> list[dict]:
    """The shortlist in evaluation order, the top `places` ticked: who goes on the notice list unless
    the federation chooses otherwise."""
    rows = queries.results(rnd)
    for r in rows:
        r["checked"] = r["rank"] <= rnd.places
    return rows


@require_POST
@web_view(PERM)
def quota_set(request, pk):
    rnd = queries.get_managed_round(request.user, pk)
    form = QuotaForm(request.POST, units=queries.nominating_units(rnd))
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(f"/awards/{rnd.pk}/")
    unit = org_queries.get_federation_for(request.user, form.cleaned_data["unit"])
    return act(request, lambda: services.quota_set(actor=request.user, rnd=rnd, unit=unit,
                                                   org_quota=form.cleaned_data["org_quota"]),
               back=f"/awards/{rnd.pk}/", message=gettext("已设定{name}的组织推荐名额").format(name=unit.name))


@require_POST
@web_view(PERM)
def phase_advance(request, pk):
    rnd = queries.get_managed_round(request.user, pk)
    to = request.POST.get("to", "")

    def advance():
        version = posted_version(request)
        if to == rules.FINAL:
            return services.round_finalize(actor=request.user, rnd=rnd, version=version)
        # entering the notice period: the federation's choice of proposed awardees when the form names them
        picked = request.POST.getlist("proposed") if to == rules.NOTICE and request.POST.get("choose") == "1" else None
        if picked is not None and not all(p.isdigit() for p in picked):
            raise ValidationFailed(gettext("请求无效"))
        return services.phase_advance(actor=request.user, rnd=rnd, to=to, version=version,
                                      proposed_ids=None if picked is None else [int(p) for p in picked])

    return act(request, advance, back=f"/awards/{rnd.pk}/",
               message=lambda _: gettext("评选已进入“{PHASE_NAMES}”阶段").format(PHASE_NAMES=rules.PHASE_NAMES[rnd.phase]))


# ---------------------------------------------------------------- nominations


NOMINATION_HEADERS = [_("编号"), _("推荐方式"), _("推荐单位/地区"), _("被推荐人"), _("所在单位或村社区"), _("主要事迹"), _("推荐人"), _("推荐人电话"),
                      _("本人意见"), _("确认方式"), _("确认人"), _("确认时间"), _("状态"), _("推荐日期")]


def _nomination_row(n: Nomination) -> list:
    return [n.pk, n.get_kind_display(), n.unit.name, n.nominee_name, n.nominee_place, n.deeds, n.nominator_name,
            n.nominator_phone_mask, n.get_consent_display(), n.get_consent_via_display(),
            n.consent_by.username if n.consent_by_id else "", n.consent_at, n.get_status_display(), n.day]


@web_view(PERM)
def nomination_list(request, pk):
    rnd = queries.get_round_for(request.user, pk)
    g = request.GET
    kind, status, consent = (g.get("kind", ""), g.get("status", ""), g.get("consent", ""))
    qs = queries.nominations_for(request.user, rnd, kind=kind if kind in Nomination.Kind.values else "",
                                 status=status if status in Nomination.Status.values else "",
                                 consent=consent if consent in Nomination.Consent.values else "")
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, gettext("{name}-推荐").format(name=rnd.name), gettext("推荐"), NOMINATION_HEADERS,
                             (_nomination_row(n) for n in qs.order_by("id")[:50_000]))
    page, sort, next_url = list_page(request, qs, sorts=NOMINATION_SORTS, default="id")
    return render(request, "awards/nominations.html", _ctx(
        request, rnd, "nominations", page=page, next_url=next_url, first_url=first_page_url(request),
        kind=kind, status=status, consent=consent, kinds=Nomination.Kind.choices, statuses=Nomination.Status.choices,
        consents=Nomination.Consent.choices, export_q=request.GET.urlencode()))


@web_view(PERM)
def nomination_create(request, pk):
    rnd = queries.get_round_for(request.user, pk)
    units = _units_in_reach(request.user, queries.nominating_units(rnd))
    form = OrgNominationForm(_data(request), units=units)

    def create(d):
        d = dict(d)
        unit = org_queries.get_federation_for(request.user, d.pop("unit"))
        return services.nomination_create_org(actor=request.user, rnd=rnd, unit=unit, **d)

    if done := submit(request, form, create, message=lambda nom: gettext("已推荐：{nominee_name}").format(nominee_name=nom.nominee_name),
                      success=f"/awards/{rnd.pk}/nominations/"):
        return done
    quotas = [r for r in queries.quota_table(rnd, units)]
    return render(request, "awards/nominate.html", _ctx(request, rnd, "nominations", form=form, quotas=quotas),
                  status=form_status(form))


@web_view(PERM)
def nomination_detail(request, pk):
    nom = queries.get_nomination_for(request.user, pk)
    return render(request, "awards/nomination.html", {
        **_ctx(request, nom.round, "nominations"), "nom": nom, "consent_form": ConsentForm(),
        "withdraw_form": WithdrawForm(), "objections": list(nom.objections.all())})


def _back(nom) -> str:
    return f"/awards/nominations/{nom.pk}/"


@require_POST
@web_view(PERM)
def consent_record(request, pk):
    nom = queries.get_nomination_for(request.user, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择本人意见"))
        return redirect(_back(nom))
    return act(request, lambda: services.consent_record_in_person(
        actor=request.user, nomination=nom, given=form.cleaned_data["given"], note=form.cleaned_data["note"]),
        back=_back(nom), message=gettext("已记录本人意见"))


@require_POST
@web_view(PERM)
def consent_link(request, pk):
    nom = queries.get_nomination_for(request.user, pk)
    return act(request, lambda: services.consent_send_link(actor=request.user, nomination=nom,
                                                           phone=request.POST.get("phone", "").strip()),
               back=_back(nom), message=gettext("已短信发送确认链接"))


@require_POST
@web_view(PERM)
def shortlist(request, pk):
    nom = queries.get_nomination_for(request.user, pk)
    on = request.POST.get("on") == "1"
    return act(request, lambda: services.shortlist_set(actor=request.user, nomination=nom, on=on),
               back=request.POST.get("next") if request.POST.get("next", "").startswith("/awards/") else _back(nom),
               message=gettext("{nominee_name}已{on}入围名单").format(nominee_name=nom.nominee_name, on=gettext('列入') if on else gettext('移出')))


@require_POST
@web_view(PERM)
def withdraw(request, pk):
    nom = queries.get_nomination_for(request.user, pk)
    return act(request, lambda: services.nomination_withdraw(actor=request.user, nomination=nom,
                                                             reason=request.POST.get("reason", "")),
               back=_back(nom), message=gettext("已撤回推荐"))


# ---------------------------------------------------------------- evaluation, objections, finalize


RESULT_HEADERS = [_("名次"), _("被推荐人"), _("所在单位或村社区"), _("推荐方式"), _("推荐单位/地区"), _("评议票数"), _("得票/总分"), _("得分"), _("状态"),
                  _("同分说明")]


def _results_chart(rows, mode) -> str:
    names = [r["nomination"].nominee_name for r in rows][::-1]
    return json.dumps({"tooltip": {}, "grid": {"left": 70, "right": 20, "top": 10, "bottom": 30},
                       "xAxis": {"type": "value", "minInterval": 1},
                       "yAxis": {"type": "category", "data": names},
                       "series": [{"type": "bar", "name": gettext("得票") if mode == rules.VOTES else gettext("平均分"),
                                   "data": [r["score"] for r in rows][::-1]}]}, ensure_ascii=False, cls=DjangoJSONEncoder)


@web_view(PERM)
def results(request, pk):
    rnd = queries.get_managed_round(request.user, pk)
    rows = queries.results(rnd)
    if export_requested(request):
        require(request.user, "export")
        lines = [[r["rank"], r["nomination"].nominee_name, r["nomination"].nominee_place,
                  r["nomination"].get_kind_display(), r["nomination"].unit.name, r["ballots"], r["points"], r["score"],
                  r["nomination"].get_status_display(), r["tie"]] for r in rows]
        lines.append(["", gettext("排名规则：{mode}").format(mode=rules.rank_rule(rnd.mode))])
        return xlsx_response(request, gettext("{name}-评议结果").format(name=rnd.name), gettext("评议结果"), RESULT_HEADERS, lines)
    form = LinksForm(_data(request))
    phones = []

    def issue(d):
        phones.extend(p.strip() for p in (d["phones"] or "").splitlines() if p.strip())
        return evaluation.links_issue(actor=request.user, rnd=rnd, phones=phones, count=d["count"] or 0)

    def issued(tokens):
        links = [request.build_absolute_uri(f"/p/awards/evaluate/{t}/") for t in tokens]
        messages.success(request, gettext("已短信发送 {n} 个评议链接").format(n=len(phones)) + (gettext("，另生成 {n} 个").format(n=len(links)) if links else ""))
        return _results_page(request, rnd, rows, form, links)

    done = submit(request, form, issue, success=issued)
    return done or _results_page(request, rnd, rows, form, [])


def _results_page(request, rnd, rows, form, links):
    return render(request, "awards/results.html", _ctx(
        request, rnd, "results", rows=rows, chart=_results_chart(rows, rnd.mode) if rows else "",
        ballots=queries.ballot_count(rnd), form=form, links=links, rule=rules.rank_rule(rnd.mode),
        public_url=request.build_absolute_uri(f"/p/awards/{rnd.code}/")))


@web_view(PERM)
def results_print(request, pk):
    """The results as a printable sheet: every nominee's ballots and score, the ranking rule, and
    where the tie-break decided (print CSS: A4, no navigation)."""
    rnd = queries.get_managed_round(request.user, pk)
    return render(request, "awards/results_print.html", _ctx(
        request, rnd, "results", rows=queries.results(rnd), rule=rules.rank_rule(rnd.mode),
        ballots=queries.ballot_count(rnd), voided=queries.voided_count(rnd), proposed=queries.proposed(rnd),
        printed_at=timezone.localtime()))


BALLOT_SORTS = {"new": (_("最新"), ("-id",)), "old": (_("最早"), ("id",))}


@web_view(PERM)
def ballots(request, pk):
    """The round's ballots (voters masked) with what each marked; a fraudulent one may be voided."""
    rnd = queries.get_managed_round(request.user, pk)
    voided = request.GET.get("voided", "")
    qs = queries.ballots_of(request.user, rnd, voided={"1": True, "0": False}.get(voided))
    page, sort, next_url = list_page(request, qs, sorts=BALLOT_SORTS, default="new", limit=30)
    names = {n.pk: n.nominee_name for n in queries.shortlist(rnd)}
    for b in page.items:
        b.marked = [(names.get(m.nomination_id, m.nomination_id), m.score) for m in b.marks.all()]
    return render(request, "awards/ballots.html", _ctx(
        request, rnd, "results", page=page, sort=sort, sorts=BALLOT_SORTS, next_url=next_url,
        first_url=first_page_url(request), voided=voided, valid=queries.ballot_count(rnd),
        void_count=queries.voided_count(rnd)))


@require_POST
@web_view(PERM)
def ballot_void(request, pk):
    ballot = queries.get_ballot_for(request.user, pk)
    return act(request, lambda: evaluation.ballot_void(actor=request.user, ballot=ballot,
                                                       reason=request.POST.get("reason", "")),
               back=f"/awards/{ballot.round_id}/ballots/#ballot-{ballot.pk}", message=gettext("已作废第 {pk} 号评议票").format(pk=ballot.pk))


OBJECTION_SORTS = queries.OBJECTION_SORTS
OBJECTION_OUTCOMES = [("pending", _("待答复")), ("upheld", _("异议成立")), ("dismissed", _("异议不成立"))]
OBJECTION_HEADERS = [_("编号"), _("查询码"), _("针对的拟表彰对象"), _("提出日期"), _("异议内容"), _("联系人"), _("联系电话"), _("答复结论"), _("答复内容"),
                     _("答复人"), _("答复时间")]


def _objection_row(o) -> list:
    return [o.pk, o.tracking_code, o.nomination.nominee_name, o.day, o.text, o.contact_name, o.contact_phone_mask,
            o.get_outcome_display(), o.answer, o.answered_by.username if o.answered_by_id else "", o.answered_at]


@web_view(PERM)
def objections(request, pk):
    rnd = queries.get_managed_round(request.user, pk)
    g = request.GET
    outcome = g.get("outcome", "") if g.get("outcome", "") in dict(OBJECTION_OUTCOMES) else ""
    nominee, q = query_int(g.get("nomination")), g.get("q", "").strip()[:50]
    qs = queries.objections_for(request.user, rnd, outcome=outcome, nomination_id=nominee, q=q)
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, gettext("{name}-公示异议").format(name=rnd.name), gettext("公示异议"), OBJECTION_HEADERS,
                             (_objection_row(o) for o in qs.order_by("id")[:50_000]))
    page, sort, next_url = list_page(request, qs, sorts=OBJECTION_SORTS, default="pending", limit=20)
    return render(request, "awards/objections.html", _ctx(
        request, rnd, "objections", page=page, sort=sort, sorts=OBJECTION_SORTS, next_url=next_url,
        first_url=first_page_url(request), proposed=queries.proposed(rnd), form=AnswerForm(),
        unanswered=queries.unanswered_count(rnd), outcome=outcome, outcomes=OBJECTION_OUTCOMES, nominee=nominee,
        q=q, export_url=export_url(request)))


@require_POST
@web_view(PERM)
def objection_answer(request, pk):
    obj = queries.get_objection_for(request.user, pk)
    form = AnswerForm(request.POST)
    back = f"/awards/{obj.round_id}/objections/#objection-{obj.pk}"
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    d = form.cleaned_data
    return act(request, lambda: services.objection_answer(actor=request.user, objection=obj, outcome=d["outcome"],
                                                          answer=d["answer"], version=d["version"]),
               back=back, message=gettext("已答复异议"))


# ---------------------------------------------------------------- home panel


def home_panel(request) -> str:
    """Rounds under way that the user runs or takes part in, with what waits for her."""
    user = request.user
    if not has_perm(user, PERM):
        return ""
    rounds = list(queries.rounds_visible(user).exclude(phase=rules.FINAL).order_by("-id")[:5])
    if not rounds:
        return ""
    for r in rounds:
        r.manage = queries.manages(user, r)
        r.unanswered = queries.unanswered_count(r) if r.manage and r.phase == rules.NOTICE else 0
    return render_to_string("awards/partials/_home_panel.html", {"rounds": rounds}, request=request)
