"""Writes of the open selection: the only code that writes selection tables. One transaction per
use case, permission-checked (selection.manage), scoped, audited; public applications and scorer
submissions have no actor and are authorised by a form key or a one-time link instead.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, onetime, periods, sensitive, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Conflict, ErrorCode, ValidationFailed
from niangjia.core.idempotency import link_key, replayed, run_once
from niangjia.core.public import tracking_code
from niangjia.core.roles import require
from niangjia.core.sms import send_sms
from niangjia.core.validation import require_text
from niangjia.core.validators import clean_id_number, clean_phone
from niangjia.core.versioning import bump_version
from niangjia.people import services as people
from niangjia.people.models import Post
from niangjia.selection.audit_actions import Action

from . import metrics, queries, rules
from .models import Candidate, Part, Score, Scorer, Selection, SelectionPost

PERM = "selection.manage"
TOKEN_PURPOSE = "selection.score"
METRIC = metrics.CANDIDATE.name
MSG_NOT_OPEN = gettext_lazy("报名已截止或尚未开始")
MSG_DUPLICATE = gettext_lazy("该手机号已报名本次选配")
MSG_PART_CLOSED = gettext_lazy("该评分环节已结束")
MSG_NOT_SCORING = gettext_lazy("只有在评分阶段才能评分")
MSG_SUBMIT_ALL = gettext_lazy("请为每一位人选打分")
MSG_SCORES_HIDDEN = gettext_lazy("评分环节结束前不公开分数")
MSG_CORRECT_LATE = gettext_lazy("选举结果已录入，不能再更正分数")


def _transition(actor, selection: Selection, target: str) -> None:
    # permission and reach as _manage asks them (on the selection's unit), then the status
    rules.PIPELINE.check_move(actor, selection, target, access=lambda a, sel, perm: _manage(a, sel))


def _manage(actor, selection_or_unit) -> None:
    require(actor, PERM)
    ensure_unit_in_reach(actor, getattr(selection_or_unit, "unit", selection_or_unit))


# ---------------------------------------------------------------- the selection itself


def _clean_posts(posts: list[dict]) -> list[SelectionPost]:
    if not posts:
        raise ValidationFailed(_("至少列出一种要选配的职务"), fields={"posts": _("至少一种职务")})
    out, titles = [], set()
    for i, p in enumerate(posts, start=1):
        body = p.get("body") or ""
        if body not in Post.Body.values:
            raise ValidationFailed(_("第 {i} 种职务的机构无效").format(i=i), fields={"posts": _("机构无效")})
        title = require_text(p.get("title"), "posts", _("第 {i} 种职务的名称").format(i=i))
        seats = int(p.get("seats") or 0)
        if not 1 <= seats <= 50:
            raise ValidationFailed(_("第 {i} 种职务的名额应在 1 到 50 之间").format(i=i), fields={"posts": _("名额应在 1 到 50 之间")})
        if title in titles:
            raise ValidationFailed(_("职务“{title}”重复").format(title=title), fields={"posts": _("职务重复")})
        titles.add(title)
        out.append(SelectionPost(body=body, title=title[:50], seats=seats, order=i))
    return out


def _settings(unit, weights=None, methods=None, tie_break=None, trim_min=None) -> dict:
    """The figures a new selection starts from: the policy (preset or the federation's override)."""
    policy = rules.PRESET | queries.scoring_policy(unit)
    weights = weights or {k: policy[f"weight_{k}"] for k in rules.KINDS}
    methods = methods or {k: policy[f"method_{k}"] for k in rules.KINDS}
    return {"weights": weights, "methods": methods, "tie_break": tie_break or policy["tie_break"],
            "trim_min": policy["trim_min"] if trim_min is None else trim_min}


def _check_settings(s: dict) -> list[str]:
    errors = rules.weight_errors(s["weights"])
    if errors:
        raise ValidationFailed("；".join(errors.values()), fields=errors)
    for kind in rules.KINDS:
        if s["methods"].get(kind) not in rules.METHODS:
            raise ValidationFailed(rules.MSG_METHOD, fields={f"method_{kind}": rules.MSG_METHOD})
    try:
        steps = rules.parse_tie_break(s["tie_break"])
    except ValueError as exc:
        raise ValidationFailed(str(exc), fields={"tie_break": str(exc)}) from exc
    if not 3 <= int(s["trim_min"]) <= 50:
        raise ValidationFailed(_("去掉最高最低分所需最少评分数应在 3 到 50 之间"), fields={"trim_min": _("应在 3 到 50 之间")})
    return steps


def _check_period(opens: date, closes: date) -> None:
    if not opens or not closes:
        raise ValidationFailed(_("请填写报名起止日期"), fields={"call_opens": _("必填"), "call_closes": _("必填")})
    if closes < opens:
        raise ValidationFailed(_("报名截止日期早于开始日期"), fields={"call_closes": _("早于开始日期")})


def selection_create(*, actor, unit, title: str, call_opens: date, call_closes: date, posts: list[dict],
                     eligibility: str = "", conditions: str = "", weights: dict | None = None,
                     methods: dict | None = None, tie_break=None, trim_min: int | None = None) -> Selection:
    """Open a call: posts to fill, the call period, eligibility, and the scoring settings."""
    _manage(actor, unit)
    title = require_text(title, "title", _("名称"))
    _check_period(call_opens, call_closes)
    settings = _settings(unit, weights, methods, tie_break, trim_min)
    steps = _check_settings(settings)
    post_rows = _clean_posts(posts)
    sel = Selection(title=title[:100], call_opens=call_opens, call_closes=call_closes, conditions=conditions.strip(),
                    tie_break=steps, trim_min=int(settings["trim_min"]), created_by=actor)
    if eligibility.strip():
        sel.eligibility = eligibility.strip()
    sel.place_in(unit)
    with transaction.atomic():
        sel.save()
        for p in post_rows:
            p.selection = sel
        SelectionPost.objects.bulk_create(post_rows)
        Part.objects.bulk_create([Part(selection=sel, kind=k, weight=Decimal(str(settings["weights"][k])),
                                       method=settings["methods"][k]) for k in rules.KINDS])
        audit.record(actor, Action.SELECTION_CREATE, sel, detail={"posts": [(p.title, p.seats) for p in post_rows],
                                                             "weights": {k: str(v) for k, v in
                                                                         settings["weights"].items()}})
    return sel


def selection_configure(*, actor, selection: Selection, version: int | None, weights: dict, methods: dict,
                        tie_break, trim_min: int) -> Selection:
    """Change weights, methods, tie-break and trim minimum — only while no part has closed."""
    _manage(actor, selection)
    if any(p.is_closed for p in selection.parts.all()) or selection.status not in ("open", "scoring"):
        raise Conflict(_("已有评分环节结束，不能再修改评分规则"), code=ErrorCode.TRANSITION)
    steps = _check_settings({"weights": weights, "methods": methods, "tie_break": tie_break, "trim_min": trim_min})
    with transaction.atomic():
        selection.tie_break, selection.trim_min = steps, int(trim_min)
        bump_version(selection, version, ["tie_break", "trim_min"])
        for part in selection.parts.all():
            Part.objects.filter(pk=part.pk).update(weight=Decimal(str(weights[part.kind])), method=methods[part.kind])
        audit.record(actor, Action.SELECTION_CONFIGURE, selection,
                     detail={"weights": {k: str(v) for k, v in weights.items()}, "methods": methods,
                             "tie_break": steps, "trim_min": trim_min})
    return selection


def selection_update(*, actor, selection: Selection, version: int | None, **changes) -> Selection:
    """Edit the title, eligibility text and call period while the call is open."""
    _manage(actor, selection)
    if selection.status != "open":
        raise Conflict(_("报名截止后不能修改选配信息"), code=ErrorCode.TRANSITION)
    if "title" in changes:
        changes["title"] = require_text(changes["title"], "title", _("名称"))
    _check_period(changes.get("call_opens", selection.call_opens), changes.get("call_closes", selection.call_closes))
    apply_changes(actor=actor, obj=selection, version=version, changes=changes,
                  allowed={"title", "eligibility", "conditions", "call_opens", "call_closes"}, action=Action.SELECTION_UPDATE)
    return selection


def _advance(actor, selection: Selection, version: int | None, target: str, action: str, **detail) -> Selection:
    with transaction.atomic():
        locked = Selection.objects.select_for_update().get(pk=selection.pk)
        _transition(actor, locked, target)
        selection.status = target
        fields = ["status"]
        if target == "done":
            selection.finished_on = periods.today()
            fields.append("finished_on")
        bump_version(selection, version, fields)
        audit.record(actor, action, selection, detail=detail)
    return selection


def selection_close_call(*, actor, selection: Selection, version: int | None) -> Selection:
    """End the call: the list of candidates is final and scoring may start."""
    _manage(actor, selection)
    n = selection.candidates.count()
    if n == 0:
        raise Conflict(_("还没有人报名，不能截止报名"), code=ErrorCode.TRANSITION)
    return _advance(actor, selection, version, "scoring", Action.CLOSE_CALL, candidates=n)


def selection_start_election(*, actor, selection: Selection, version: int | None) -> Selection:
    """Vetting done: the candidates who passed go to the congress."""
    _manage(actor, selection)
    if not selection.candidates.filter(vetting="passed").exists():
        raise Conflict(_("还没有考察合格的人选，不能提交选举"), code=ErrorCode.TRANSITION)
    return _advance(actor, selection, version, "election", Action.START_ELECTION)


def selection_finish(*, actor, selection: Selection, version: int | None) -> Selection:
    """Every candidate who went to the election has a result."""
    _manage(actor, selection)
    if selection.candidates.filter(vetting="passed", election="").exists():
        raise Conflict(_("还有考察合格的人选没有录入选举结果"), code=ErrorCode.TRANSITION)
    return _advance(actor, selection, version, "done", Action.SELECTION_FINISH)


# ---------------------------------------------------------------- candidates


def _clean_candidate(selection: Selection, data: dict) -> Candidate:
    phone = clean_phone(require_text(data.get("phone"), "phone", _("手机号")))
    id_number = (data.get("id_number") or "").strip()
    id_number = clean_id_number(id_number) if id_number else ""
    wish = None
    if data.get("wish"):
        wish = selection.posts.filter(pk=data["wish"]).first()
        if wish is None:
            raise ValidationFailed(_("意向职务不属于本次选配"), fields={"wish": _("无效")})
    cand = Candidate(selection=selection, name=require_text(data.get("name"), "name", _("姓名"))[:50],
                     gender=data.get("gender") if data.get("gender") in ("F", "M") else "F",
                     workplace=(data.get("workplace") or "").strip()[:120], wish=wish,
                     project_title=require_text(data.get("project_title"), "project_title", _("项目名称"))[:100],
                     project_need=require_text(data.get("project_need"), "project_need", _("项目回应的妇女需求")),
                     project_plan=require_text(data.get("project_plan"), "project_plan", _("实施计划")))
    sensitive.assign_sealed(cand, "phone", "phone", phone)
    sensitive.assign_sealed(cand, "id_number", "id_number", id_number)
    if selection.candidates.filter(phone_bidx=cand.phone_bidx).exists():
        raise ValidationFailed(MSG_DUPLICATE, fields={"phone": MSG_DUPLICATE})
    now = periods.now()
    cand.applied_at, cand.applied_on = now, timezone.localdate(now)
    cand.tracking_code = tracking_code()
    cand.person = queries.known_person(selection.unit, cand.phone_bidx, cand.id_number_bidx)
    cand.place_in(selection.unit)
    return cand


def _save_candidate(actor, cand: Candidate, action: str) -> Candidate:
    try:
        with transaction.atomic():
            cand.save()
            summaries.bump(METRIC, cand.unit, cand.applied_on, category=cand.channel, status="")
            audit.record(actor, action, cand, detail={"selection": cand.selection_id, "channel": cand.channel,
                                                      "linked_person": cand.person_id})
    except IntegrityError as exc:  # a concurrent application with the same phone
        raise ValidationFailed(MSG_DUPLICATE, fields={"phone": MSG_DUPLICATE}) from exc
    return cand


def candidate_apply_public(*, selection: Selection, key: str, **data) -> tuple[Candidate, bool]:
    """A woman applies on the public page during the call; a retried POST (same key) returns the first."""
    if not rules.call_open(selection.status, selection.call_opens, selection.call_closes, periods.today()):
        raise Conflict(MSG_NOT_OPEN, code=ErrorCode.TRANSITION)
    if not key:
        raise ValidationFailed(_("表单已失效，请刷新后重新提交"))

    def create() -> Candidate:
        # cleaned inside run_once: a retry of an accepted form returns it instead of "already applied"
        cand = _clean_candidate(selection, data)
        cand.channel = Candidate.Channel.PUBLIC
        return _save_candidate(None, cand, Action.CANDIDATE_APPLY)

    return run_once(f"selection.apply.{selection.pk}", key, create)


def candidate_create(*, actor, selection: Selection, **data) -> Candidate:
    """Staff enter an application (paper form, phone call) while the call is open."""
    _manage(actor, selection)
    if selection.status != "open":
        raise Conflict(_("报名已截止，不能再录入人选"), code=ErrorCode.TRANSITION)
    cand = _clean_candidate(selection, data)
    cand.channel = Candidate.Channel.STAFF
    return _save_candidate(actor, cand, Action.CANDIDATE_CREATE)


# ---------------------------------------------------------------- scorers and scores


def scorer_add(*, actor, part: Part, name: str, note: str = "", phone: str = "") -> tuple[Scorer, str]:
    """Name a scorer of a part and issue her one-time link; the raw token is returned once, never stored."""
    _manage(actor, part.selection)
    if part.is_closed:
        raise Conflict(MSG_PART_CLOSED, code=ErrorCode.TRANSITION)
    scorer = Scorer(part=part, name=require_text(name, "name", _("姓名"))[:50], note=(note or "").strip()[:100])
    if phone and phone.strip():
        sealed = sensitive.seal("phone", clean_phone(phone))
        scorer.phone_enc, scorer.phone_mask = sealed.enc, sealed.mask
    with transaction.atomic():
        scorer.link_issued_at = periods.now()
        scorer.save()
        token = onetime.issue(TOKEN_PURPOSE, scorer)
        audit.record(actor, Action.SCORER_ADD, part.selection, summary=f"{part}：{scorer.name}",
                     detail={"part": part.kind, "scorer": scorer.pk})
    return scorer, token


def scorer_reissue(*, actor, scorer: Scorer) -> str:
    """A new link for a scorer who lost hers (the old one stops working); not after she submitted."""
    _manage(actor, scorer.part.selection)
    if scorer.submitted_at or scorer.part.is_closed:
        raise Conflict(_("已提交评分或环节已结束，不能重新生成链接"), code=ErrorCode.TRANSITION)
    with transaction.atomic():
        onetime.revoke_for(scorer, TOKEN_PURPOSE)
        token = onetime.issue(TOKEN_PURPOSE, scorer)
        Scorer.objects.filter(pk=scorer.pk).update(link_issued_at=periods.now())
        audit.record(actor, Action.SCORER_REISSUE, scorer.part.selection, summary=f"{scorer.part}：{scorer.name}",
                     detail={"scorer": scorer.pk})
    return token


def scorer_send_link(*, actor, scorer: Scorer, url: str) -> None:
    """Text the link to the scorer's phone (the outbox keeps the message)."""
    _manage(actor, scorer.part.selection)
    if not scorer.phone_enc:
        raise ValidationFailed(_("该评分人没有登记手机号"), fields={"phone": _("未登记")})
    with transaction.atomic():
        send_sms(sensitive.decrypt(scorer.phone_enc),
                 _("【娘家】{name}您好，请用此链接为“{title}”{part}打分（仅可提交一次）：{url}").format(name=scorer.name, title=scorer.part.selection.title, part=scorer.part, url=url),
                 purpose=TOKEN_PURPOSE)
        audit.record(actor, Action.SCORER_SEND_LINK, scorer.part.selection, summary=f"{scorer.part}：{scorer.name}",
                     detail={"scorer": scorer.pk})


def _clean_values(part: Part, values: dict) -> dict[int, Decimal]:
    ids = set(part.selection.candidates.values_list("pk", flat=True))
    given = {int(k): v for k, v in values.items() if int(k) in ids}
    score_max = queries.scoring_policy(part.selection.unit).get("score_max", 100)
    errors = {f"score_{i}": msg for i, v in given.items() if (msg := rules.score_error(v, score_max))}
    missing = {f"score_{i}": _("请打分") for i in sorted(ids - set(given))}
    if missing or errors:
        raise ValidationFailed(MSG_SUBMIT_ALL if missing else next(iter(errors.values())),
                               fields=dict(sorted((errors | missing).items())))
    return {i: Decimal(str(v).strip()) for i, v in given.items()}


SUBMIT_SCOPE = "selection.scores"


def scores_submit(*, token: str, values: dict, key: str = "") -> tuple[Scorer, bool]:
    """A scorer submits all her scores at once with her one-time link; the link is then spent.

    Retry-safe: a resend with the same submission key (the page's hidden field, the API's
    Idempotency-Key) after the first was saved returns her saved submission (created=False)
    instead of "link already used"."""
    idem = link_key(token, key)
    first = replayed(SUBMIT_SCOPE, idem)
    if first is not None:
        return first, False
    scorer = queries.scorer_by_token(token)
    part = scorer.part
    if part.is_closed:
        raise Conflict(MSG_PART_CLOSED, code=ErrorCode.TRANSITION)
    if part.selection.status != "scoring":
        raise Conflict(MSG_NOT_SCORING, code=ErrorCode.TRANSITION)
    clean = _clean_values(part, values)

    def create() -> Scorer:
        onetime.consume(TOKEN_PURPOSE, token)
        locked = Part.objects.select_for_update().get(pk=part.pk)
        if locked.is_closed:
            raise Conflict(MSG_PART_CLOSED, code=ErrorCode.TRANSITION)
        Score.objects.bulk_create([Score(part=part, scorer=scorer, candidate_id=cid, value=v)
                                   for cid, v in sorted(clean.items())])
        scorer.submitted_at = periods.now()
        Scorer.objects.filter(pk=scorer.pk).update(submitted_at=scorer.submitted_at)
        audit.record(None, Action.SCORES_SUBMIT, part.selection, summary=f"{part}：{scorer.name} 提交评分",
                     detail={"part": part.kind, "scorer": scorer.pk, "count": len(clean)})
        return scorer

    return run_once(SUBMIT_SCOPE, idem, create)


def part_close(*, actor, part: Part, version: int | None) -> Part:
    """End a part: links not yet used stop working and its scores become visible."""
    _manage(actor, part.selection)
    selection = part.selection
    if selection.status != "scoring":
        raise Conflict(_("只有在评分阶段才能结束评分环节"), code=ErrorCode.TRANSITION)
    if part.is_closed:
        raise Conflict(MSG_PART_CLOSED, code=ErrorCode.TRANSITION)
    with transaction.atomic():
        if not part.scorers.filter(submitted_at__isnull=False).exists():
            raise Conflict(_("还没有评分人提交评分，不能结束"), code=ErrorCode.TRANSITION)
        for scorer in part.scorers.filter(submitted_at__isnull=True):
            onetime.revoke_for(scorer, TOKEN_PURPOSE)
        part.closed_at, part.closed_by = periods.now(), actor
        bump_version(part, version, ["closed_at", "closed_by"])
        audit.record(actor, Action.PART_CLOSE, selection, summary=f"结束{part}",
                     detail={"part": part.kind, "submitted": part.scorers.filter(submitted_at__isnull=False).count()})
        if not Part.objects.filter(selection=selection, closed_at__isnull=True).exists():
            _advance(actor, selection, None, "vetting", Action.SCORING_DONE)
    return part


def score_correct(*, actor, score: Score, value, reason: str) -> Score:
    """Correct a submitted score: a new record supersedes the old one; both stay on the sheet."""
    _manage(actor, score.part.selection)
    reason = require_text(reason, "reason", _("更正理由"))
    if score.part.selection.candidates.exclude(election="").exists() or score.part.selection.status == "done":
        raise Conflict(MSG_CORRECT_LATE, code=ErrorCode.TRANSITION)
    msg = rules.score_error(value, queries.scoring_policy(score.part.selection.unit).get("score_max", 100))
    if msg:
        raise ValidationFailed(msg, fields={"value": msg})
    with transaction.atomic():
        # the corrected row locked first: of two parallel corrections the second sees the first
        Score.objects.select_for_update().filter(pk=score.pk).first()
        if Score.objects.filter(supersedes=score).exists():
            raise Conflict(_("该分数已被更正，请更正最新的记录"))
        new = Score.objects.create(part=score.part, scorer=score.scorer, candidate=score.candidate,
                                   value=Decimal(str(value).strip()), supersedes=score, corrected_by=actor,
                                   reason=reason[:200])
        audit.record(actor, Action.SCORE_CORRECT, score.part.selection,
                     summary=f"{score.part}：{score.scorer.name} 给 {score.candidate.name} 的分数 {score.value} → {new.value}",
                     detail={"old": score.pk, "new": new.pk, "reason": reason})
    return new


# ---------------------------------------------------------------- vetting and election


def candidate_vet(*, actor, candidate: Candidate, result: str, note: str, version: int | None,
                  day: date | None = None) -> Candidate:
    """干部考察: pass or fail with a note, after scoring and before the election."""
    _manage(actor, candidate)
    if candidate.selection.status != "vetting":
        raise Conflict(_("只有在考察阶段才能录入考察结果"), code=ErrorCode.TRANSITION)
    if result not in ("passed", "failed"):
        raise ValidationFailed(_("考察结果应为合格或不合格"), fields={"result": _("无效")})
    note = require_text(note, "note", _("考察意见"))
    apply_changes(actor=actor, obj=candidate, version=version,
                  changes={"vetting": result, "vetting_note": note, "vetted_on": day or periods.today()},
                  allowed={"vetting", "vetting_note", "vetted_on"}, action=Action.CANDIDATE_VET)
    return candidate


def candidate_elect(*, actor, candidate: Candidate, result: str, version: int | None,
                    post: SelectionPost | None = None, day: date | None = None) -> Candidate:
    """The congress's result; an elected candidate gets her post in the people register at once."""
    _manage(actor, candidate)
    if result not in ("elected", "not_elected"):
        raise ValidationFailed(_("选举结果应为当选或未当选"), fields={"result": _("无效")})
    if candidate.election:
        raise Conflict(_("该人选已录入选举结果"), code=ErrorCode.TRANSITION)
    if result == "elected" and (post is None or post.selection_id != candidate.selection_id):
        raise ValidationFailed(_("请选择当选的职务"), fields={"post": _("请选择")})
    day = day or periods.today()
    with transaction.atomic():
        selection = Selection.objects.select_for_update().get(pk=candidate.selection_id)
        taken = selection.candidates.filter(election="elected", elected_to=post).count() if post else 0
        refusal = rules.election_refusal(status=selection.status, vetting=candidate.vetting, elected_now=taken,
                                         seats=post.seats if post else 0, result=result)
        if refusal:
            raise Conflict(refusal, code=ErrorCode.TRANSITION)
        changes = {"election": result, "elected_on": day}
        if result == "elected":
            changes |= _take_post(actor, candidate, selection, post, day)
        apply_changes(actor=actor, obj=candidate, version=version, changes=changes,
                      allowed={"election", "elected_on", "elected_to", "person", "post"}, action=Action.CANDIDATE_ELECT)
        metrics.CANDIDATE.move(candidate, before={"status": "", "place": candidate.unit}, after={"place": candidate.unit})
    return candidate


def _take_post(actor, candidate: Candidate, selection: Selection, post: SelectionPost, day: date) -> dict:
    """Find or create her person record and give her the part-time post (people services, same transaction)."""
    person = candidate.person or queries.known_person(selection.unit, candidate.phone_bidx, candidate.id_number_bidx)
    if person is None:
        person = people.person_create(actor=actor, unit=selection.unit, name=candidate.name, gender=candidate.gender,
                                      workplace=candidate.workplace, phone=sensitive.decrypt(candidate.phone_enc),
                                      id_number=sensitive.decrypt(candidate.id_number_enc))
    new_post = people.post_create(actor=actor, person=person, unit=selection.unit, body=post.body, title=post.title,
                                  tenure=Post.Tenure.PART_TIME, start_date=day)
    return {"elected_to": post, "person": person, "post": new_post}

