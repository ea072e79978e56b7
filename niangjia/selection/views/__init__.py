"""Staff pages of the open selection (公开选配): thin views that parse, read through queries, write through
services. Every page needs selection.manage inside the selection's federation subtree."""

from datetime import timedelta

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niangjia.core import periods, policies
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

from .. import queries, rules, services
from ..forms import (
    CandidateForm,
    ConfigForm,
    CorrectForm,
    ElectForm,
    ScorerForm,
    SelectionForm,
    VetForm,
    order_label,
)
from ..models import Candidate, Status

PERM = "selection.manage"
SORTS = queries.SELECTION_SORTS
CANDIDATE_SORTS = queries.CANDIDATE_SORTS
CANDIDATE_HEADERS = [gettext_lazy("报名编号"), gettext_lazy("姓名"), gettext_lazy("性别"), gettext_lazy("工作单位/职业"), gettext_lazy("电话"), gettext_lazy("意向职务"), gettext_lazy("项目名称"), gettext_lazy("项目回应的妇女需求"), gettext_lazy("实施计划"),
                     gettext_lazy("报名方式"), gettext_lazy("报名时间"), gettext_lazy("人员库已有"), gettext_lazy("考察结果"), gettext_lazy("考察意见"), gettext_lazy("选举结果"), gettext_lazy("当选职务")]


def _candidate_row(c) -> list:
    return [c.tracking_code, c.name, c.get_gender_display(), c.workplace, c.phone_mask, c.wish.title if c.wish else "",
            c.project_title, c.project_need, c.project_plan, c.get_channel_display(), c.applied_at, bool(c.person_id),
            c.get_vetting_display(), c.vetting_note, c.get_election_display(),
            c.elected_to.title if c.elected_to else ""]


def _unit_options(request, selected=None):
    return org_queries.unit_options_for(request.user, selected=selected)


def _settings_initial(unit) -> dict:
    policy = rules.PRESET | queries.scoring_policy(unit)
    init = {f"weight_{k}": policy[f"weight_{k}"] for k in rules.KINDS}
    init |= {f"method_{k}": policy[f"method_{k}"] for k in rules.KINDS}
    steps = rules.parse_tie_break(policy["tie_break"])
    return init | {"tie_break": ",".join(steps), "trim_min": policy["trim_min"]}


# ---------------------------------------------------------------- list and create


@web_view(PERM)
def selection_list(request):
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    q = request.GET.get("q", "").strip()
    qs = queries.selections_for(request.user, status=status, q=q)
    if export_requested(request):
        require(request.user, "export")
        rows = ([s.title, s.unit.name, s.get_status_display(), s.call_opens, s.call_closes, s.candidate_count]
                for s in qs.order_by("-id")[:5000])
        return xlsx_response(request, _("公开选配"), _("公开选配"), [_("名称"), _("组织"), _("状态"), _("报名开始"), _("报名截止"), _("报名人数")], rows)
    page, sort, next_url = list_page(request, qs, sorts=SORTS, default="new")
    return render(request, "selection/list.html", {
        "page": page, "next_url": next_url, "first_url": first_page_url(request), "status": status, "q": q,
        "sort": sort, "sorts": SORTS, "statuses": Status.choices,
        "export_url": export_url(request)})


@web_view(PERM)
def selection_new(request):
    units = _unit_options(request)
    first = units[0] if units else None
    if request.method == "POST":
        form = SelectionForm(request.POST)
        if done := submit(request, form, lambda d: services.selection_create(
                actor=request.user, unit=org_queries.get_federation_for(request.user, d["unit"]), title=d["title"],
                call_opens=d["call_opens"], call_closes=d["call_closes"], eligibility=d["eligibility"],
                conditions=d["conditions"], posts=form.posts(), **form.scoring()),
                field_map={"weights": "weight_jury", "posts": "post1_title"},
                message=lambda sel: _("已发起：{title}").format(title=sel.title), success=lambda sel: redirect("selection:detail", pk=sel.pk)):
            return done
    else:
        today = periods.today()
        form = SelectionForm(initial={
            **(_settings_initial(first) if first else {}), "unit": first.pk if first else None,
            "call_opens": today, "call_closes": today + timedelta(days=30),
            "eligibility": _("不限年龄、学历、职级；热心妇女工作，带着服务妇女的项目报名。"),
            **_posts_initial(first)})
    form.fields["unit"].widget.choices = [(u.pk, u.name) for u in units]
    return render(request, "selection/new.html", {"form": form}, status=form_status(form))


