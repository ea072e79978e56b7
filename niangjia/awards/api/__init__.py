"""JSON endpoints of award rounds (thin: parse, fetch through scoped queries, call a service, render).

Staff endpoints need a login and awards.manage; the /awards/public/... endpoints are the no-login
doors of the public pages (rate-limited per client address, retry-safe by `form_key`).
"""

from typing import Literal

from ninja import Query, Router, Status

from niangjia.core.api_schemas import (
    OkOut,
    PageParams,
    changes_of,
    choice,
    page_of,
    page_out,
    responses,
)
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import evaluation, queries, rules, services
from ..models import AwardRound, Nomination
from .public import router as public_router
from .schemas import (
    AnswerIn,
    BallotLinksIn,
    BallotLinksOut,
    BallotOut,
    BallotResultsOut,
    BallotVoidIn,
    ConsentLinkIn,
    FinalizeIn,
    NominationConsentIn,
    NominationIn,
    NominationOut,
    ObjectionOut,
    PhaseIn,
    QuotaIn,
    QuotasOut,
    ReasonIn,
    RoundIn,
    RoundOut,
    RoundPatch,
    ShortlistIn,
)

router = Router(tags=["评选表彰"])


# ---------------------------------------------------------------- rounds and quotas


@router.get("/awards/rounds", response=responses(page_of(RoundOut)), summary="评选列表（组织的和可推荐的）")
def round_list(request, page: Query[PageParams], phase: choice(AwardRound.Phase) | None = None, q: str = ""):
    require(request.user, "awards.manage")
    return page_out(queries.rounds_for(request.user, phase=phase or "", q=q), order=("-id",), params=page)


@router.post("/awards/rounds", response=responses(RoundOut, status=201, write=True), summary="新建评选")
def round_create(request, payload: RoundIn):
    require(request.user, "awards.manage")
    unit = org_queries.get_federation_for(request.user, payload.unit)
    fields = payload.model_dump(exclude={"unit"})
    return Status(201, services.round_create(actor=request.user, unit=unit, **fields))


@router.get("/awards/rounds/{int:id}", response=responses(RoundOut), summary="评选详情")
def round_detail(request, id: int):
    require(request.user, "awards.manage")
    return queries.get_round_for(request.user, id)


@router.patch("/awards/rounds/{int:id}", response=responses(RoundOut, write=True), summary="修改评选设置（推荐阶段）")
def round_update(request, id: int, payload: RoundPatch):
    rnd = queries.get_managed_round(request.user, id)
    return services.round_update(actor=request.user, rnd=rnd, version=payload.version, **changes_of(payload))


def _quotas(rnd: AwardRound) -> dict:
    return {"default_org_quota": rnd.default_org_quota, "public_quota": rnd.public_quota,
            "public_used": queries.public_used(rnd), "units": queries.quota_table(rnd)}


@router.get("/awards/rounds/{int:id}/quotas", response=responses(QuotasOut), summary="各下级妇联名额及使用情况")
def quota_list(request, id: int):
    require(request.user, "awards.manage")
    return _quotas(queries.get_round_for(request.user, id))


@router.post("/awards/rounds/{int:id}/quotas", response=responses(QuotasOut, write=True), summary="设定某下级妇联的组织推荐名额")
def quota_set(request, id: int, payload: QuotaIn):
    rnd = queries.get_managed_round(request.user, id)
    unit = org_queries.get_federation_for(request.user, payload.unit)
    services.quota_set(actor=request.user, rnd=rnd, unit=unit, org_quota=payload.org_quota)
    return _quotas(rnd)


@router.post("/awards/rounds/{int:id}/phase", response=responses(RoundOut, write=True),
             summary="推进阶段（只能依次：推荐提名 → 群众评议 → 公示 → 结果确定）")
def phase_advance(request, id: int, payload: PhaseIn):
    rnd = queries.get_managed_round(request.user, id)
    return services.phase_advance(actor=request.user, rnd=rnd, to=payload.to, version=payload.version,
                                  proposed_ids=payload.proposed)


@router.post("/awards/rounds/{int:id}/finalize", response=responses(RoundOut, write=True),
             summary="确定结果（公示期结束且异议全部答复后）")
def finalize(request, id: int, payload: FinalizeIn):
    rnd = queries.get_managed_round(request.user, id)
    return services.round_finalize(actor=request.user, rnd=rnd, version=payload.version)


# ---------------------------------------------------------------- nominations


@router.get("/awards/rounds/{int:id}/nominations", response=responses(page_of(NominationOut)),
            summary="推荐列表（只含本人管辖范围内的推荐）")
def nomination_list(request, id: int, page: Query[PageParams], kind: choice(Nomination.Kind) | None = None,
                    status: choice(Nomination.Status) | None = None, consent: choice(Nomination.Consent) | None = None):
    require(request.user, "awards.manage")
    rnd = queries.get_round_for(request.user, id)
    qs = queries.nominations_for(request.user, rnd, kind=kind or "", status=status or "", consent=consent or "")
    return page_out(qs, order=("id",), params=page)


@router.post("/awards/rounds/{int:id}/nominations", response=responses(NominationOut, status=201, write=True),
             summary="组织推荐（在名额内）")
