"""JSON endpoints of consultations, the suggestion box and activities (thin: scoped query,
service, render). Endpoints under /participation/public/ need no account (the public pages'
twins, e.g. for a website or the WeChat helper) and are rate-limited per client IP."""

from datetime import date, datetime, time
from typing import Literal

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
from niangjia.core.errors import ValidationFailed
from niangjia.needs.models import Need
from niangjia.org import queries as org_queries

from .. import queries, services
from ..models import Activity, Channel, Identity, Question, Registration, Suggestion

router = Router(tags=["意见征集、意见箱与活动"])
P = "/participation"


def _retry_safe(schema) -> dict:
    """201 for a new record, 200 when a retry with the same key returns the first one."""
    return {**responses(schema, status=201, write=True), 200: schema}


def _limit(request, scope: str, rate: str = "30/h") -> None:
    ratelimit.check_request(request, f"api.{scope}", rate)


# ---------------------------------------------------------------- schemas: consultations


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    required: bool
    options: list[str]
    max_choices: int | None
    scale: int
    version: int


class ConsultationOut(Schema):
    id: int
    unit: UnitRef
    audience: UnitRef
    title: str
    intro: str
    opens_on: date
    closes_on: date
    identity: str
    via_link: bool
    via_wechat: bool
    via_website: bool
    via_paper: bool
    published: bool
    state: str = Field(description="draft 未发布 / not_yet 尚未开始 / open 进行中 / closed 已结束")
    response_count: int
    version: int

    @staticmethod
    def resolve_state(obj) -> str:
        return services.state_of(obj)


class ConsultationDetailOut(ConsultationOut):
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())


class ConsultationIn(Schema):
    unit: int = Field(description="发起的妇联 id")
    audience: int | None = Field(None, description="面向范围：本组织或下级组织 id（默认与发起组织相同）")
    title: str
    intro: str = ""
    opens_on: date
    closes_on: date
    identity: choice(Identity) = "anonymous"
    via_link: bool = True
    via_wechat: bool = True
    via_website: bool = False
    via_paper: bool = False


class ConsultationPatch(VersionIn):
    title: str | None = None
    intro: str | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    identity: choice(Identity) | None = None
    via_link: bool | None = None
    via_wechat: bool | None = None
    via_website: bool | None = None
    via_paper: bool | None = None


class PublishIn(VersionIn):
    published: bool = True


class QuestionIn(Schema):
    kind: choice(Question.Kind)
    text: str
    options: list[str] = Field(default_factory=list, description="选择题的选项（至少两个）")
    required: bool = True
    max_choices: int | None = Field(None, description="多选题最多选几项")
    scale: int = Field(5, description="评分题满分（2–10）")


class QuestionPut(QuestionIn, VersionIn):
    """A question rewritten: the whole question and the version it was read at."""


class MoveIn(VersionIn):
    direction: Literal["up", "down"]


AnswerValue = int | list[int] | str | None


class SheetIn(Schema):
    key: str = Field(description="提交标识（同一标识重试只会产生一份答卷）")
    answers: dict[str, AnswerValue] = Field(description="{题目 id: 选项下标列表 | 评分 | 文字}")
    phone: str = Field("", description="手机验证方式时的手机号（纸质录入时选填）")
    code: str = Field("", description="手机验证码")
    token: str = Field("", description="一次性链接中的 t 参数")
    channel: Literal["website", "wechat"] = "website"


class PaperSheetIn(Schema):
    key: str
    answers: dict[str, AnswerValue]
    phone: str = ""


class ResponseOut(Schema):
    id: int
    consultation_id: int
    day: date
    channel: str
    created: bool = True