def _posts_initial(unit) -> dict:
    """The form's post rows from the posts preset (policy selection.posts, as the federation set it)."""
    posts = rules.preset_posts(policies.resolve(rules.POSTS_POLICY, unit))
    return {f"post{i}_{k}": v for i, p in enumerate(posts, start=1) for k, v in p.items()}


# ---------------------------------------------------------------- one selection


DETAIL_CANDIDATES = 20


def _detail_ctx(request, sel) -> dict:
    parts = queries.parts_of(sel)
    return {"sel": sel, "posts": list(sel.posts.all()), "parts": parts,
            "candidates": list(queries.candidates_of(sel)[:DETAIL_CANDIDATES]),
            "candidate_count": sel.candidates.count(), "all_closed": rules.all_parts_closed(
                [p.is_closed for p in parts]), "tie_text": order_label(",".join(sel.tie_break or rules.TIE_STEPS)),
            "public_url": request.build_absolute_uri(f"/p/selection/{sel.pk}/")}


@web_view(PERM)
def selection_detail(request, pk):
    sel = queries.get_selection_for(request.user, pk)
    return render(request, "selection/detail.html", _detail_ctx(request, sel))


@web_view(PERM)
def selection_config(request, pk):
    sel = queries.get_selection_for(request.user, pk)
    if request.method == "POST":
        form = ConfigForm(request.POST)
        if done := submit(request, form, lambda d: services.selection_configure(
                actor=request.user, selection=sel, version=d["version"], **form.scoring()),
                field_map={"weights": "weight_jury"}, message=_("评分规则已保存"),
                success=lambda _: redirect("selection:detail", pk=sel.pk)):
            return done
    else:
        parts = {p.kind: p for p in sel.parts.all()}
        init = {f"weight_{k}": parts[k].weight for k in rules.KINDS} | {
            f"method_{k}": parts[k].method for k in rules.KINDS}
        form = ConfigForm(initial=init | {"tie_break": ",".join(sel.tie_break), "trim_min": sel.trim_min,
                                          "version": sel.version})
    return render(request, "selection/config.html", {"sel": sel, "form": form}, status=form_status(form))


ADVANCES = {"close-call": services.selection_close_call, "start-election": services.selection_start_election,
            "finish": services.selection_finish}


@require_POST
@web_view(PERM)
def selection_advance(request, pk, step):
    sel = queries.get_selection_for(request.user, pk)
    if step not in ADVANCES:
        raise ValidationFailed(_("未知的操作"))
    return act(request, lambda: ADVANCES[step](actor=request.user, selection=sel, version=posted_version(request)),
               back=reverse("selection:detail", args=[sel.pk]), message=lambda _obj: _("已进入：{status}").format(status=sel.get_status_display()))


# ---------------------------------------------------------------- candidates


@web_view(PERM)
def candidate_list(request, pk):
    """Every applicant of a selection: filter, sort, page, Excel (phones masked)."""
    sel = queries.get_selection_for(request.user, pk)
    g = request.GET
    f = {"q": g.get("q", "").strip()[:50], "channel": g.get("channel", ""), "vetting": g.get("vetting", ""),
         "election": g.get("election", ""), "wish": query_int(g.get("wish"))}
    qs = queries.candidates_filtered(sel, **f)
    if export_requested(request):
        require(request.user, "export")
        return xlsx_response(request, _("{title}-报名人选").format(title=sel.title), _("报名人选"), CANDIDATE_HEADERS,
                             (_candidate_row(c) for c in qs.order_by("applied_at", "id")[:50_000]))
    page, sort, next_url = list_page(request, qs, sorts=CANDIDATE_SORTS, default="applied")
    return render(request, "selection/candidates.html", {
        "sel": sel, "page": page, "sort": sort, "sorts": CANDIDATE_SORTS, "next_url": next_url,
        "first_url": first_page_url(request), "f": f, "posts": list(sel.posts.all()),
        "channels": Candidate.Channel.choices, "vettings": queries.VETTING_FILTERS,
        "elections": queries.ELECTION_FILTERS,
        "export_url": export_url(request)})


