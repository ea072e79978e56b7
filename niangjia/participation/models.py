"""意见征集、意见箱与活动 (PRODUCT.md §9): women are consulted before an activity is planned,
write to a federation's suggestion box, help design activities, register and rate them.

Every record is scoped to the federation that owns it (ScopedModel). Contact phones are
sealed (ciphertext + blind index + mask); a consultation stores only the blind index of a
respondent's phone, to refuse a second answer, never the number.
"""

from django.db import models

from niangjia.core.scope import ScopedModel


class Channel(models.TextChoices):
    WEBSITE = "website", "网站/公开链接"
    WECHAT = "wechat", "微信"
    PAPER = "paper", "纸质表（干部录入）"
    API = "api", "接口"


class Suggestion(ScopedModel):
    """One letter to a federation's suggestion box (意见箱), anonymous or with contact details."""

    class Status(models.TextChoices):
        NEW = "new", "待答复"
        REPLIED = "replied", "已答复"

    day = models.DateField("提交日期")
    text = models.CharField("意见内容", max_length=2000)
    channel = models.CharField("来源渠道", max_length=12, choices=Channel.choices, default=Channel.WEBSITE)
    anonymous = models.BooleanField("匿名", default=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_bidx = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    contact_phone_mask = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    # handed to the submitter so she can read the reply later without an account
    tracking_code = models.CharField("查询码", max_length=12, unique=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW)
    reply = models.CharField("答复", max_length=2000, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="答复人")
    # shown on the public page only when the federation says so; contact details never are
    is_public = models.BooleanField("公开展示", default=False)
    need_id = models.BigIntegerField("转入需求台账", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["l2", "day", "id"], name="sugg_l2_day"),
            models.Index(fields=["l3", "day", "id"], name="sugg_l3_day"),
            models.Index(fields=["l4", "day", "id"], name="sugg_l4_day"),
            models.Index(fields=["l5", "day", "id"], name="sugg_l5_day"),
            models.Index(fields=["l6", "day", "id"], name="sugg_l6_day"),
        ]
        verbose_name = verbose_name_plural = "意见箱来信"

    def __str__(self) -> str:
        return self.text[:40]


# ---------------------------------------------------------------- consultations (意见征集)


class Identity(models.TextChoices):
    """How a consultation keeps to one answer per woman."""

    ANONYMOUS = "anonymous", "匿名（不限次数）"
    PHONE = "phone", "手机验证码（每个号码一份）"
    LINK = "link", "一次性链接（发给受邀妇女）"


class Consultation(ScopedModel):
    """A questionnaire a federation puts to women before planning an activity.

    `unit` is the federation that runs it; `audience` is the subtree it is for (the unit itself
    or a federation below it). It accepts answers only once published and between its dates.
    """

    title = models.CharField("标题", max_length=100)
    intro = models.CharField("说明", max_length=1000, blank=True)
    audience = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+",
                                 verbose_name="面向范围")
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    identity = models.CharField("防重复方式", max_length=10, choices=Identity.choices, default=Identity.ANONYMOUS)
    via_link = models.BooleanField("公开链接", default=True)
    via_wechat = models.BooleanField("微信二维码", default=True)
    via_website = models.BooleanField("网站公告", default=False)
    via_paper = models.BooleanField("纸质问卷（干部录入）", default=False)
    published = models.BooleanField("已发布", default=False)
    response_count = models.PositiveIntegerField("答卷数", default=0, editable=False)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        indexes = [
            models.Index(fields=["l2", "opens_on", "id"], name="cons_l2_opens"),
            models.Index(fields=["l3", "opens_on", "id"], name="cons_l3_opens"),
            models.Index(fields=["l4", "opens_on", "id"], name="cons_l4_opens"),
            models.Index(fields=["l5", "opens_on", "id"], name="cons_l5_opens"),
            models.Index(fields=["l6", "opens_on", "id"], name="cons_l6_opens"),
        ]
        verbose_name = verbose_name_plural = "意见征集"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a questionnaire, in `position` order."""

    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        RATING = "rating", "评分"
        TEXT = "text", "填空"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("顺序", default=1)
    kind = models.CharField("题型", max_length=10, choices=Kind.choices)
    text = models.CharField("题目", max_length=300)
    required = models.BooleanField("必答", default=True)
    options = models.JSONField("选项", default=list, blank=True)
    max_choices = models.PositiveSmallIntegerField("最多选几项", null=True, blank=True)
    scale = models.PositiveSmallIntegerField("评分满分", default=5)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["consultation", "position", "id"]
        verbose_name = verbose_name_plural = "问卷题目"

    def __str__(self) -> str:
        return self.text[:40]


class Response(ScopedModel):
    """One woman's answer sheet. With phone identity, `phone_bidx` (never the number) makes a
    second sheet from the same phone impossible, down to the database."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="responses")
    day = models.DateField("答卷日期")
    channel = models.CharField("来源渠道", max_length=12, choices=Channel.choices)
    phone_bidx = models.CharField(max_length=64, blank=True, editable=False)
    entered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    # a mistyped paper sheet is never edited: it is voided (who, when, why) and, when corrected,
    # a new sheet points at it; results count only sheets that are not voided
    voided_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    voided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="作废人", editable=False)
    void_reason = models.CharField("作废原因", max_length=200, blank=True, editable=False)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction",
                                    verbose_name="更正的原答卷", editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "phone_bidx"],
                                    condition=~models.Q(phone_bidx="") & models.Q(voided_at__isnull=True),
                                    name="response_one_per_phone"),
        ]
        indexes = [models.Index(fields=["consultation", "id"], name="resp_cons")]
        verbose_name = verbose_name_plural = "答卷"


