"""JSON endpoints of award rounds (thin: parse, fetch through scoped queries, call a service, render).

Staff endpoints need a login and awards.manage; the /awards/public/... endpoints are the no-login
doors of the public pages (rate-limited per client address, retry-safe by `form_key`).
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Query, Router, Schema, Status

from niangjia.core import ratelimit
from niangjia.core.api_schemas import (
    OkOut,
    PageParams,
    UnitRef,
    VersionIn,
    changes_of,
    choice,
    page_of,
    page_out,
    responses,
    whole_list,
)
from niangjia.core.context import client_ip
from niangjia.core.roles import require
from niangjia.org import queries as org_queries

from .. import evaluation, queries, rules, services
from ..models import AwardRound, Nomination, Objection

router = Router(tags=["评选表彰"])


# ---------------------------------------------------------------- schemas


class RoundOut(Schema):
    id: int
    code: str = Field(description="公开编号：公开页面 /p/awards/<code>/")
    name: str
    award: str
    kind: str
    description: str
    unit: UnitRef
    phase: str
    phase_name: str
    places: int
    default_org_quota: int
    public_quota: int
    mode: str
    max_choices: int
    nomination_ends: date
    evaluation_ends: date
    evaluation_started_on: date | None
    notice_starts: date | None
    notice_ends: date | None
    finalized_on: date | None
    version: int


class RoundIn(Schema):
    unit: int = Field(description="组织评选的妇联 id")
    name: str
    award: str = Field(description="荣誉称号，如 三八红旗手")
    kind: choice(AwardRound.Kind) = "individual"
    description: str = ""
    places: int = Field(10, ge=1, le=999, description="表彰名额")
    default_org_quota: int | None = Field(None, ge=0, le=999, description="每个直属下级妇联的组织推荐名额；默认按制度")
    public_quota: int | None = Field(None, ge=0, le=999, description="全轮社会推荐名额；默认按制度")
    mode: choice(AwardRound.Mode) | None = None
    max_choices: int | None = Field(None, ge=0, le=99, description="投票时每人最多可选人数（0 不限）")
    nomination_ends: date
    evaluation_ends: date


class RoundPatch(VersionIn):
    name: str | None = None
    award: str | None = None
    description: str | None = None
    places: int | None = Field(None, ge=1, le=999)
    default_org_quota: int | None = Field(None, ge=0, le=999)
    public_quota: int | None = Field(None, ge=0, le=999)
    mode: choice(AwardRound.Mode) | None = None
    max_choices: int | None = Field(None, ge=0, le=99)
    nomination_ends: date | None = None
    evaluation_ends: date | None = None


class QuotaOut(Schema):
    unit: UnitRef
    quota: int
    custom: bool = Field(description="是否单独设定（否则为默认名额）")
    used: int = Field(description="已用组织推荐名额")
    public: int = Field(description="来自该地区的社会推荐数")


class QuotasOut(Schema):
    default_org_quota: int
    public_quota: int
    public_used: int
    units: list[QuotaOut]


class QuotaIn(Schema):
    unit: int
    org_quota: int | None = Field(None, ge=0, le=999, description="为空则恢复默认名额")


class NominationOut(Schema):
    id: int
    round_id: int
    kind: str
    status: str
    status_name: str
    unit: UnitRef
    nominee_name: str
    nominee_place: str
    deeds: str
    nominee_phone_mask: str
    nominator_name: str
    nominator_phone_mask: str
    consent: str
    consent_via: str
    consent_at: datetime | None
    consent_by: str | None
    consent_note: str
    day: date
    version: int

    @staticmethod
    def resolve_status_name(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_consent_by(obj) -> str | None:
        return obj.consent_by.username if obj.consent_by_id else None


class NominationIn(Schema):
    unit: int = Field(description="推荐单位（评选组织妇联的直属下级）id")
    nominee_name: str
    nominee_place: str
    deeds: str
    nominee_phone: str = Field("", description="被推荐人手机号：填写则短信发送确认链接")
    consent_in_person: bool = Field(False, description="已当面征得本人同意（记录录入人和时间）")
    consent_note: str = ""


class NominationConsentIn(Schema):
    given: bool = True
    note: str = ""


class ConsentLinkIn(Schema):
    phone: str = Field("", description="不填则发到推荐时登记的手机号")


class ShortlistIn(Schema):
    on: bool = True


class ReasonIn(Schema):
    reason: str


class PhaseIn(Schema):
    to: choice(AwardRound.Phase)
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")
    proposed: list[int] | None = Field(None, description="进入公示时的拟表彰对象；不传则取评议排名前“表彰名额”位")


class ResultOut(Schema):
    rank: int
    nomination: NominationOut
    ballots: int
    points: int
    score: float = Field(description="票数，或平均分（保留两位）")
    tie: str = Field(description="与相邻名次同分时，由排名规则的哪一步决定先后；不同分为空")


class BallotResultsOut(Schema):
    mode: str
    ballots: int
    rule: str = Field(description="排名规则（含同分规则）")
    results: list[ResultOut]


class BallotLinksIn(Schema):
    phones: list[str] = Field(default_factory=list, description="逐个短信发送评议链接")
    count: int = Field(0, ge=0, le=500, description="另外生成若干链接返回（打印或转交）")


class BallotLinksOut(Schema):
    links: list[str]


class ObjectionOut(Schema):
    id: int
    round_id: int
    nomination_id: int
    nominee_name: str
    text: str
    contact_name: str
    contact_phone_mask: str
    tracking_code: str
    day: date
    outcome: str
    answer: str
    answered_by: str | None
    answered_at: datetime | None
    version: int

    @staticmethod
    def resolve_nominee_name(obj) -> str:
        return obj.nomination.nominee_name

    @staticmethod
    def resolve_answered_by(obj) -> str | None:
        return obj.answered_by.username if obj.answered_by_id else None


class BallotMarkOut(Schema):
    nomination_id: int
    score: int


class BallotOut(Schema):
    id: int
    round_id: int
    voter_mask: str = Field(description="评议人（掩码）")
    channel: str
    day: date
    marks: list[BallotMarkOut]
    voided: bool
    void_reason: str | None
    voided_at: datetime | None

    @staticmethod
    def resolve_marks(obj) -> list:
        return list(obj.marks.all())

    @staticmethod
    def _void(obj):
        try:
            return obj.void
        except ObjectDoesNotExist:  # not voided
            return None

    @staticmethod
    def resolve_voided(obj) -> bool:
        return BallotOut._void(obj) is not None

    @staticmethod
    def resolve_void_reason(obj) -> str | None:
        v = BallotOut._void(obj)
        return v.reason if v else None

    @staticmethod
    def resolve_voided_at(obj) -> datetime | None:
        v = BallotOut._void(obj)
        return v.created_at if v else None


class BallotVoidIn(Schema):
    reason: str = Field(description="作废原因（必填，留痕）")


class AnswerIn(Schema):
    outcome: choice(Objection.Outcome)
    answer: str
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class FinalizeIn(Schema):
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")


class PublicNominationIn(Schema):
    place_unit: int = Field(description="被推荐人所在地区（评选组织妇联的直属下级）id")
    nominator_name: str
    nominator_phone: str
    nominee_name: str
    nominee_place: str
    deeds: str
    nominee_phone: str = ""
    form_key: str = Field("", description="幂等键：重试时带同一个值，不会重复提交")


class ReceiptOut(Schema):
    id: int
    tracking_code: str
    created: bool


class PublicObjectionIn(Schema):
    nomination: int
    text: str
    contact_name: str = ""
    contact_phone: str = ""
    form_key: str = ""


class CodeIn(Schema):
    phone: str


class BallotIn(Schema):
    marks: dict[int, int] = Field(description="推荐 id → 1（投票）或 1–5（评分）")
    phone: str = ""
    code: str = Field("", description="短信验证码（用手机号评议时）")
    token: str = Field("", description="一次性评议链接中的令牌（用链接评议时）")
    form_key: str = ""


class BallotReceiptOut(Schema):
    id: int
    created: bool


class ConsentPublicIn(Schema):
    token: str
    given: bool
    form_key: str = Field("", description="提交标识：同一标识重试返回已保存的意见（也可放在 Idempotency-Key 请求头）")


class NominationConsentOut(Schema):
    ok: bool = True
    consent: str = Field(description="given 同意 / declined 不同意")
    created: bool = Field(description="false：重试，返回的是首次提交已保存的意见")


class TrackOut(Schema):
    """What a tracking code shows its holder: never contact details."""

    kind: str = Field(description="objection 公示异议 / nomination 社会推荐")
    round_name: str
    round_code: str
    phase: str
    phase_name: str
    nominee_name: str
    day: date
    status: str = Field(description="推荐：推荐状态；异议：pending 待答复 / answered 已答复")
    status_name: str
    consent: str | None = Field(None, description="社会推荐：被推荐人本人意见")
    consent_name: str | None = None
    outcome: str | None = Field(None, description="异议：upheld 成立 / dismissed 不成立；未答复为空")
    outcome_name: str | None = None
    answer: str | None = Field(None, description="异议：妇联的答复")
    answered_at: datetime | None = None


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

PUBLIC_RATE = "20/h"


def _limit(request, scope: str) -> None:
    ratelimit.check_request(request, scope, PUBLIC_RATE)


@router.get("/awards/public/{code}", auth=None, response=responses(RoundOut), summary="公开：评选信息")
def public_round(request, code: str):
    return queries.get_public_round(code)


@router.get("/awards/public/{code}/notice", auth=None, response=responses(page_of(NominationOut)),
            summary="公开：公示名单（只含姓名、单位、事迹）")
def public_notice(request, code: str):
    rnd = queries.get_public_round(code)
    if rnd.phase not in (rules.NOTICE, rules.FINAL):
        return whole_list([])
    return whole_list([_public_view(n) for n in queries.proposed(rnd)])


def _public_view(nom: Nomination) -> Nomination:
    """What the public may see of a nominee: no phones, no nominator."""
    nom.nominee_phone_mask = nom.nominator_phone_mask = nom.nominator_name = nom.consent_note = ""
    nom.consent_by_id = None
    return nom


@router.post("/awards/public/{code}/nominations", auth=None, response=responses(ReceiptOut, status=201, write=True),
             summary="公开：社会推荐（需推荐人姓名和手机号）")
def public_nominate(request, code: str, payload: PublicNominationIn):
    _limit(request, "awards.nominate")
    rnd = queries.get_public_round(code)
    nom, created = services.nomination_create_public(rnd=rnd, **payload.model_dump(exclude={"place_unit"}),
                                                     place_unit_id=payload.place_unit)
    return Status(201, {"id": nom.pk, "tracking_code": nom.tracking_code, "created": created})


@router.post("/awards/consent", auth=None, response=responses(NominationConsentOut, write=True),
             summary="公开：被推荐人通过一次性链接表示同意或不同意（带同一提交标识重试返回已保存的意见）")
def public_consent(request, payload: ConsentPublicIn):
    _limit(request, "awards.consent")
    nom, created = services.consent_by_link(token=payload.token, given=payload.given,
                                            key=payload.form_key or request.headers.get("Idempotency-Key", ""))
    return {"ok": True, "consent": nom.consent, "created": created}


@router.post("/awards/public/{code}/check-code", auth=None, response=responses(OkOut, write=True),
             summary="公开：发送评议短信验证码")
def public_code(request, code: str, payload: CodeIn):
    _limit(request, "awards.code_ip")
    evaluation.code_send(rnd=queries.get_public_round(code), phone=payload.phone)
    return {"ok": True}


@router.post("/awards/public/{code}/ballots", auth=None,
             response={**responses(BallotReceiptOut, status=201, write=True), 200: BallotReceiptOut},
             summary="公开：提交评议（手机号+验证码，或一次性链接令牌）；提交后不能修改")
def public_ballot(request, code: str, payload: BallotIn):
    _limit(request, "awards.ballot")
    rnd = queries.get_public_round(code)
    key = payload.form_key or request.headers.get("Idempotency-Key", "")
    if payload.token:
        ballot, created = evaluation.ballot_by_link(token=payload.token, marks=payload.marks, form_key=key, rnd=rnd)
    else:
        ballot, created = evaluation.ballot_by_code(rnd=rnd, phone=payload.phone, code=payload.code,
                                                    marks=payload.marks, form_key=key)
    return Status(201 if created else 200, {"id": ballot.pk, "created": created})


@router.post("/awards/public/{code}/objections", auth=None, response=responses(ReceiptOut, status=201, write=True),
             summary="公开：对拟表彰对象提出异议（公示期内，联系方式可不填）")
def public_objection(request, code: str, payload: PublicObjectionIn):
    _limit(request, "awards.objection")
    rnd = queries.get_public_round(code)
    obj, created = services.objection_file(rnd=rnd, nomination_id=payload.nomination, text=payload.text,
                                           contact_name=payload.contact_name, contact_phone=payload.contact_phone,
                                           form_key=payload.form_key)
    return Status(201, {"id": obj.pk, "tracking_code": obj.tracking_code, "created": created})


@router.get("/awards/public/track/{code}", auth=None, response=responses(TrackOut),
            summary="公开：用查询码查看异议的答复或社会推荐的进展")
def public_track(request, code: str):
    from niangjia.core.errors import NotFound

    from ..models import Objection

    ratelimit.check("awards.track", client_ip(request.META) or "unknown", limit=30, per_seconds=3600)
    item = queries.tracked(code)
    if item is None:
        raise NotFound("没有找到这个查询码")
    rnd = item.round
    base = {"round_name": rnd.name, "round_code": rnd.code, "phase": rnd.phase, "phase_name": rnd.phase_name,
            "day": item.day}
    if isinstance(item, Objection):
        return {**base, "kind": "objection", "nominee_name": item.nomination.nominee_name,
                "status": "answered" if item.outcome else "pending", "status_name": "已答复" if item.outcome else "待答复",
                "outcome": item.outcome or None, "outcome_name": item.get_outcome_display() if item.outcome else None,
                "answer": item.answer or None, "answered_at": item.answered_at}
    return {**base, "kind": "nomination", "nominee_name": item.nominee_name, "status": item.status,
            "status_name": item.get_status_display(), "consent": item.consent,
            "consent_name": item.get_consent_display()}