@web_view(PERM)
def candidate_new(request, pk):
    sel = queries.get_selection_for(request.user, pk)
    posts = list(sel.posts.all())
    form = CandidateForm(request.POST or None, posts=posts)
    done = submit(request, form, lambda d: services.candidate_create(
        actor=request.user, selection=sel, **{k: v for k, v in d.items() if k != "key"}),
        message=lambda cand: _("已录入：{name}（报名编号 {tracking_code}）").format(name=cand.name, tracking_code=cand.tracking_code),
        success=lambda _: redirect("selection:detail", pk=sel.pk))
    return done or render(request, "selection/candidate_new.html", {"sel": sel, "form": form},
                          status=form_status(form))


def _candidate_ctx(cand, vet_form=None, elect_form=None) -> dict:
    posts = list(cand.selection.posts.all())
    return {"c": cand, "sel": cand.selection,
            "vet_form": vet_form or VetForm(initial={"version": cand.version, "result": cand.vetting or None,
                                                     "note": cand.vetting_note}),
            "elect_form": elect_form or ElectForm(posts=posts, initial={"version": cand.version}),
            "scores_open": cand.selection.status in ("open", "scoring")}


@web_view(PERM)
def candidate_detail(request, pk):
    cand = queries.get_candidate_for(request.user, pk)
    return render(request, "selection/candidate.html", _candidate_ctx(cand))


@require_POST
@web_view(PERM)
def candidate_vet(request, pk):
    cand = queries.get_candidate_for(request.user, pk)
    form = VetForm(request.POST)
    done = submit(request, form, lambda d: services.candidate_vet(
        actor=request.user, candidate=cand, result=d["result"], note=d["note"], version=d["version"]),
        message=lambda _obj: _("已录入考察结果：{name} {vetting}").format(name=cand.name, vetting=cand.get_vetting_display()),
        success=lambda _: redirect("selection:candidate", pk=cand.pk))
    return done or render(request, "selection/candidate.html", _candidate_ctx(cand, vet_form=form),
                          status=form_status(form))


@require_POST
@web_view(PERM)
def candidate_elect(request, pk):
    cand = queries.get_candidate_for(request.user, pk)
    form = ElectForm(request.POST, posts=list(cand.selection.posts.all()))

    def elect(d):
        post = cand.selection.posts.filter(pk=d["post"]).first() if d["post"] else None
        services.candidate_elect(actor=request.user, candidate=cand, result=d["result"], post=post,
                                 version=d["version"])
        return post

    done = submit(request, form, elect, success=lambda _: redirect("selection:candidate", pk=cand.pk),
                  message=lambda post: _("已录入选举结果：{name} {election}").format(name=cand.name, election=cand.get_election_display())
                  + (_("，已在人员库生成职务“{title}”").format(title=post.title) if cand.post_id else ""))
    return done or render(request, "selection/candidate.html", _candidate_ctx(cand, elect_form=form),
                          status=form_status(form))


# ---------------------------------------------------------------- parts, scorers, scores


def _part_ctx(request, part, form=None, new_link="", new_scorer=None) -> dict:
    scores = list(queries.part_scores(part)) if part.is_closed else []
    scorers = queries.scorers_of(part)
    return {"part": part, "sel": part.selection, "scorers": scorers, "form": form or ScorerForm(),
            "submitted": sum(1 for s in scorers if s.submitted_at),
            "new_link": new_link, "new_scorer": new_scorer, "scores": scores,
            "can_correct": part.is_closed and not part.selection.candidates.exclude(election="").exists()}