class SheetOut(Schema):
    """One answer sheet as stored (a voided sheet is kept, marked, and left out of the results)."""

    id: int
    consultation_id: int
    day: date
    channel: str
    entered_by: str | None
    answers: dict[str, AnswerValue] = Field(description="{题目 id: 选项下标列表 | 评分 | 文字}")
    voided_at: datetime | None
    void_reason: str
    corrects_id: int | None = Field(description="这份答卷更正的原答卷")

    @staticmethod
    def resolve_entered_by(obj) -> str | None:
        return obj.entered_by.username if obj.entered_by_id else None

    @staticmethod
    def resolve_answers(obj) -> dict:
        return {str(k): v for k, v in queries.sheet_values(obj).items()}


class ResponseVoidIn(Schema):
    reason: str = Field(description="作废原因（必填，留痕）")


class ResponseCorrectIn(PaperSheetIn):
    reason: str = Field(description="更正原因（必填，留痕）")


class OptionCount(Schema):
    label: str
    count: int


class TextAnswerOut(Schema):
    id: int
    text: str
    need_id: int | None
    idea_id: int | None


class QuestionResultOut(Schema):
    question: QuestionOut
    answered: int
    options: list[OptionCount]
    distribution: list[OptionCount] = Field(description="评分题各分值的人数")
    rating_sum: int
    rating_count: int
    rating_mean: float | None = Field(description="平均分 = 总分 ÷ 人数")
    texts: list[TextAnswerOut]


class ConsultationResultsOut(Schema):
    consultation: ConsultationOut
    questions: list[QuestionResultOut]


class ConsultationLinksIn(Schema):
    count: int = Field(ge=1, le=500)
    ttl_days: int = Field(30, ge=1, le=365)


class ConsultationLinksOut(Schema):
    tokens: list[str] = Field(description="只显示这一次；链接为 /p/participation/c/{id}/?t={token}")


class CheckCodeIn(Schema):
    phone: str


class SuggestionNeedIn(Schema):
    category: choice(Need.Category)
    urgency: choice(Need.Urgency) = "normal"


class NeedRefOut(Schema):
    need_id: int
    tracking_code: str | None


class IdeaIn(Schema):
    activity: int | None = None


class IdeaOut(Schema):
    id: int
    text: str
    activity_id: int | None
    consultation_id: int | None


class IdeaDetailOut(IdeaOut):
    unit: UnitRef
    created_at: datetime


class IdeaNewIn(Schema):
    unit: int = Field(description="记录点子的妇联 id（指定活动时以活动的组织为准）")
    text: str
    activity: int | None = Field(None, description="用于哪个活动（选填）")


class IdeaFilters(Schema):
    unit: int | None = None
    q: str = ""
    source: Literal["", "answer", "typed", "unplaced", "placed"] = Field(
        "", description="answer 来自意见征集 / typed 直接录入 / unplaced 尚未用于活动 / placed 已用于活动")
    activity: int | None = None


class ConsultationFilters(Schema):
    unit: int | None = None
    q: str = ""
    state: Literal["", "draft", "not_yet", "open", "closed"] = ""


def _consultation(c) -> dict:
    return ConsultationOut.from_orm(c).model_dump()


def _results(c) -> dict:
    items = []
    for r in queries.results(c):
        items.append({
            "question": r.question, "answered": r.answered,
            "options": [{"label": label, "count": n} for label, n in r.options],
            "distribution": [{"label": str(v), "count": n} for v, n in r.distribution],
            "rating_sum": r.rating_sum, "rating_count": r.rating_count, "rating_mean": r.mean,
            "texts": r.texts})
    return {"consultation": c, "questions": items}


def _values(answers: dict) -> dict[int, object]:
    out = {}
    for k, v in answers.items():
        if not str(k).isdigit():
            raise ValidationFailed(f"题目编号无效：{k}", fields={"answers": "题目编号应为数字"})
        out[int(k)] = v
    return out


# ---------------------------------------------------------------- consultations (staff)


@router.get(f"{P}/consultations", response=responses(page_of(ConsultationOut)))
def consultation_list(request, f: Query[ConsultationFilters], page: Query[PageParams]):
    from niangjia.core.roles import require

    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.consultations_for(request.user, unit=unit, q=f.q, state=f.state)
    return page_out(qs, order=("-opens_on", "-id"), params=page)


