"""The request and response schemas of the awards API (api/__init__.py is the router)."""

from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field

from niangjia.core.api_schemas import UnitRef, VersionIn, choice
from niangjia.core.schema import Schema

from ..models import AwardRound, Objection


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
