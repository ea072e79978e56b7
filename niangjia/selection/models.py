"""公开选配 (PRODUCT §3): a federation's open call for part-time vice-chairs and standing committee
members, scored in three weighted parts, then vetted and elected.

Scores are append-only: a correction is a new row pointing at the one it supersedes, so the
result sheet can show both. Every other record here carries a version.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel, ancestors_match_unit_check
from niangjia.people.models import Post


class Status(models.TextChoices):
    OPEN = "open", _("报名中")
    SCORING = "scoring", _("评分中")
    VETTING = "vetting", _("考察中")
    ELECTION = "election", _("选举中")
    DONE = "done", _("已完成")


class PartKind(models.TextChoices):
    PROJECT = "project", _("项目评审")
    EXPERT = "expert", _("专家评议")
    JURY = "jury", _("群众评审团")


class Method(models.TextChoices):
    MEAN = "mean", _("算术平均")
    TRIMMED = "trimmed", _("去掉一个最高分和一个最低分后平均")


class Selection(ScopedModel):
    """One open call of one federation (`unit`)."""

    title = models.CharField(_("名称"), max_length=100)
    call_opens = models.DateField(_("报名开始"))
    call_closes = models.DateField(_("报名截止"))
    eligibility = models.TextField(_("报名条件"), default="不限年龄、学历、职级；热心妇女工作，带着服务妇女的项目报名。")
    conditions = models.TextField(_("其他条件"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    tie_break = models.JSONField(_("同分规则"), default=list)
    trim_min = models.PositiveSmallIntegerField(_("去掉最高最低分所需最少评分数"), default=3)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["l3", "-id"], name="selection_l3"),
            models.Index(fields=["l4", "-id"], name="selection_l4"),
        ]
        constraints = [ancestors_match_unit_check("selection")]
        verbose_name = verbose_name_plural = _("公开选配")

    def __str__(self) -> str:
        return self.title


class SelectionPost(models.Model):
    """A kind of post the call fills, e.g. 3 × 兼职副主席 in the leadership team."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="posts")
    body = models.CharField(_("机构"), max_length=20)
    title = models.CharField(_("职务"), max_length=50)
    seats = models.PositiveSmallIntegerField(_("名额"))
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["selection_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "title"], name="selection_post_title_once")]
        verbose_name = verbose_name_plural = _("选配职务")

    def __str__(self) -> str:
        return gettext("{title} {seats} 名").format(title=self.title, seats=self.seats)

    @property
    def body_name(self) -> str:
        return dict(Post.Body.choices).get(self.body, self.body)


class Part(models.Model):
    """One scoring part of a selection with its weight (percent) and method."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(_("评分环节"), max_length=10, choices=PartKind.choices)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2)
    method = models.CharField(_("计分方法"), max_length=10, choices=Method.choices, default=Method.MEAN)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["selection_id", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "kind"], name="selection_part_once")]
        verbose_name = verbose_name_plural = _("评分环节")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Candidate(ScopedModel):
    """An applicant with her project; phone and ID number sealed; linked to a person when known."""

    class Channel(models.TextChoices):
        PUBLIC = "public", _("网上报名")
        STAFF = "staff", _("工作人员录入")

    class Vetting(models.TextChoices):
        PENDING = "", _("未考察")
        PASSED = "passed", _("考察合格")
        FAILED = "failed", _("考察不合格")

    class Election(models.TextChoices):
        PENDING = "", _("未选举")
        ELECTED = "elected", _("当选")
        NOT_ELECTED = "not_elected", _("未当选")

    selection = models.ForeignKey(Selection, on_delete=models.PROTECT, related_name="candidates")
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, default="F", choices=[("F", _("女")), ("M", _("男"))])
    workplace = models.CharField(_("工作单位/职业"), max_length=120, blank=True)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_bidx = models.CharField(max_length=64, blank=True, editable=False)
    phone_mask = models.CharField(_("电话"), max_length=30, blank=True, editable=False)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_bidx = models.CharField(max_length=64, blank=True, editable=False)
    id_number_mask = models.CharField(_("身份证号"), max_length=30, blank=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("人员库记录"))
    wish = models.ForeignKey(SelectionPost, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("意向职务"))
    project_title = models.CharField(_("项目名称"), max_length=100)
    project_need = models.TextField(_("项目回应的妇女需求"))
    project_plan = models.TextField(_("实施计划"))
    channel = models.CharField(_("报名方式"), max_length=10, choices=Channel.choices)
    tracking_code = models.CharField(_("报名编号"), max_length=12, unique=True)
    applied_at = models.DateTimeField(_("报名时间"))
    applied_on = models.DateField(_("报名日期"))
    vetting = models.CharField(_("考察结果"), max_length=10, choices=Vetting.choices, blank=True, default="")
    vetting_note = models.TextField(_("考察意见"), blank=True)
    vetted_on = models.DateField(_("考察日期"), null=True, blank=True)
    election = models.CharField(_("选举结果"), max_length=12, choices=Election.choices, blank=True, default="")
    elected_to = models.ForeignKey(SelectionPost, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("当选职务"))
    elected_on = models.DateField(_("选举日期"), null=True, blank=True)
    post = models.ForeignKey("people.Post", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("所任职务"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["selection_id", "applied_at", "id"]
        indexes = [models.Index(fields=["l4", "applied_on"], name="candidate_l4_day")]
        constraints = [
            ancestors_match_unit_check("candidate"),
            # one application per phone per call (de-duplication of the same woman applying twice)
            models.UniqueConstraint(fields=["selection", "phone_bidx"], condition=~models.Q(phone_bidx=""),
                                    name="candidate_phone_once"),
        ]
        verbose_name = verbose_name_plural = _("报名人选")

    def __str__(self) -> str:
        return self.name


class Scorer(models.Model):
    """A named scorer of one part; she scores through a one-time link (no account needed)."""

    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="scorers")
    name = models.CharField(_("姓名"), max_length=50)
    note = models.CharField(_("身份说明"), max_length=100, blank=True)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_mask = models.CharField(_("电话"), max_length=30, blank=True, editable=False)
    link_issued_at = models.DateTimeField(_("链接生成时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["part_id", "id"]
        verbose_name = verbose_name_plural = _("评分人")

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """One score of one scorer for one candidate. Never updated: a correction supersedes it."""

    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="scores")
    scorer = models.ForeignKey(Scorer, on_delete=models.PROTECT, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("分数"), max_digits=5, decimal_places=2)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="correction", verbose_name=_("更正的原分数"))
    corrected_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    reason = models.CharField(_("更正理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["part_id", "candidate_id", "scorer_id", "id"]
        indexes = [models.Index(fields=["part", "candidate"], name="score_part_candidate")]
        verbose_name = verbose_name_plural = _("评分")

    def __str__(self) -> str:
        return f"{self.scorer} → {self.candidate}: {self.value}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(gettext("分数提交后不能修改，请录入更正记录"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("分数不能删除"))