def nomination_create(request, id: int, payload: NominationIn):
    require(request.user, "awards.manage")
    rnd = queries.get_round_for(request.user, id)
    unit = org_queries.get_federation_for(request.user, payload.unit)
    nom = services.nomination_create_org(actor=request.user, rnd=rnd, unit=unit, **payload.model_dump(exclude={"unit"}))
    return Status(201, nom)


@router.get("/awards/nominations/{int:id}", response=responses(NominationOut), summary="推荐详情")
def nomination_detail(request, id: int):
    require(request.user, "awards.manage")
    return queries.get_nomination_for(request.user, id)


@router.post("/awards/nominations/{int:id}/consent", response=responses(NominationOut, write=True),
             summary="记录被推荐人当面表示同意（或不同意）")
def consent_in_person(request, id: int, payload: NominationConsentIn):
    nom = queries.get_nomination_for(request.user, id)
    return services.consent_record_in_person(actor=request.user, nomination=nom, given=payload.given, note=payload.note)


@router.post("/awards/nominations/{int:id}/consent-link", response=responses(OkOut, write=True),
             summary="短信（重新）发送本人确认链接")
def consent_link(request, id: int, payload: ConsentLinkIn):
    nom = queries.get_nomination_for(request.user, id)
    services.consent_send_link(actor=request.user, nomination=nom, phone=payload.phone)
    return {"ok": True}


@router.post("/awards/nominations/{int:id}/shortlist", response=responses(NominationOut, write=True),
             summary="列入（或移出）入围名单；须本人已同意")
def shortlist(request, id: int, payload: ShortlistIn):
    nom = queries.get_nomination_for(request.user, id)
    return services.shortlist_set(actor=request.user, nomination=nom, on=payload.on)


@router.post("/awards/nominations/{int:id}/withdraw", response=responses(NominationOut, write=True),
             summary="撤回推荐（推荐阶段，释放名额）")
def withdraw(request, id: int, payload: ReasonIn):
    nom = queries.get_nomination_for(request.user, id)
    return services.nomination_withdraw(actor=request.user, nomination=nom, reason=payload.reason)


# ---------------------------------------------------------------- evaluation and objections


@router.get("/awards/rounds/{int:id}/results", response=responses(BallotResultsOut), summary="群众评议结果（排名）")
def results(request, id: int):
    rnd = queries.get_managed_round(request.user, id)
    require(request.user, "awards.manage")
    return {"mode": rnd.mode, "ballots": queries.ballot_count(rnd), "rule": rules.rank_rule(rnd.mode),
            "results": queries.results(rnd)}


@router.post("/awards/rounds/{int:id}/evaluation-links", response=responses(BallotLinksOut, status=201, write=True),
             summary="发放一次性评议链接（短信发送，或生成后返回）")
def evaluation_links(request, id: int, payload: BallotLinksIn):
    rnd = queries.get_managed_round(request.user, id)
    tokens = evaluation.links_issue(actor=request.user, rnd=rnd, phones=payload.phones, count=payload.count)
    return Status(201, {"links": [request.build_absolute_uri(f"/p/awards/evaluate/{t}/") for t in tokens]})


@router.get("/awards/rounds/{int:id}/objections", response=responses(page_of(ObjectionOut)), summary="公示异议")
def objection_list(request, id: int, page: Query[PageParams], pending: bool | None = None,
                   outcome: Literal["pending", "upheld", "dismissed"] | None = None, nomination: int | None = None,
                   q: str = "", sort: Literal["old", "new", "pending"] = "old"):
    rnd = queries.get_managed_round(request.user, id)
    require(request.user, "awards.manage")
    qs = queries.objections_for(request.user, rnd, outcome=outcome or "", nomination_id=nomination, q=q.strip()[:50])
    if pending is not None:
        qs = qs.filter(outcome="") if pending else qs.exclude(outcome="")
    return page_out(qs, order=queries.OBJECTION_SORTS[sort][1], params=page)


@router.get("/awards/rounds/{int:id}/ballots", response=responses(page_of(BallotOut)),
            summary="评议票明细（评议人掩码；含作废记录）")
def ballot_list(request, id: int, page: Query[PageParams], voided: bool | None = None):
    rnd = queries.get_managed_round(request.user, id)
    require(request.user, "awards.manage")
    qs = queries.ballots_of(request.user, rnd, voided=voided)
    return page_out(qs, order=("id",), params=page)


@router.post("/awards/ballots/{int:id}/void", response=responses(BallotOut, write=True),
             summary="作废弄虚作假的评议票（群众评议阶段；新增作废记录，原票不改不删，不计入结果）")
def ballot_void(request, id: int, payload: BallotVoidIn):
    ballot = queries.get_ballot_for(request.user, id)
    evaluation.ballot_void(actor=request.user, ballot=ballot, reason=payload.reason)
    return queries.ballots_of(request.user, ballot.round).get(pk=ballot.pk)


@router.post("/awards/objections/{int:id}/answer", response=responses(ObjectionOut, write=True),
             summary="答复异议（成立则取消该拟表彰对象）")
def objection_answer(request, id: int, payload: AnswerIn):
    require(request.user, "awards.manage")
    obj = queries.get_objection_for(request.user, id)
    return services.objection_answer(actor=request.user, objection=obj, outcome=payload.outcome, answer=payload.answer,
                                     version=payload.version)


# ---------------------------------------------------------------- public (no login)


router.add_router("", public_router)  # the no-login endpoints (api/public.py)