@router.post(f"{P}/consultations", response=responses(ConsultationDetailOut, status=201, write=True))
def consultation_create(request, payload: ConsultationIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    audience = org_queries.get_federation_for(request.user, payload.audience) if payload.audience else unit
    data = payload.dict(exclude={"unit", "audience"})
    c = services.consultation_create(actor=request.user, unit=unit, audience=audience, **data)
    return Status(201, c)


@router.get(f"{P}/consultations/{{pk}}", response=responses(ConsultationDetailOut))
def consultation_get(request, pk: int):
    return queries.get_consultation_for(request.user, pk)


@router.patch(f"{P}/consultations/{{pk}}", response=responses(ConsultationDetailOut, write=True))
def consultation_patch(request, pk: int, payload: ConsultationPatch):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return services.consultation_update(actor=request.user, consultation=c, version=payload.version,
                                        changes=changes_of(payload))


@router.post(f"{P}/consultations/{{pk}}/publish", response=responses(ConsultationDetailOut, write=True))
def consultation_publish(request, pk: int, payload: PublishIn):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return services.consultation_publish(actor=request.user, consultation=c, version=payload.version,
                                         published=payload.published)


@router.post(f"{P}/consultations/{{pk}}/questions", response=responses(QuestionOut, status=201, write=True))
def question_add(request, pk: int, payload: QuestionIn):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return Status(201, services.question_add(actor=request.user, consultation=c, **payload.dict()))


@router.put(f"{P}/questions/{{pk}}", response=responses(QuestionOut, write=True))
def question_update(request, pk: int, payload: QuestionPut):
    q = queries.get_question_for(request.user, pk, write=True)
    return services.question_update(actor=request.user, question=q, **payload.dict())


@router.post(f"{P}/questions/{{pk}}/move", response=responses(list[QuestionOut], write=True))
def question_move(request, pk: int, payload: MoveIn):
    q = queries.get_question_for(request.user, pk, write=True)
    services.question_move(actor=request.user, question=q, version=payload.version, direction=payload.direction)
    return list(q.consultation.questions.all())


@router.delete(f"{P}/questions/{{pk}}", response=responses(OkOut, write=True))
def question_remove(request, pk: int, version: int = Query(..., description="读取时的版本号；他人已修改则返回 409")):
    q = queries.get_question_for(request.user, pk, write=True)
    services.question_remove(actor=request.user, question=q, version=version)
    return {"ok": True}


@router.get(f"{P}/consultations/{{pk}}/results", response=responses(ConsultationResultsOut))
def consultation_results(request, pk: int):
    return _results(queries.get_consultation_for(request.user, pk))


@router.post(f"{P}/consultations/{{pk}}/responses", response=_retry_safe(ResponseOut))
def paper_response(request, pk: int, payload: PaperSheetIn):
    """A cadre enters a paper questionnaire."""
    c = queries.get_consultation_for(request.user, pk, write=True)
    r, created = services.submit_response(consultation=c, values=_values(payload.answers), channel=Channel.PAPER,
                                          key=payload.key, phone=payload.phone, actor=request.user)
    return Status(201 if created else 200, {**ResponseOut.from_orm(r).model_dump(), "created": created})


@router.get(f"{P}/consultations/{{pk}}/responses", response=responses(page_of(SheetOut)),
            summary="答卷（可按渠道、是否作废筛选）")
def response_list(request, pk: int, page: Query[PageParams], channel: choice(Channel) | None = None,
                  voided: bool | None = None):
    c = queries.get_consultation_for(request.user, pk)
    return page_out(queries.sheets_of(c, channel=channel or "", voided=voided), order=("-id",), params=page)


@router.post(f"{P}/responses/{{pk}}/void", response=responses(SheetOut, write=True),
             summary="作废录错的纸质问卷（原卷保留并标注，不计入结果）")
def response_void(request, pk: int, payload: ResponseVoidIn):
    r = queries.get_response_for(request.user, pk, write=True)
    return services.response_void(actor=request.user, response=r, reason=payload.reason)


@router.post(f"{P}/responses/{{pk}}/correct", response=_retry_safe(SheetOut),
             summary="更正录错的纸质问卷：原卷作废，新录一份并指向原卷（同一提交标识重试返回首次更正）")
def response_correct(request, pk: int, payload: ResponseCorrectIn):
    r = queries.get_response_for(request.user, pk, write=True)
    new, created = services.response_correct(actor=request.user, response=r, values=_values(payload.answers),
                                             reason=payload.reason, key=payload.key, phone=payload.phone)
    return Status(201 if created else 200, new)


@router.post(f"{P}/consultations/{{pk}}/links", response=responses(ConsultationLinksOut, status=201, write=True))
def links_issue(request, pk: int, payload: ConsultationLinksIn):
    c = queries.get_consultation_for(request.user, pk, write=True)
    return Status(201, {"tokens": services.issue_links(actor=request.user, consultation=c, count=payload.count,
                                                       ttl_days=payload.ttl_days)})


@router.post(f"{P}/answers/{{pk}}/need", response=responses(NeedRefOut, status=201, write=True))
def answer_to_need(request, pk: int, payload: SuggestionNeedIn):
    a = queries.get_answer_for(request.user, pk, write=True)
    need = services.answer_to_need(actor=request.user, answer=a, category=payload.category, urgency=payload.urgency)
    return Status(201, {"need_id": need.pk, "tracking_code": need.tracking_code})


@router.post(f"{P}/answers/{{pk}}/idea", response=responses(IdeaOut, status=201, write=True))
def answer_to_idea(request, pk: int, payload: IdeaIn):
    a = queries.get_answer_for(request.user, pk, write=True)
    activity = queries.get_activity_for(request.user, payload.activity, write=True) if payload.activity else None
    return Status(201, services.answer_to_idea(actor=request.user, answer=a, activity=activity))


@router.get(f"{P}/consultations/{{pk}}/results.xlsx", response={200: None, **responses(OkOut)},
            summary="意见征集结果导出为 Excel（每份答卷一行，每题一列；需 export 权限）")
def consultation_results_xlsx(request, pk: int):
    from niangjia.core.excel import xlsx_response
    from niangjia.core.roles import require

    c = queries.get_consultation_for(request.user, pk)
    require(request.user, "export")
    headers, rows = queries.results_export(c)
    return xlsx_response(request, f"意见征集结果-{c.title}"[:60], "答卷", headers, rows)


@router.get(f"{P}/ideas", response=responses(page_of(IdeaDetailOut)), summary="活动点子（直接录入的和来自意见征集回答的）")
def idea_list(request, f: Query[IdeaFilters], page: Query[PageParams]):
    from niangjia.core.roles import require

    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.ideas_for(request.user, unit=unit, q=f.q.strip()[:50], source=f.source, activity_id=f.activity)
    return page_out(qs, order=("-created_at", "-id"), params=page)


@router.post(f"{P}/ideas", response=responses(IdeaDetailOut, status=201, write=True), summary="直接记录一个活动点子")
def idea_add(request, payload: IdeaNewIn):
    activity = queries.get_activity_for(request.user, payload.activity, write=True) if payload.activity else None
    unit = activity.unit if activity else org_queries.get_federation_for(request.user, payload.unit)
    return Status(201, services.idea_add(actor=request.user, unit=unit, text=payload.text, activity=activity,
                                         consultation=activity.consultation if activity else None))


# ---------------------------------------------------------------- consultations (public)


class PublicConsultationOut(Schema):
    id: int
    title: str
    intro: str
    unit_name: str
    opens_on: date
    closes_on: date
    identity: str
    state: str
    questions: list[QuestionOut]

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_state(obj) -> str:
        return services.state_of(obj)

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())


