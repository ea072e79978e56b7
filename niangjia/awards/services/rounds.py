"""Rounds, their quotas, the shortlist and the phases up to the final result."""


from django.db import transaction
from django.utils.translation import gettext as _

from niangjia.awards.audit_actions import Action
from niangjia.core import audit, policies
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Conflict, StaleVersion, ValidationFailed
from niangjia.core.public import tracking_code
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text

from .. import queries, rules
from ..models import AwardRound, Nomination, RoundQuota
from .base import (
    MSG_NO_CONSENT,
    ROUND_FIELDS,
    lock_round,
    nominating_unit,
    require_manager,
    today,
    user_of,
)

# ---------------------------------------------------------------- rounds and quotas


def round_create(*, actor, unit, name: str, award: str, nomination_ends, evaluation_ends, kind: str = "individual",
                 description: str = "", places: int = 10, default_org_quota: int | None = None,
                 public_quota: int | None = None, mode: str | None = None,
                 max_choices: int | None = None) -> AwardRound:
    """A federation opens a round for its subtree; quotas and evaluation default to the policies."""
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, unit)
    quota = policies.resolve(rules.QUOTA_POLICY, unit)
    ev = policies.resolve(rules.EVALUATION_POLICY, unit)
    problem = rules.round_dates_problem(nomination_ends, evaluation_ends)
    if problem:
        raise ValidationFailed("；".join(problem.values()), fields=problem)
    rnd = AwardRound(
        name=require_text(name, "name", _("评选名称")), award=require_text(award, "award", _("荣誉称号")), kind=kind,
        description=description or "", places=places, mode=mode or ev["mode"],
        default_org_quota=quota["org_per_federation"] if default_org_quota is None else default_org_quota,
        public_quota=quota["public_per_round"] if public_quota is None else public_quota,
        max_choices=ev["max_choices"] if max_choices is None else max_choices,
        nomination_ends=nomination_ends, evaluation_ends=evaluation_ends, code=tracking_code(8),
        created_by=user_of(actor))
    rnd.place_in(unit)
    full_clean_or_raise(rnd, exclude=["code"])
    if rnd.places < 1:
        raise ValidationFailed(_("表彰名额至少为 1"), fields={"places": _("至少为 1")})
    with transaction.atomic():
        rnd.save()
        audit.record(actor, Action.ROUND_CREATE, rnd)
    return rnd


def round_update(*, actor, rnd: AwardRound, version: int | None, **changes) -> AwardRound:
    """Settings change only while nominations are open."""
    require_manager(actor, rnd)
    if rnd.phase != rules.NOMINATION:
        raise rules.refuse(_("推荐阶段结束后不能再修改评选设置"))
    merged = {f: changes.get(f, getattr(rnd, f)) for f in ("nomination_ends", "evaluation_ends")}
    problem = rules.round_dates_problem(merged["nomination_ends"], merged["evaluation_ends"])
    if problem:
        raise ValidationFailed("；".join(problem.values()), fields=problem)
    apply_changes(actor=actor, obj=rnd, version=version, changes=changes, allowed=ROUND_FIELDS,
                  action=Action.ROUND_UPDATE)
    return rnd


def quota_set(*, actor, rnd: AwardRound, unit, org_quota: int | None) -> RoundQuota | None:
    """The round's federation sets one child's org quota (None: back to the default)."""
    require_manager(actor, rnd)
    nominating_unit(rnd, unit)
    if rnd.phase != rules.NOMINATION:
        raise rules.refuse(_("推荐阶段结束后不能再调整名额"))
    if org_quota is not None and not 0 <= org_quota <= 999:
        raise ValidationFailed(_("名额应为 0–999"), fields={"org_quota": _("应为 0–999")})
    with transaction.atomic():
        rnd = lock_round(rnd)
        used = queries.org_used(rnd, unit)
        if org_quota is not None and org_quota < used:
            raise ValidationFailed(_("{name}已推荐 {used} 名，名额不能少于已推荐人数").format(name=unit.name, used=used),
                                   fields={"org_quota": _("不能少于已推荐的 {used} 名").format(used=used)})
        if org_quota is None:
            RoundQuota.objects.filter(round=rnd, unit=unit).delete()
            row = None
        else:
            row, _created = RoundQuota.objects.update_or_create(round=rnd, unit=unit, defaults={"org_quota": org_quota})
        audit.record(actor, Action.QUOTA_SET, rnd, summary=f"{unit.name} 组织推荐名额：{org_quota or '默认'}",
                     detail={"unit": unit.pk, "org_quota": org_quota})
    return row


# ---------------------------------------------------------------- shortlist and phases


