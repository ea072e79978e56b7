"""The request and response schemas of the selection API (api/__init__.py is the router)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from niangjia.core import periods
from niangjia.core.api_schemas import UnitRef, VersionIn, choice
from niangjia.people.models import Post

from .. import queries, rules
from ..models import Method


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