class PublicConsultationItem(Schema):
    id: int
    title: str
    unit_name: str
    audience_name: str
    opens_on: date
    closes_on: date
    url: str = Field(description="答卷页面 /p/participation/c/{id}/")

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_audience_name(obj) -> str:
        return obj.audience.name

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/p/participation/c/{obj.pk}/"


@router.get(f"{P}/public/consultations", auth=None, response=responses(page_of(PublicConsultationItem)),
            summary="公开：正在征集的意见（网站公告）；给出 unit 则只列面向该地的（含上级妇联面向本地的）")
def public_consultation_list(request, unit: int | None = None):
    _limit(request, "participation.index", "120/h")
    if unit is None:
        return whole_list(list(queries.open_consultations_public()))
    return whole_list(list(queries.open_consultations_for_unit(queries.public_place(unit))))


@router.get(f"{P}/public/consultations/{{pk}}", auth=None, response=responses(PublicConsultationOut))
def public_consultation(request, pk: int):
    return queries.public_consultation(pk)


@router.post(f"{P}/public/consultations/{{pk}}/check-code", auth=None, response=responses(OkOut, write=True))
def public_check_code(request, pk: int, payload: CheckCodeIn):
    _limit(request, "participation.check_code", "10/h")
    services.send_check_code(consultation=queries.public_consultation(pk), phone=payload.phone)
    return {"ok": True}


