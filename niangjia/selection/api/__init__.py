"""JSON endpoints of the open selection (thin: parse, fetch through scoped queries, call a service, render).

Staff endpoints need selection.manage inside the selection's federation subtree (404 outside it).
The two /selection/score/{token} endpoints are public: the one-time link is the authorisation.
"""

from typing import Literal

from ninja import Query, Router, Status

from niangjia.core.api_schemas import (
    PageParams,
    VersionIn,
    choice,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import queries, rules, services
from ..models import Status as SelStatus
from .public import router as public_router
from .schemas import (
    CandidateIn,
    CandidateOut,
    ConfigIn,
    ElectIn,
    PartOut,
    RankOut,
    ScoreCorrectIn,
    ScoreOut,
    ScorerIn,
    ScorerLinkOut,
    ScorerOut,
    SelectionDetailOut,
    SelectionIn,
    SelectionOut,
    SelectionPatch,
    SelectionPostOut,
    VetIn,
)

router = Router(tags=["公开选配"])


# ---------------------------------------------------------------- helpers


def _link(request, token: str) -> str:
    return request.build_absolute_uri(f"/p/selection/score/{token}/")


def _rank_out(row) -> dict:
    parts = [{"kind": c.part.kind, "weight": f"{c.part.weight:f}", "method": c.part.method,
              "scores": [f"{v:f}" for v in c.result.scores], "dropped": [f"{v:f}" for v in c.result.dropped],
              "mean": rules.fmt(c.result.mean) if c.result.mean is not None else None,
              "mean_exact": rules.exact(c.result.mean), "contribution": rules.fmt(c.contribution), "note": c.result.note}
             for c in row.cells]
    return {"rank": row.rank, "candidate_id": row.candidate.pk, "name": row.candidate.name,
            "total": rules.fmt(row.total), "total_exact": rules.exact(row.total), "parts": parts, "ties": row.ties,
            "vetting": row.candidate.vetting, "election": row.candidate.election}


# ---------------------------------------------------------------- selections


@router.get("/selection/selections", response=responses(page_of(SelectionOut)), summary="公开选配列表")
def selection_list(request, page: Query[PageParams], status: choice(SelStatus) | None = None, unit: int | None = None,
                   q: str = "", sort: Literal["new", "old", "closes", "opens", "title"] = "new"):
    require(request.user, "selection.manage")
    scope_unit = org_queries.subtree_of(request.user, unit)
    qs = queries.selections_for(request.user, status=status or "", q=q, unit=scope_unit)
    return page_out(qs, order=queries.SELECTION_SORTS[sort][1], params=page)


@router.post("/selection/selections", response=responses(SelectionDetailOut, status=201, write=True),
             summary="发起公开选配（职务与名额、报名期、条件、评分权重与方法、同分规则）")
def selection_create(request, payload: SelectionIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    sel = services.selection_create(
        actor=request.user, unit=unit, title=payload.title, call_opens=payload.call_opens,
        call_closes=payload.call_closes, eligibility=payload.eligibility, conditions=payload.conditions,
        posts=[p.model_dump() for p in payload.posts],
        weights=payload.weights.model_dump() if payload.weights else None,
        methods=payload.methods.model_dump() if payload.methods else None,
        tie_break=payload.tie_break, trim_min=payload.trim_min)
    return Status(201, sel)


@router.get("/selection/selections/{int:id}", response=responses(SelectionDetailOut), summary="公开选配详情")
def selection_detail(request, id: int):
    return queries.get_selection_for(request.user, id)


@router.patch("/selection/selections/{int:id}", response=responses(SelectionDetailOut, write=True),
              summary="修改名称、条件、报名期（报名期间）")
def selection_patch(request, id: int, payload: SelectionPatch):
    sel = queries.get_selection_for(request.user, id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if k != "version"}
    return services.selection_update(actor=request.user, selection=sel, version=payload.version, **changes)


@router.post("/selection/selections/{int:id}/config", response=responses(SelectionDetailOut, write=True),
             summary="设置评分权重、计分方法、同分规则（任一环节结束前）")
def selection_config(request, id: int, payload: ConfigIn):
    sel = queries.get_selection_for(request.user, id)
    return services.selection_configure(actor=request.user, selection=sel, version=payload.version,
                                        weights=payload.weights.model_dump(), methods=payload.methods.model_dump(),
                                        tie_break=payload.tie_break, trim_min=payload.trim_min)


@router.post("/selection/selections/{int:id}/close-call", response=responses(SelectionDetailOut, write=True),
             summary="截止报名，进入评分")
def selection_close_call(request, id: int, payload: VersionIn):
    sel = queries.get_selection_for(request.user, id)
    return services.selection_close_call(actor=request.user, selection=sel, version=payload.version)


@router.post("/selection/selections/{int:id}/start-election", response=responses(SelectionDetailOut, write=True),
             summary="考察结束，提交大会选举")
def selection_start_election(request, id: int, payload: VersionIn):
    sel = queries.get_selection_for(request.user, id)
    return services.selection_start_election(actor=request.user, selection=sel, version=payload.version)


@router.post("/selection/selections/{int:id}/finish", response=responses(SelectionDetailOut, write=True),
             summary="选举结果全部录入，完成选配")
def selection_finish(request, id: int, payload: VersionIn):
    sel = queries.get_selection_for(request.user, id)
    return services.selection_finish(actor=request.user, selection=sel, version=payload.version)


@router.get("/selection/selections/{int:id}/posts", response=responses(page_of(SelectionPostOut)), summary="选配职务与名额")
def selection_posts(request, id: int):
    return whole_list(list(queries.get_selection_for(request.user, id).posts.all()))


@router.get("/selection/selections/{int:id}/parts", response=responses(page_of(PartOut)), summary="三个评分环节")
def selection_parts(request, id: int):
    return whole_list(queries.parts_of(queries.get_selection_for(request.user, id)))


@router.get("/selection/selections/{int:id}/ranking", response=responses(page_of(RankOut)),
            summary="排名与计算过程（三个环节全部结束后）")
def selection_ranking(request, id: int):
    sel = queries.get_selection_for(request.user, id)
    return whole_list([_rank_out(r) for r in queries.result_sheet(sel)])


# ---------------------------------------------------------------- candidates


@router.get("/selection/selections/{int:id}/candidates", response=responses(page_of(CandidateOut)),
            summary="报名人选（筛选：姓名/项目/报名编号、报名方式、考察、选举、意向职务；排序）")
def candidate_list(request, id: int, page: Query[PageParams], q: str = "",
                   channel: Literal["public", "staff"] | None = None,
                   vetting: Literal["pending", "passed", "failed"] | None = None,
                   election: Literal["pending", "elected", "not_elected"] | None = None, wish: int | None = None,
                   sort: Literal["id", "applied", "new", "name"] = "id"):
    sel = queries.get_selection_for(request.user, id)
    qs = queries.candidates_filtered(sel, q=q.strip()[:50], channel=channel or "", vetting=vetting or "",
                                     election=election or "", wish=wish)
    return page_out(qs, order=("id",) if sort == "id" else queries.CANDIDATE_SORTS[sort][1], params=page)


@router.post("/selection/selections/{int:id}/candidates", response=responses(CandidateOut, status=201, write=True),
             summary="工作人员录入报名（报名期间）")
def candidate_create(request, id: int, payload: CandidateIn):
    sel = queries.get_selection_for(request.user, id)
    return Status(201, services.candidate_create(actor=request.user, selection=sel, **payload.model_dump()))


@router.get("/selection/candidates/{int:id}", response=responses(CandidateOut), summary="人选与项目")
def candidate_detail(request, id: int):
    return queries.get_candidate_for(request.user, id)


@router.post("/selection/candidates/{int:id}/vetting", response=responses(CandidateOut, write=True),
             summary="录入考察结果（合格/不合格及意见）")
def candidate_vet(request, id: int, payload: VetIn):
    cand = queries.get_candidate_for(request.user, id)
    return services.candidate_vet(actor=request.user, candidate=cand, result=payload.result, note=payload.note,
                                  version=payload.version, day=payload.day)


@router.post("/selection/candidates/{int:id}/election", response=responses(CandidateOut, write=True),
             summary="录入大会选举结果；当选者自动在人员库生成兼职职务")
def candidate_elect(request, id: int, payload: ElectIn):
    cand = queries.get_candidate_for(request.user, id)
    post = cand.selection.posts.filter(pk=payload.post).first() if payload.post else None
    return services.candidate_elect(actor=request.user, candidate=cand, result=payload.result, post=post,
                                    version=payload.version, day=payload.day)


# ---------------------------------------------------------------- parts, scorers, scores


@router.get("/selection/parts/{int:id}/scorers", response=responses(page_of(ScorerOut)),
            summary="评分人及是否已提交（不含分数）")
def scorer_list(request, id: int):
    return whole_list(queries.scorers_of(queries.get_part_for(request.user, id)))


@router.post("/selection/parts/{int:id}/scorers", response=responses(ScorerLinkOut, status=201, write=True),
             summary="添加评分人并生成一次性评分链接（链接只显示这一次）")
def scorer_add(request, id: int, payload: ScorerIn):
    part = queries.get_part_for(request.user, id)
    scorer, token = services.scorer_add(actor=request.user, part=part, name=payload.name, note=payload.note,
                                        phone=payload.phone)
    if payload.send_sms:
        services.scorer_send_link(actor=request.user, scorer=scorer, url=_link(request, token))
    scorer.link = _link(request, token)
    return Status(201, scorer)


@router.post("/selection/scorers/{int:id}/reissue", response=responses(ScorerLinkOut, write=True),
             summary="重新生成评分链接（旧链接作废）")
def scorer_reissue(request, id: int):
    scorer = queries.get_scorer_for(request.user, id)
    token = services.scorer_reissue(actor=request.user, scorer=scorer)
    scorer.refresh_from_db()
    scorer.link = _link(request, token)
    return scorer


@router.post("/selection/parts/{int:id}/close", response=responses(PartOut, write=True),
             summary="结束评分环节（未使用的链接作废，分数公开）")
def part_close(request, id: int, payload: VersionIn):
    part = queries.get_part_for(request.user, id)
    return services.part_close(actor=request.user, part=part, version=payload.version)


@router.get("/selection/parts/{int:id}/scores", response=responses(page_of(ScoreOut)),
            summary="环节的全部分数（含更正记录）；环节结束前拒绝")
def part_scores(request, id: int):
    return whole_list(list(queries.part_scores(queries.get_part_for(request.user, id))))


@router.post("/selection/scores/{int:id}/correct", response=responses(ScoreOut, status=201, write=True),
             summary="更正分数：新记录取代原记录（须说明理由，留痕）")
def score_correct(request, id: int, payload: ScoreCorrectIn):
    score = queries.get_score_for(request.user, id)
    return Status(201, services.score_correct(actor=request.user, score=score, value=payload.value,
                                              reason=payload.reason))


@router.get("/selection/policy", response=responses(dict), summary="评分规则预设（或本级覆盖）")
def policy(request, unit: int | None = None):
    require(request.user, "selection.manage")
    fed = org_queries.subtree_of(request.user, unit)
    return queries.scoring_policy(fed)


router.add_router("", public_router)  # the no-login endpoints (api/public.py)
