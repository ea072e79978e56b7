"""The no-login (public) endpoints of the selection API, on their own router mounted into the main one."""

from ninja import Router, Status

from niangjia.core import periods, ratelimit
from niangjia.core.api_schemas import page_of, responses, whole_list

from .. import queries, services
from .schemas import ApplicationIn, ApplicationOut, PublicCallOut, ScoresIn, ScoringOut, SubmittedOut

router = Router()  # mounted into api/__init__.py's router, whose tags it takes


def _limit(request, scope: str, rate: str) -> None:
    """Public endpoints: `rate` hits per client address (as the public pages)."""
    ratelimit.check_request(request, f"api.{scope}", rate)


@router.get("/selection/score/{token}", auth=None, response=responses(ScoringOut),
            summary="评分人用一次性链接查看待评人选（无需登录；看不到他人分数）")
def scoring_sheet(request, token: str):
    _limit(request, "selection.score_read", "120/h")
    scorer = queries.scorer_by_token(token)
    part = scorer.part
    return {"scorer": scorer.name, "part": part.get_kind_display(), "selection": part.selection.title,
            "score_max": queries.scoring_policy(part.selection.unit).get("score_max", 100),
            "candidates": list(queries.candidates_of(part.selection))}


@router.post("/selection/score/{token}", auth=None,
             response={**responses(SubmittedOut, status=201, write=True), 200: SubmittedOut},
             summary="评分人一次提交全部分数（链接随即失效）；带同一提交标识重试返回已保存的评分（200）")
def scoring_submit(request, token: str, payload: ScoresIn):
    _limit(request, "selection.score", "30/h")
    key = payload.key or request.headers.get("Idempotency-Key", "")
    scorer, created = services.scores_submit(token=token, values={s.candidate: s.value for s in payload.scores},
                                              key=key)
    return Status(201 if created else 200, {"scorer": scorer.name, "submitted_at": scorer.submitted_at,
                                            "scores": queries.own_scores(scorer)})


@router.get("/selection/public/calls", auth=None, response=responses(page_of(PublicCallOut)),
            summary="公开：正在报名的公开选配（无需登录）")
def public_calls(request):

    _limit(request, "selection.calls", "120/h")
    return whole_list(list(queries.open_calls(periods.today()).prefetch_related("posts")[:100]))


@router.get("/selection/public/calls/{int:id}", auth=None, response=responses(PublicCallOut),
            summary="公开：选配公告（职务与名额、报名期、报名条件）")
def public_call(request, id: int):
    _limit(request, "selection.calls", "120/h")
    return queries.public_selection(id)


@router.post("/selection/public/calls/{int:id}/applications", auth=None,
             response={**responses(ApplicationOut, status=201, write=True), 200: ApplicationOut},
             summary="公开：报名（带项目：名称、回应的妇女需求、实施计划）；同一提交标识重试返回首次报名（200）")
def public_apply(request, id: int, payload: ApplicationIn):
    _limit(request, "selection.apply", "20/h")
    sel = queries.public_selection(id)
    key = (payload.key or request.headers.get("Idempotency-Key", "")).strip()
    if not key:
        from niangjia.core.errors import ValidationFailed

        raise ValidationFailed("缺少提交标识 key（或 Idempotency-Key 请求头）", fields={"key": "必填"})
    cand, created = services.candidate_apply_public(selection=sel, key=key, **payload.model_dump(exclude={"key"}))
    return Status(201 if created else 200, {"id": cand.pk, "tracking_code": cand.tracking_code, "name": cand.name,
                                            "project_title": cand.project_title, "created": created})