@router.post(f"{P}/public/consultations/{{pk}}/responses", auth=None,
             response=_retry_safe(ResponseOut))
def public_response(request, pk: int, payload: SheetIn):
    _limit(request, "participation.answer")
    c = queries.public_consultation(pk)
    r, created = services.submit_response(consultation=c, values=_values(payload.answers), channel=payload.channel,
                                          key=payload.key, phone=payload.phone, code=payload.code,
                                          token=payload.token)
    return Status(201 if created else 200, {**ResponseOut.from_orm(r).model_dump(), "created": created})


# ---------------------------------------------------------------- suggestions


class SuggestionOut(Schema):
    id: int
    unit: UnitRef
    day: date
    text: str
    channel: str
    anonymous: bool
    contact_name: str
    contact_phone: str = Field(description="掩码后的电话")
    tracking_code: str
    status: str
    reply: str
    replied_at: datetime | None
    is_public: bool
    need_id: int | None
    version: int

    @staticmethod
    def resolve_contact_phone(obj) -> str:
        return obj.contact_phone_mask


class SuggestionIn(Schema):
    federation: int = Field(description="接收意见的妇联 id")
    text: str
    key: str = Field(description="提交标识（重试不会产生第二条）")
    channel: Literal["website", "wechat"] = "website"
    anonymous: bool = True
    contact_name: str = ""
    contact_phone: str = ""


class SuggestionCreatedOut(Schema):
    id: int
    tracking_code: str
    created: bool


class PublicSuggestionOut(Schema):
    """What the submitter sees with her code: her letter and the reply, never contact details."""

    unit_name: str
    day: date
    text: str
    status: str
    reply: str
    replied_at: datetime | None


class ReplyIn(Schema):
    reply: str
    version: int = Field(description="读取时的版本号；他人已修改则返回 409")
    is_public: bool | None = None


class PublicIn(VersionIn):
    is_public: bool


class SuggestionFilters(Schema):
    unit: int | None = None
    status: choice(Suggestion.Status) | None = None
    channel: choice(Channel) | None = None
    q: str = ""


@router.get(f"{P}/suggestions", response=responses(page_of(SuggestionOut)))
def suggestion_list(request, f: Query[SuggestionFilters], page: Query[PageParams]):
    from niangjia.core.roles import require

    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.suggestions_for(request.user, unit=unit, status=f.status or "", channel=f.channel or "", q=f.q)
    return page_out(qs, order=("-day", "-id"), params=page)


@router.get(f"{P}/suggestions/{{pk}}", response=responses(SuggestionOut))
def suggestion_get(request, pk: int):
    return queries.get_suggestion_for(request.user, pk)


