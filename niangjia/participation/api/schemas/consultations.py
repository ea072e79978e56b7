"""Consultations and their questionnaires: questions, answer sheets (online and paper), results, links, and the ideas drawn from free answers."""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field

from niangjia.core.api_schemas import UnitRef, VersionIn, choice, responses
from niangjia.core.errors import ValidationFailed
from niangjia.core.schema import Schema
from niangjia.needs.models import Need

from ... import queries, services
from ...models import Identity, Question


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


def retry_safe(schema) -> dict:
    """201 for a new record, 200 when a retry with the same key returns the first one."""
    return {**responses(schema, status=201, write=True), 200: schema}


def answer_values(answers: dict) -> dict[int, object]:
    out = {}
    for k, v in answers.items():
        if not str(k).isdigit():
            raise ValidationFailed(_("题目编号无效：{k}").format(k=k), fields={"answers": _("题目编号应为数字")})
        out[int(k)] = v
    return out