@web_view(PERM)
def part_detail(request, pk):
    part = queries.get_part_for(request.user, pk)
    if request.method == "POST":
        form = ScorerForm(request.POST)

        def add(d):
            scorer, token = services.scorer_add(actor=request.user, part=part, name=d["name"], note=d["note"],
                                                phone=d["phone"])
            link = request.build_absolute_uri(f"/p/selection/score/{token}/")
            if d["send_sms"]:
                services.scorer_send_link(actor=request.user, scorer=scorer, url=link)
            return scorer, link

        # the raw link exists only in this response: it is never stored
        done = submit(request, form, add, success=lambda added: render(
            request, "selection/part.html", _part_ctx(request, part, new_link=added[1], new_scorer=added[0])))
        if done:
            return done
        return render(request, "selection/part.html", _part_ctx(request, part, form=form), status=400)
    return render(request, "selection/part.html", _part_ctx(request, part))


@require_POST
@web_view(PERM)
def part_close(request, pk):
    part = queries.get_part_for(request.user, pk)
    return act(request, lambda: services.part_close(actor=request.user, part=part, version=posted_version(request)),
               back=reverse("selection:part", args=[part.pk]), message=_("{part}已结束，分数已公开").format(part=part))


@require_POST
@web_view(PERM)
def scorer_reissue(request, pk):
    scorer = queries.get_scorer_for(request.user, pk)
    part = scorer.part
    return act(request, lambda: services.scorer_reissue(actor=request.user, scorer=scorer),
               back=reverse("selection:part", args=[part.pk]), pages=(),
               then=lambda token: render(request, "selection/part.html", _part_ctx(
                   request, part, new_link=request.build_absolute_uri(f"/p/selection/score/{token}/"),
                   new_scorer=scorer)))


@web_view(PERM)
def score_correct(request, pk):
    score = queries.get_score_for(request.user, pk)
    form = CorrectForm(request.POST or None, initial={"value": score.value})
    done = submit(request, form, lambda d: services.score_correct(actor=request.user, score=score, value=d["value"],
                                                                  reason=d["reason"]),
                  message=_("已录入更正记录，原分数保留在结果表中"),
                  success=lambda _: redirect("selection:part", pk=score.part_id))
    return done or render(request, "selection/correct.html", {"score": score, "form": form,
                                                              "sel": score.part.selection},
                          status=form_status(form))


# ---------------------------------------------------------------- ranking and the result sheet


def _sheet_ctx(sel) -> dict:
    parts = queries.parts_of(sel)
    closed = rules.all_parts_closed([p.is_closed for p in parts])
    rows = queries.result_sheet(sel) if closed else []
    return {"sel": sel, "parts": parts, "rows": rows, "closed": closed, "posts": list(sel.posts.all()),
            "tie_text": order_label(",".join(sel.tie_break or rules.TIE_STEPS)),
            "seats": sum(p.seats for p in sel.posts.all()), "printed_at": timezone.localtime()}


@web_view(PERM)
def ranking(request, pk):
    sel = queries.get_selection_for(request.user, pk)
    ctx = _sheet_ctx(sel)
    if export_requested(request) and ctx["closed"]:
        head = [_("名次"), _("姓名"), *[f"{p}（{p.weight:f}%）" for p in ctx["parts"]], _("总分"), _("考察"), _("选举")]
        rows = ([r.rank, r.candidate.name, *[rules.fmt(c.result.mean) for c in r.cells], rules.fmt(r.total),
                 r.candidate.get_vetting_display(), r.candidate.get_election_display()] for r in ctx["rows"])
        require(request.user, "export")
        return xlsx_response(request, _("{title}排名").format(title=sel.title), _("排名"), head, rows)
    return render(request, "selection/ranking.html", ctx)


@web_view(PERM)
def sheet(request, pk):
    sel = queries.get_selection_for(request.user, pk)
    ctx = _sheet_ctx(sel)
    if export_requested(request) and ctx["closed"]:
        require(request.user, "export")
        return xlsx_response(request, _("{title}评分结果表").format(title=sel.title), _("评分结果表"), queries.SHEET_HEADERS,
                             queries.sheet_lines(ctx["rows"]))
    return render(request, "selection/sheet.html", ctx)


def home_panel(request) -> str:
    """Selections in reach that need a step now (one query)."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not has_perm(user, PERM):
        return ""
    active = list(queries.selections_for(user).exclude(status="done").order_by("-id")[:5])
    if not active:
        return ""
    return render_to_string("selection/partials/_home_panel.html", {"active": active}, request=request)