@router.post(f"{P}/suggestions/{{pk}}/reply", response=responses(SuggestionOut, write=True))
def suggestion_reply(request, pk: int, payload: ReplyIn):
    return services.suggestion_reply(actor=request.user, pk=pk, reply=payload.reply, version=payload.version,
                                     is_public=payload.is_public)


@router.post(f"{P}/suggestions/{{pk}}/public", response=responses(SuggestionOut, write=True))
def suggestion_public(request, pk: int, payload: PublicIn):
    return services.suggestion_set_public(actor=request.user, pk=pk, is_public=payload.is_public,
                                          version=payload.version)


@router.post(f"{P}/suggestions/{{pk}}/need", response=responses(NeedRefOut, status=201, write=True))
def suggestion_need(request, pk: int, payload: SuggestionNeedIn):
    need = services.suggestion_to_need(actor=request.user, pk=pk, category=payload.category, urgency=payload.urgency)
    return Status(201, {"need_id": need.pk, "tracking_code": need.tracking_code})


@router.post(f"{P}/public/suggestions", auth=None, response=_retry_safe(SuggestionCreatedOut))
def public_suggestion(request, payload: SuggestionIn):
    from niangjia.org.models import Federation

    _limit(request, "participation.suggestion", "20/h")
    federation = Federation.objects.filter(pk=payload.federation, is_active=True).first()
    s, created = services.submit_suggestion(federation=federation, text=payload.text, channel=payload.channel,
                                            key=payload.key, contact_name=payload.contact_name,
                                            contact_phone=payload.contact_phone, anonymous=payload.anonymous)
    return Status(201 if created else 200, {"id": s.pk, "tracking_code": s.tracking_code, "created": created})


@router.get(f"{P}/public/suggestions/{{code}}", auth=None, response=responses(PublicSuggestionOut))
def public_suggestion_get(request, code: str):
    from niangjia.core.errors import NotFound

    _limit(request, "participation.track")
    s = services.suggestion_by_code(code)
    if s is None:
        raise NotFound("没有找到这个查询码")
    return {"unit_name": s.unit.name, "day": s.day, "text": s.text, "status": s.status, "reply": s.reply,
            "replied_at": s.replied_at}


# ---------------------------------------------------------------- activities


class CoDesignerOut(Schema):
    id: int
    name: str
    person_id: int | None
    contribution: str


class ActivityOut(Schema):
    id: int
    unit: UnitRef
    title: str
    description: str
    place: str
    day: date
    start_time: time | None
    capacity: int
    status: str
    consultation_id: int | None
    design_notes: str
    version: int


class ParticipationFiguresOut(Schema):
    registered: int
    confirmed: int
    waiting: int
    cancelled: int
    attended: int
    absent: int
    rating_sum: int
    rating_count: int
    rating_mean: float | None = Field(description="平均评分 = 总分 ÷ 人数")


class ActivityDetailOut(ActivityOut):
    co_designers: list[CoDesignerOut]
    figures: ParticipationFiguresOut

    @staticmethod
    def resolve_co_designers(obj):
        return list(obj.co_designers.all())

    @staticmethod
    def resolve_figures(obj):
        f = queries.activity_figures(obj)
        return {**f.__dict__, "registered": f.registered, "rating_mean": f.mean}


class ActivityIn(Schema):
    unit: int
    title: str
    day: date
    capacity: int = Field(ge=1)
    description: str = ""
    place: str = ""
    start_time: time | None = None
    consultation: int | None = None
    design_notes: str = ""
    status: choice(Activity.Status) = "planned"


class ActivityPatch(VersionIn):
    title: str | None = None
    description: str | None = None
    place: str | None = None
    day: date | None = None
    start_time: time | None = None
    capacity: int | None = Field(None, ge=1)
    status: choice(Activity.Status) | None = None
    consultation: int | None = None
    design_notes: str | None = None


