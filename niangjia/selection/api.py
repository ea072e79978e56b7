"""JSON endpoints of the open selection (thin: parse, fetch through scoped queries, call a service, render).

Staff endpoints need selection.manage inside the selection's federation subtree (404 outside it).
The two /selection/score/{token} endpoints are public: the one-time link is the authorisation.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from niangjia.core import periods, ratelimit
from niangjia.core.api_schemas import (
    PageParams,
    UnitRef,
    VersionIn,
    choice,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.roles import require
from niangjia.core.schema import Schema
from niangjia.org import queries as org_queries
from niangjia.people.models import Post

from . import queries, rules, services
from .models import Method
from .models import Status as SelStatus

router = Router(tags=["公开选配"])


# ---------------------------------------------------------------- schemas


class SelectionPostIn(Schema):
    body: choice(Post.Body) = Field(description="机构：leadership 领导班子、standing 常委会……")
    title: str = Field(description="职务，如 兼职副主席")
    seats: int = Field(ge=1, le=50, description="名额")


class SelectionPostOut(Schema):
    id: int
    body: str
    title: str
    seats: int


class Weights(Schema):
    project: Decimal = Field(description="项目评审权重（%）")
    expert: Decimal = Field(description="专家评议权重（%）")
    jury: Decimal = Field(description="群众评审团权重（%）")


class Methods(Schema):
    project: choice(Method) = "mean"
    expert: choice(Method) = "trimmed"
    jury: choice(Method) = "trimmed"


class SelectionIn(Schema):
    unit: int = Field(description="组织选配的妇联 id")
    title: str
    call_opens: date
    call_closes: date
    eligibility: str = Field("", description="报名条件；不填为“不限年龄、学历、职级……”")
    conditions: str = Field("", description="其他条件（文字记录）")
    posts: list[SelectionPostIn]
    weights: Weights | None = Field(None, description="不填按制度预设：40/30/30，三者之和须为 100")
    methods: Methods | None = None
    tie_break: list[str] | None = Field(None, description="同分规则顺序，jury/expert/project/applied；默认预设")
    trim_min: int | None = Field(None, ge=3, le=50, description="去掉最高最低分所需最少评分数（预设 3）")


class SelectionPatch(VersionIn):
    title: str | None = None
    eligibility: str | None = None
    conditions: str | None = None
    call_opens: date | None = None
    call_closes: date | None = None


class ConfigIn(VersionIn):
    weights: Weights
    methods: Methods
    tie_break: list[str]
    trim_min: int = Field(3, ge=3, le=50)


class PartOut(Schema):
    id: int
    kind: str
    kind_name: str
    weight: str = Field(description="权重（%）")
    method: str
    closed_at: datetime | None
    scorer_count: int = 0
    submitted_count: int = 0
    version: int

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_weight(obj) -> str:
        return f"{obj.weight:f}"


class SelectionOut(Schema):
    id: int
    title: str
    unit: UnitRef
    call_opens: date
    call_closes: date
    eligibility: str
    conditions: str
    status: str
    status_name: str
    tie_break: list[str]
    trim_min: int
    finished_on: date | None
    version: int

    @staticmethod
    def resolve_status_name(obj) -> str:
        return obj.get_status_display()


class SelectionDetailOut(SelectionOut):
    posts: list[SelectionPostOut]
    parts: list[PartOut]

    @staticmethod
    def resolve_posts(obj) -> list:
        return list(obj.posts.all())

    @staticmethod
    def resolve_parts(obj) -> list:
        return queries.parts_of(obj)


class CandidateIn(Schema):
    name: str
    phone: str = Field(description="手机号（加密保存，用于去重）")
    id_number: str = Field("", description="身份证号（可选，加密保存）")
    gender: str = "F"
    workplace: str = ""
    wish: int | None = Field(None, description="意向职务 id（可选）")
    project_title: str
    project_need: str = Field(description="项目回应的妇女需求")
    project_plan: str = Field(description="实施计划")


class CandidateOut(Schema):
    id: int
    selection_id: int
    name: str
    gender: str
    workplace: str
    phone_mask: str
    tracking_code: str
    project_title: str
    project_need: str
    project_plan: str
    channel: str
    applied_at: datetime
    wish_id: int | None
    person_id: int | None = Field(description="人员库中的同一人（按手机号/身份证号盲索引匹配）")
    vetting: str
    vetting_note: str
    election: str
    elected_to_id: int | None
    post_id: int | None = Field(description="当选后在人员库中生成的职务 id")
    version: int


class ScorerIn(Schema):
    name: str
    note: str = Field("", description="身份说明，如 村民代表、高校教师")
    phone: str = Field("", description="手机号（可选，用于短信发送链接）")
    send_sms: bool = False


class ScorerOut(Schema):
    id: int
    part_id: int
    name: str
    note: str
    phone_mask: str
    link_issued_at: datetime | None
    submitted_at: datetime | None


class ScorerLinkOut(ScorerOut):
    link: str = Field(description="一次性评分链接：只在此时显示一次，请转交评分人")


class CandidateCard(Schema):
    id: int
    name: str
    project_title: str
    project_need: str
    project_plan: str


class ScoringOut(Schema):
    scorer: str
    part: str
    selection: str
    score_max: int
    candidates: list[CandidateCard]


class ScoreValueIn(Schema):
    candidate: int
    value: Decimal = Field(description="0 到 100 分，最多两位小数")


class ScoresIn(Schema):
    scores: list[ScoreValueIn]
    key: str = Field("", description="提交标识：网络中断后用同一标识重试，返回已保存的评分而不是“链接已使用”"
                                     "（也可放在 Idempotency-Key 请求头）")


class ScoreOut(Schema):
    id: int
    scorer: str
    candidate_id: int
    value: str
    supersedes_id: int | None
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_scorer(obj) -> str:
        return obj.scorer.name

    @staticmethod
    def resolve_value(obj) -> str:
        return f"{obj.value:f}"


class SubmittedOut(Schema):
    scorer: str
    submitted_at: datetime
    scores: list[ScoreOut]


class ScoreCorrectIn(Schema):
    value: Decimal
    reason: str


class RankPartOut(Schema):
    kind: str
    weight: str
    method: str
    scores: list[str] = Field(description="现行分数（不含已被更正的）")
    dropped: list[str] = Field(description="去掉的最高分、最低分")
    mean: str | None = Field(description="平均分（两位小数，四舍五入）")
    mean_exact: str = Field(description="平均分的精确分数（如 256/3），有限小数时为空")
    contribution: str = Field(description="加权得分 = 平均分 × 权重")
    note: str


class RankOut(Schema):
    rank: int
    candidate_id: int
    name: str
    total: str = Field(description="总分（两位小数）；排名按精确值")
    total_exact: str
    parts: list[RankPartOut]
    ties: list[str] = Field(description="适用的同分规则")
    vetting: str
    election: str


class VetIn(VersionIn):
    result: str = Field(description="passed 合格 / failed 不合格")
    note: str
    day: date | None = Field(None, description="考察日期，默认今天")


class ElectIn(VersionIn):
    result: str = Field(description="elected 当选 / not_elected 未当选")
    post: int | None = Field(None, description="当选的选配职务 id")
    day: date | None = None


class PublicCallOut(Schema):
    """What anyone may read of a call: no candidates, no scores."""

    id: int
    title: str
    unit_name: str
    call_opens: date
    call_closes: date
    eligibility: str
    conditions: str
    is_open: bool = Field(description="今天是否可以报名")
    posts: list[SelectionPostOut]
    url: str = Field(description="报名页面")

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_is_open(obj) -> bool:

        return rules.call_open(obj.status, obj.call_opens, obj.call_closes, periods.today())

    @staticmethod
    def resolve_posts(obj) -> list:
        return list(obj.posts.all())

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/p/selection/{obj.pk}/"


class ApplicationIn(CandidateIn):
    key: str = Field("", description="提交标识：同一标识重试返回首次报名（也可放在 Idempotency-Key 请求头）")


class ApplicationOut(Schema):
    id: int
    tracking_code: str = Field(description="报名编号")
    name: str
    project_title: str
    created: bool = Field(description="false：重试，返回的是首次报名")


# ---------------------------------------------------------------- helpers


def _limit(request, scope: str, rate: str) -> None:
    """Public endpoints: `rate` hits per client address (as the public pages)."""
    ratelimit.check_request(request, f"api.{scope}", rate)


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

        raise ValidationFailed(_("缺少提交标识 key（或 Idempotency-Key 请求头）"), fields={"key": _("必填")})
    cand, created = services.candidate_apply_public(selection=sel, key=key, **payload.model_dump(exclude={"key"}))
    return Status(201 if created else 200, {"id": cand.pk, "tracking_code": cand.tracking_code, "name": cand.name,
                                            "project_title": cand.project_title, "created": created})


@router.get("/selection/policy", response=responses(dict), summary="评分规则预设（或本级覆盖）")
def policy(request, unit: int | None = None):
    require(request.user, "selection.manage")
    fed = org_queries.subtree_of(request.user, unit)
    return queries.scoring_policy(fed)