class Answer(models.Model):
    """One question answered on one sheet: chosen option indexes, a rating or free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField("选择", default=list, blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    text = models.CharField("填写内容", max_length=1000, blank=True)
    need_id = models.BigIntegerField("转入需求台账", null=True, blank=True, editable=False)
    idea = models.ForeignKey("Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="转为活动点子")

    class Meta:
        ordering = ["question__position", "id"]
        verbose_name = verbose_name_plural = "答案"


class PhoneCheck(models.Model):
    """A check code sent to a phone for one consultation: only the blind index of the phone and a
    keyed hash of the code are kept; it expires and allows a few attempts."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    phone_bidx = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["consultation", "phone_bidx", "-created_at"], name="phonecheck_lookup")]


# ---------------------------------------------------------------- activities (活动共创)


class Activity(ScopedModel):
    """An activity planned with women: linked consultation results, co-designers, registration
    up to `capacity` with a waiting list, attendance, then ratings by those who came."""

    class Status(models.TextChoices):
        PLANNED = "planned", "筹备中"
        OPEN = "open", "报名中"
        CLOSED = "closed", "报名截止"
        DONE = "done", "已举办"
        CANCELLED = "cancelled", "已取消"

    title = models.CharField("活动名称", max_length=100)
    description = models.CharField("活动内容", max_length=2000, blank=True)
    place = models.CharField("地点", max_length=120, blank=True)
    day = models.DateField("活动日期")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    capacity = models.PositiveIntegerField("名额")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PLANNED)
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="activities", verbose_name="依据的意见征集")
    design_notes = models.CharField("征集结果如何体现", max_length=2000, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [
            models.Index(fields=["l2", "day", "id"], name="pact_l2_day"),
            models.Index(fields=["l3", "day", "id"], name="pact_l3_day"),
            models.Index(fields=["l4", "day", "id"], name="pact_l4_day"),
            models.Index(fields=["l5", "day", "id"], name="pact_l5_day"),
            models.Index(fields=["l6", "day", "id"], name="pact_l6_day"),
        ]
        verbose_name = verbose_name_plural = "共创活动"

    def __str__(self) -> str:
        return self.title


class CoDesigner(models.Model):
    """A woman who helped design the activity: a person from the people register or a free name."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="co_designers")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="人员")
    name = models.CharField("姓名", max_length=40)
    contribution = models.CharField("参与内容", max_length=200, blank=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = verbose_name_plural = "共同设计者"


class Idea(ScopedModel):
    """An idea for an activity, often taken from a free-text consultation answer."""

    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="ideas",
                                 verbose_name="活动")
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="ideas", verbose_name="来自意见征集")
    text = models.CharField("点子", max_length=1000)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "活动点子"


class Registration(ScopedModel):
    """One woman's place at an activity: confirmed or waiting (in order), then attended/absent,
    or cancelled. The tracking code lets her cancel or rate without an account."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "已报名"
        WAITING = "waiting", "候补"
        CANCELLED = "cancelled", "已取消"
        ATTENDED = "attended", "已到场"
        ABSENT = "absent", "未到场"

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="registrations")
    day = models.DateField("报名日期")
    name = models.CharField("姓名", max_length=40)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_bidx = models.CharField(max_length=64, blank=True, editable=False)
    phone_mask = models.CharField("联系电话", max_length=20, blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    channel = models.CharField("来源渠道", max_length=12, choices=Channel.choices, default=Channel.WEBSITE)
    tracking_code = models.CharField("查询码", max_length=12, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        indexes = [models.Index(fields=["activity", "status", "id"], name="reg_activity_status"),
                   models.Index(fields=["activity", "phone_bidx"], name="reg_activity_phone")]
        verbose_name = verbose_name_plural = "活动报名"

    def __str__(self) -> str:
        return self.name


class Rating(ScopedModel):
    """A participant's rating of an activity she attended (1–5 and a comment), once each."""

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="rating")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="ratings")
    day = models.DateField("评价日期")
    score = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评价", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "活动评价"