def shortlist_set(*, actor, nomination: Nomination, on: bool) -> Nomination:
    """The round's federation puts a nominee on (or takes her off) the shortlist; consent first."""
    rnd = nomination.round
    require_manager(actor, rnd)
    with transaction.atomic():
        rnd = lock_round(rnd)
        if rnd.phase != rules.NOMINATION:
            raise rules.refuse(_("只有推荐阶段可以调整入围名单"))
        nom = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if on:
            if nom.status != Nomination.Status.SUBMITTED:
                raise Conflict(_("该推荐当前为“{status}”，不能入围").format(status=nom.get_status_display()))
            if nom.consent != Nomination.Consent.GIVEN:
                raise Conflict(MSG_NO_CONSENT)
            nom.status = Nomination.Status.SHORTLISTED
        else:
            if nom.status != Nomination.Status.SHORTLISTED:
                raise Conflict(_("该推荐不在入围名单中"))
            nom.status = Nomination.Status.SUBMITTED
        nom.save(update_fields=["status"])
        audit.record(actor, Action("awards.shortlist." + ("add" if on else "remove")), nom, unit=rnd)
    nomination.status = nom.status
    return nom


def phase_advance(*, actor, rnd: AwardRound, to: str, version: int | None = None,
                  proposed_ids: list[int] | None = None) -> AwardRound:
    """Move the round to its next phase (only in order); entering the notice period names the proposed
    awardees (the evaluation's top `places`, unless the federation names them) and fixes its dates."""
    require_manager(actor, rnd)
    if to == rules.FINAL:
        return round_finalize(actor=actor, rnd=rnd, version=version)
    with transaction.atomic():
        locked = lock_round(rnd)
        if version is not None and locked.version != version:
            raise StaleVersion()
        problem = rules.transition_problem(locked.phase, to)
        if problem:
            raise rules.refuse(problem)
        if to == rules.EVALUATION:
            _enter_evaluation(locked)
        elif to == rules.NOTICE:
            _enter_notice(locked, proposed_ids)
        locked.phase = to
        locked.version += 1
        locked.save()
        audit.record(actor, Action.AWARDS_PHASE, locked, summary=f"进入“{rules.PHASE_NAMES[to]}”阶段",
                     detail={"to": to})
    _copy(locked, rnd)
    return rnd


def _copy(src: AwardRound, dst: AwardRound) -> None:
    for f in ("phase", "version", "evaluation_started_on", "notice_starts", "notice_ends", "finalized_on",
              "finalized_by_id"):
        setattr(dst, f, getattr(src, f))


def _enter_evaluation(rnd: AwardRound) -> None:
    if not Nomination.objects.filter(round=rnd, status=Nomination.Status.SHORTLISTED).exists():
        raise rules.refuse(_("入围名单为空，不能开始群众评议"))
    rnd.evaluation_started_on = today()
    Nomination.objects.filter(round=rnd, status=Nomination.Status.SUBMITTED).update(
        status=Nomination.Status.NOT_SHORTLISTED)


def _enter_notice(rnd: AwardRound, proposed_ids: list[int] | None) -> None:
    shortlisted = set(Nomination.objects.filter(round=rnd, status=Nomination.Status.SHORTLISTED)
                      .values_list("pk", flat=True))
    if proposed_ids is None:
        chosen = rules.proposed_from(rules.rank(rnd.mode, queries.tallies(rnd)), rnd.places)
    else:
        chosen = list(dict.fromkeys(int(i) for i in proposed_ids))
        if set(chosen) - shortlisted:
            raise ValidationFailed(_("拟表彰对象只能从入围名单中产生"), fields={"proposed": _("包含未入围的推荐")})
        if len(chosen) > rnd.places:
            raise ValidationFailed(_("拟表彰对象不能超过表彰名额 {places} 名").format(places=rnd.places), fields={"proposed": _("超过名额")})
    if not chosen:
        raise rules.refuse(_("没有拟表彰对象，不能进入公示"))
    Nomination.objects.filter(pk__in=chosen).update(status=Nomination.Status.PROPOSED)
    Nomination.objects.filter(pk__in=shortlisted - set(chosen)).update(status=Nomination.Status.NOT_SELECTED)
    rnd.notice_starts = today()
    rnd.notice_ends = rules.notice_end(rnd.notice_starts, policies.resolve(rules.NOTICE_POLICY, rnd.unit))


def round_finalize(*, actor, rnd: AwardRound, version: int | None = None) -> AwardRound:
    """Make the result final: only after the notice period has ended and every objection is answered."""
    require_manager(actor, rnd)
    with transaction.atomic():
        locked = lock_round(rnd)
        if version is not None and locked.version != version:
            raise StaleVersion()
        problems = rules.finalize_problems(locked.phase, today(), locked.notice_ends,
                                           queries.unanswered_count(locked))
        if problems:
            raise rules.refuse(_("还不能确定结果：") + "；".join(problems))
        awarded = Nomination.objects.filter(round=locked, status=Nomination.Status.PROPOSED).update(
            status=Nomination.Status.AWARDED)
        locked.phase = rules.FINAL
        locked.finalized_on = today()
        locked.finalized_by = user_of(actor)
        locked.version += 1
        locked.save()
        audit.record(actor, Action.AWARDS_FINALIZE, locked, detail={"awarded": awarded})
    _copy(locked, rnd)
    return rnd