class CoDesignerIn(Schema):
    person: int | None = None
    name: str = ""
    contribution: str = ""


class RegistrationOut(Schema):
    id: int
    activity_id: int
    name: str
    phone: str = Field(description="掩码后的电话")
    status: str
    channel: str
    day: date
    version: int

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_mask


class RegistrationIn(Schema):
    name: str
    phone: str
    key: str = Field(description="提交标识（重试不会产生第二条）")


class StaffRegistrationIn(RegistrationIn):
    after_the_fact: bool = Field(False, description="活动开始后依签到表补录（只限工作人员，留痕）")


class PublicRegistrationIn(RegistrationIn):
    channel: Literal["website", "wechat"] = "website"


class PublicRegistrationOut(Schema):
    tracking_code: str
    activity_id: int
    activity_title: str
    day: date
    status: str
    rated: bool
    created: bool = True


class AttendanceIn(Schema):
    attended: bool


class RatingIn(Schema):
    score: int = Field(description="1–5")
    comment: str = ""
    key: str = Field("", description="提交标识：同一标识重试返回已保存的评价（也可放在 Idempotency-Key 请求头）")


class RatingOut(Schema):
    id: int
    activity_id: int
    score: int
    comment: str
    day: date


class CancelOut(Schema):
    status: str
    promoted: list[int] = Field(description="因此从候补递补为已报名的报名 id")


class ActivityFilters(Schema):
    unit: int | None = None
    status: choice(Activity.Status) | None = None
    q: str = ""


def _public_reg(reg: Registration, created: bool = True) -> dict:
    return {"tracking_code": reg.tracking_code, "activity_id": reg.activity_id, "activity_title": reg.activity.title,
            "day": reg.activity.day, "status": reg.status, "rated": hasattr(reg, "rating"), "created": created}


@router.get(f"{P}/activities", response=responses(page_of(ActivityOut)))
def activity_list(request, f: Query[ActivityFilters], page: Query[PageParams]):
    from niangjia.core.roles import require

    require(request.user, "participation.view")
    unit = org_queries.get_federation_for(request.user, f.unit) if f.unit else None
    qs = queries.activities_for(request.user, unit=unit, status=f.status or "", q=f.q)
    return page_out(qs, order=("-day", "-id"), params=page)


@router.post(f"{P}/activities", response=responses(ActivityDetailOut, status=201, write=True))
def activity_create(request, payload: ActivityIn):
    unit = org_queries.get_federation_for(request.user, payload.unit)
    consultation = queries.get_consultation_for(request.user, payload.consultation) if payload.consultation else None
    a = services.activity_create(actor=request.user, unit=unit, consultation=consultation,
                                 **payload.dict(exclude={"unit", "consultation"}))
    return Status(201, a)


@router.get(f"{P}/activities/{{pk}}", response=responses(ActivityDetailOut))
def activity_get(request, pk: int):
    return queries.get_activity_for(request.user, pk)


@router.patch(f"{P}/activities/{{pk}}", response=responses(ActivityDetailOut, write=True))
def activity_patch(request, pk: int, payload: ActivityPatch):
    a = queries.get_activity_for(request.user, pk, write=True)
    changes = changes_of(payload)
    if "consultation" in changes:
        raw = changes["consultation"]
        changes["consultation"] = queries.get_consultation_for(request.user, raw) if raw else None
    return services.activity_update(actor=request.user, activity=a, version=payload.version, changes=changes)


@router.post(f"{P}/activities/{{pk}}/co-designers", response=responses(CoDesignerOut, status=201, write=True))
def codesigner_add(request, pk: int, payload: CoDesignerIn):
    from niangjia.core.access import get_for
    from niangjia.people.models import Person

    a = queries.get_activity_for(request.user, pk, write=True)
    person = get_for(Person.objects.all(), request.user, payload.person) if payload.person else None
    return Status(201, services.codesigner_add(actor=request.user, activity=a, person=person, name=payload.name,
                                               contribution=payload.contribution))


