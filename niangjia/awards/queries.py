"""Scoped reads of award rounds.

Two kinds of reach: a round is *managed* by users whose reach covers its federation (scoped as
usual); it is *visible* to those too and to cadres of federations below it (安吉县's cadres see
湖州市's round, to nominate and follow their quota). Nominations are scoped by their own federation,
so one county never sees another county's nominations.
"""

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.access import get_for, reach_of, register_may, scoped
from niangjia.core.errors import Forbidden, NotFound
from niangjia.core.public import normalise_code
from niangjia.core.scope import reach_q
from niangjia.org.models import Federation

from . import rules
from .models import AwardRound, Ballot, BallotMark, Nomination, Objection, RoundQuota


def _ancestor_ids(user) -> list[int]:
    reach = reach_of(user)
    ids = [s.unit_id for s in reach.subtrees]
    out: set[int] = set()
    for row in Federation.objects.filter(pk__in=ids).values("id", "l1", "l2", "l3", "l4", "l5", "l6"):
        out |= {v for k, v in row.items() if k != "id" and v and v != row["id"]}
    return sorted(out)


def rounds_visible(user) -> QuerySet:
    reach = reach_of(user)
    qs = AwardRound.objects.select_related("unit")
    if reach.unrestricted:
        return qs
    return qs.filter(reach_q(reach) | Q(unit_id__in=_ancestor_ids(user)))


def rounds_for(user, *, phase: str = "", q: str = "") -> QuerySet:
    qs = rounds_visible(user)
    if phase:
        qs = qs.filter(phase=phase)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(award__icontains=q))
    return qs


def get_round_for(user, pk) -> AwardRound:
    """A round the user may see (manager or participant), else 404."""
    try:
        return rounds_visible(user).get(pk=pk)
    except (AwardRound.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def manages(user, rnd: AwardRound) -> bool:
    return reach_of(user).covers_obj(rnd)


def get_managed_round(user, pk) -> AwardRound:
    """A round the user runs: 404 if she cannot even see it, 403 if she only takes part in it."""
    rnd = get_round_for(user, pk)
    if not manages(user, rnd):
        raise Forbidden(gettext("只有{name}可以管理这次评选").format(name=rnd.unit.name))
    return rnd


def nominations_for(user, rnd: AwardRound | None = None, *, kind: str = "", status: str = "", consent: str = "",
                    unit=None) -> QuerySet:
    qs = scoped(Nomination.objects.select_related("unit", "round", "consent_by"), user)
    if rnd is not None:
        qs = qs.filter(round=rnd)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if consent:
        qs = qs.filter(consent=consent)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs


def get_nomination_for(user, pk) -> Nomination:
    return get_for(Nomination.objects.select_related("unit", "round", "round__unit", "consent_by"), user, pk)


# the objection list's orders (label, order_by), shared by the page and the API
OBJECTION_SORTS = {"pending": (_("待答复在前"), ("outcome", "id")), "new": (_("最新"), ("-id",)), "old": (_("最早"), ("id",))}


def objections_for(user, rnd: AwardRound, *, outcome: str = "", nomination_id: int | None = None,
                   q: str = "") -> QuerySet:
    """The round's objections in the user's reach; `outcome` 'pending', 'upheld' or 'dismissed'."""
    qs = scoped(Objection.objects.select_related("nomination", "answered_by"), user).filter(round=rnd)
    if outcome:
        qs = qs.filter(outcome="" if outcome == "pending" else outcome)
    if nomination_id:
        qs = qs.filter(nomination_id=nomination_id)
    if q:
        qs = qs.filter(Q(text__contains=q) | Q(tracking_code=q.replace("-", "").upper()))
    return qs


def get_objection_for(user, pk) -> Objection:
    return get_for(Objection.objects.select_related("round", "round__unit", "nomination"), user, pk)


# ---------------------------------------------------------------- quotas


def nominating_units(rnd: AwardRound) -> list[Federation]:
    """The child federations that nominate to a round (its federation's direct children)."""
    return list(Federation.objects.filter(parent_id=rnd.unit_id, is_active=True).order_by("code"))


def org_quota_of(rnd: AwardRound, unit) -> int:
    row = RoundQuota.objects.filter(round=rnd, unit=unit).values_list("org_quota", flat=True).first()
    return rnd.default_org_quota if row is None else row


def org_used(rnd: AwardRound, unit) -> int:
    return Nomination.objects.filter(round=rnd, kind=Nomination.Kind.ORG, unit=unit).exclude(
        status=Nomination.Status.WITHDRAWN).count()


def public_used(rnd: AwardRound) -> int:
    return Nomination.objects.filter(round=rnd, kind=Nomination.Kind.PUBLIC).exclude(
        status=Nomination.Status.WITHDRAWN).count()


def quota_table(rnd: AwardRound, units: list | None = None) -> list[dict]:
    """Per nominating federation: its org quota, org nominations used, and public nominations placed there."""
    units = nominating_units(rnd) if units is None else units
    overrides = dict(RoundQuota.objects.filter(round=rnd).values_list("unit_id", "org_quota"))
    used = {(r["unit_id"], r["kind"]): r["n"] for r in Nomination.objects.filter(round=rnd).exclude(
        status=Nomination.Status.WITHDRAWN).values("unit_id", "kind").annotate(n=Count("id"))}
    return [{"unit": u, "quota": overrides.get(u.pk, rnd.default_org_quota), "custom": u.pk in overrides,
             "used": used.get((u.pk, Nomination.Kind.ORG), 0), "public": used.get((u.pk, Nomination.Kind.PUBLIC), 0)}
            for u in units]


# ---------------------------------------------------------------- evaluation and the notice period


def shortlist(rnd: AwardRound) -> list[Nomination]:
    statuses = [Nomination.Status.SHORTLISTED, Nomination.Status.PROPOSED, Nomination.Status.REMOVED,
                Nomination.Status.AWARDED, Nomination.Status.NOT_SELECTED]
    return list(Nomination.objects.filter(round=rnd, status__in=statuses).select_related("unit").order_by("id"))


def tallies(rnd: AwardRound) -> list[rules.Tally]:
    """Evaluation tallies of every shortlisted nominee (zero for those nobody marked)."""
    rows = {r["nomination_id"]: r for r in BallotMark.objects.filter(ballot__round=rnd, ballot__void__isnull=True)
            .values("nomination_id")
            .annotate(ballots=Count("id"), points=Sum("score"))}
    return [rules.Tally(n.pk, rows.get(n.pk, {}).get("ballots", 0), rows.get(n.pk, {}).get("points", 0) or 0)
            for n in shortlist(rnd)]


def results(rnd: AwardRound) -> list[dict]:
    """The ranked shortlist with each nominee's score, best first, and where the tie-break decided."""
    by_id = {n.pk: n for n in shortlist(rnd)}
    ranked = rules.rank(rnd.mode, tallies(rnd))
    notes = rules.tie_notes(rnd.mode, ranked)
    return [{"rank": i, "nomination": by_id[t.nomination_id], "ballots": t.ballots, "points": t.points,
             "score": t.score(rnd.mode), "tie": notes.get(t.nomination_id, "")}
            for i, t in enumerate(ranked, start=1)]


def proposed(rnd: AwardRound) -> list[Nomination]:
    """Who the notice period lists (and, after it, who was awarded or removed)."""
    statuses = [Nomination.Status.PROPOSED, Nomination.Status.REMOVED, Nomination.Status.AWARDED]
    return list(Nomination.objects.filter(round=rnd, status__in=statuses).select_related("unit").order_by("id"))


def unanswered_count(rnd: AwardRound) -> int:
    return Objection.objects.filter(round=rnd, outcome="").count()


def ballot_count(rnd: AwardRound) -> int:
    """Valid ballots (voided ones left out)."""
    return rnd.ballots.filter(void__isnull=True).count()


def voided_count(rnd: AwardRound) -> int:
    return rnd.ballots.filter(void__isnull=False).count()


def ballots_of(user, rnd: AwardRound, *, voided: bool | None = None) -> QuerySet:
    """The round's ballots for its managers (voter shown masked); `voided` True only voided, False only valid."""
    qs = scoped(Ballot.objects.select_related("void", "void__voided_by").prefetch_related("marks"), user) \
        .filter(round=rnd)
    return qs if voided is None else qs.filter(void__isnull=not voided)


def get_ballot_for(user, pk):
    return get_for(Ballot.objects.select_related("round", "round__unit"), user, pk)


def get_public_round(code: str) -> AwardRound:
    try:
        return AwardRound.objects.select_related("unit").get(code=(code or "").upper())
    except AwardRound.DoesNotExist as exc:
        raise NotFound(gettext("没有找到这次评选")) from exc


def tracked(code: str):
    """The objection or public nomination a tracking code names (None when there is none): what the
    objector or nominator may read with her code — never contact details."""
    code = normalise_code(code)
    if not code:
        return None
    obj = Objection.objects.select_related("round", "round__unit", "nomination").filter(tracking_code=code).first()
    if obj is not None:
        return obj
    return Nomination.objects.select_related("round", "round__unit").filter(
        kind=Nomination.Kind.PUBLIC, tracking_code=code).first()


def may_void(user, rnd: AwardRound) -> bool:
    """Void a fraudulent ballot: the round's managers, during the evaluation only ({% can %})."""
    return manages(user, rnd) and rnd.phase == rules.EVALUATION


register_may("awards.void", AwardRound, may_void)  # the ballots page's 作废 buttons ({% can %})