@router.delete(f"{P}/activities/{{pk}}/co-designers/{{did}}", response=responses(OkOut, write=True))
def codesigner_remove(request, pk: int, did: int):
    from niangjia.core.errors import NotFound

    a = queries.get_activity_for(request.user, pk, write=True)
    d = a.co_designers.filter(pk=did).first()
    if d is None:
        raise NotFound()
    services.codesigner_remove(actor=request.user, codesigner=d)
    return {"ok": True}


@router.get(f"{P}/activities/{{pk}}/registrations", response=responses(page_of(RegistrationOut)))
def registration_list(request, pk: int, page: Query[PageParams], status: choice(Registration.Status) | None = None):
    a = queries.get_activity_for(request.user, pk)
    return page_out(queries.registrations_of(a, status or ""), order=("id",), params=page)


@router.post(f"{P}/activities/{{pk}}/registrations", response=_retry_safe(RegistrationOut))
def registration_add(request, pk: int, payload: StaffRegistrationIn):
    """A cadre registers a woman who called or came in person (registration closes when the
    activity starts; after that only `after_the_fact` entries from the sign-in sheet)."""
    a = queries.get_activity_for(request.user, pk, write=True)
    reg, created = services.register(activity=a, name=payload.name, phone=payload.phone, key=payload.key,
                                     channel=Channel.PAPER, actor=request.user, after_the_fact=payload.after_the_fact)
    return Status(201 if created else 200, reg)


@router.post(f"{P}/registrations/{{pk}}/cancel", response=responses(CancelOut, write=True))
def registration_cancel(request, pk: int):
    reg = queries.get_registration_for(request.user, pk, write=True)
    promoted = services.registration_cancel(registration=reg, actor=request.user)
    return {"status": reg.status, "promoted": [r.pk for r in promoted]}


@router.post(f"{P}/registrations/{{pk}}/attendance", response=responses(RegistrationOut, write=True))
def attendance(request, pk: int, payload: AttendanceIn):
    reg = queries.get_registration_for(request.user, pk, write=True)
    return services.attendance_mark(actor=request.user, registration=reg, attended=payload.attended)


@router.get(f"{P}/activities/{{pk}}/ratings", response=responses(page_of(RatingOut)))
def rating_list(request, pk: int, page: Query[PageParams]):
    a = queries.get_activity_for(request.user, pk)
    return page_out(a.ratings.all(), order=("-id",), params=page)


@router.post(f"{P}/public/activities/{{pk}}/registrations", auth=None,
             response=_retry_safe(PublicRegistrationOut))
def public_register(request, pk: int, payload: PublicRegistrationIn):
    _limit(request, "participation.register", "20/h")
    a = queries.public_activity(pk)
    reg, created = services.register(activity=a, name=payload.name, phone=payload.phone, key=payload.key,
                                     channel=payload.channel)
    return Status(201 if created else 200, _public_reg(reg, created))


@router.get(f"{P}/public/registrations/{{code}}", auth=None, response=responses(PublicRegistrationOut))
def public_registration(request, code: str):
    _limit(request, "participation.mine")
    return _public_reg(services.registration_by_code(code))


@router.post(f"{P}/public/registrations/{{code}}/cancel", auth=None, response=responses(PublicRegistrationOut,
                                                                                        write=True))
def public_cancel(request, code: str):
    _limit(request, "participation.mine")
    reg = services.registration_by_code(code)
    services.registration_cancel(registration=reg)
    return _public_reg(services.registration_by_code(code))


@router.post(f"{P}/public/registrations/{{code}}/rating", auth=None, response=_retry_safe(RatingOut))
def public_rating(request, code: str, payload: RatingIn):
    _limit(request, "participation.mine")
    reg = services.registration_by_code(code)
    rating, created = services.rating_submit(registration=reg, score=payload.score, comment=payload.comment,
                                             key=payload.key or request.headers.get("Idempotency-Key", ""))
    return Status(201 if created else 200, rating)
