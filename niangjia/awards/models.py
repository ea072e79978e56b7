"""Award rounds (评选表彰): nominations by federations and by the public, consent, women's evaluation,
the notice period (公示) with objections, and the final result.

A round belongs to the federation that runs it (`unit`, e.g. 湖州市妇联) for its subtree. An
organisational nomination belongs to the nominating child federation (e.g. 安吉县妇联); a public
nomination to the child federation the nominee lives under, so that county's cadres can visit her
and record her consent. Ballots and objections belong to the round's federation.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel, ancestors_match_unit_check

from . import rules


class AwardRound(ScopedModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人")
        COLLECTIVE = "collective", _("集体")

    class Phase(models.TextChoices):
        NOMINATION = rules.NOMINATION, _("推荐提名")
        EVALUATION = rules.EVALUATION, _("群众评议")
        NOTICE = rules.NOTICE, _("公示")
        FINAL = rules.FINAL, _("结果确定")

    class Mode(models.TextChoices):
        VOTES = rules.VOTES, _("投票")
        RATINGS = rules.RATINGS, _("评分")

    name = models.CharField(_("评选名称"), max_length=100)
    award = models.CharField(_("荣誉称号"), max_length=40, help_text=_("如 三八红旗手、三八红旗集体"))
    kind = models.CharField(_("表彰对象"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    code = models.CharField(_("公开编号"), max_length=12, unique=True, editable=False)
    phase = models.CharField(_("阶段"), max_length=12, choices=Phase.choices, default=Phase.NOMINATION)
    places = models.PositiveSmallIntegerField(_("表彰名额"), default=10)
    default_org_quota = models.PositiveSmallIntegerField(_("每个下级妇联的组织推荐名额（默认）"), default=3)
    public_quota = models.PositiveSmallIntegerField(_("社会推荐名额（全轮）"), default=5)
    mode = models.CharField(_("评议方式"), max_length=10, choices=Mode.choices, default=Mode.VOTES)
    max_choices = models.PositiveSmallIntegerField(_("投票最多可选人数"), default=3)
    nomination_ends = models.DateField(_("推荐截止"))
    evaluation_ends = models.DateField(_("评议截止"))
    evaluation_started_on = models.DateField(_("评议开始"), null=True, blank=True, editable=False)
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True, editable=False)
    notice_ends = models.DateField(_("公示结束"), null=True, blank=True, editable=False)
    finalized_on = models.DateField(_("结果确定日期"), null=True, blank=True, editable=False)
    finalized_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                   editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [ancestors_match_unit_check("award_round")]
        indexes = [
            models.Index(fields=["unit", "phase", "id"], name="award_round_unit"),
            models.Index(fields=["l3", "id"], name="award_round_l3"),
            models.Index(fields=["l4", "id"], name="award_round_l4"),
        ]
        verbose_name = verbose_name_plural = _("评选表彰")

    def __str__(self) -> str:
        return self.name

    @property
    def phase_name(self) -> str:
        return rules.PHASE_NAMES[self.phase]


class RoundQuota(models.Model):
    """The organisational nomination quota of one child federation, where it differs from the default."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("评选"))
    unit = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+", verbose_name=_("下级妇联"))
    org_quota = models.PositiveSmallIntegerField(_("组织推荐名额"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="award_quota_once")]
        verbose_name = verbose_name_plural = _("推荐名额")


class Nomination(ScopedModel):
    class Kind(models.TextChoices):
        ORG = "org", _("组织推荐")
        PUBLIC = "public", _("社会推荐")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已推荐")
        SHORTLISTED = "shortlisted", _("入围")
        PROPOSED = "proposed", _("拟表彰（公示中）")
        REMOVED = "removed", _("异议成立，已取消")
        AWARDED = "awarded", _("已表彰")
        NOT_SHORTLISTED = "not_shortlisted", _("未入围")
        NOT_SELECTED = "not_selected", _("未当选")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Consent(models.TextChoices):
        PENDING = "pending", _("待本人确认")
        GIVEN = "given", _("本人已同意")
        DECLINED = "declined", _("本人不同意")

    class ConsentVia(models.TextChoices):
        NONE = "", "—"
        LINK = "link", _("短信链接确认")
        IN_PERSON = "in_person", _("干部当面确认")

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("评选"))
    kind = models.CharField(_("推荐方式"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    nominee_name = models.CharField(_("被推荐人（集体）"), max_length=100)
    nominee_place = models.CharField(_("所在单位或村社区"), max_length=100)
    deeds = models.TextField(_("主要事迹"), max_length=2000)
    nominee_phone_enc = models.TextField(blank=True, editable=False)
    nominee_phone_mask = models.CharField(_("被推荐人电话"), max_length=20, blank=True, editable=False)
    nominator_name = models.CharField(_("推荐人"), max_length=50, blank=True)
    nominator_phone_enc = models.TextField(blank=True, editable=False)
    nominator_phone_bidx = models.CharField(max_length=64, blank=True, editable=False)
    nominator_phone_mask = models.CharField(_("推荐人电话"), max_length=20, blank=True, editable=False)
    tracking_code = models.CharField(_("查询码"), max_length=12, blank=True, editable=False)
    consent = models.CharField(_("本人同意"), max_length=10, choices=Consent.choices, default=Consent.PENDING)
    consent_via = models.CharField(_("确认方式"), max_length=10, choices=ConsentVia.choices, blank=True, default="")
    consent_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    consent_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("确认干部"))
    consent_note = models.CharField(_("确认说明"), max_length=200, blank=True)
    day = models.DateField(_("推荐日期"))
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [ancestors_match_unit_check("award_nomination")]
        indexes = [
            models.Index(fields=["round", "kind", "unit"], name="award_nom_quota"),
            models.Index(fields=["round", "status"], name="award_nom_status"),
            models.Index(fields=["l3", "day", "id"], name="award_nom_l3"),
            models.Index(fields=["l4", "day", "id"], name="award_nom_l4"),
        ]
        verbose_name = verbose_name_plural = _("推荐")

    def __str__(self) -> str:
        return f"{self.nominee_name}（{self.get_kind_display()}）"

    @property
    def counts_against_quota(self) -> bool:
        return self.status != self.Status.WITHDRAWN


class Ballot(ScopedModel):
    """One woman's evaluation of the shortlist; immutable once written (one per voter and round)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信验证码")
        LINK = "link", _("一次性链接")

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("评选"))
    voter_key = models.CharField(max_length=80, editable=False,
                                 help_text=_("sms:<手机号盲索引> 或 link:<链接编号>；不存明文"))
    voter_mask = models.CharField(_("评议人"), max_length=20, blank=True, editable=False)
    channel = models.CharField(_("方式"), max_length=6, choices=Channel.choices)
    day = models.DateField(_("评议日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["round", "voter_key"], name="award_ballot_once"),
                       ancestors_match_unit_check("award_ballot")]
        verbose_name = verbose_name_plural = _("评议票")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(gettext("评议一经提交不能修改"))
        super().save(*args, **kwargs)


class BallotVoid(ScopedModel):
    """A ballot found fraudulent, voided by the round's federation: a new record (who, when, why);
    the ballot itself is never changed or deleted. Tallies leave voided ballots out."""

    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="void", verbose_name=_("评议票"))
    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="+", verbose_name=_("评选"))
    reason = models.CharField(_("作废原因"), max_length=200)
    voided_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("作废人"))
    created_at = models.DateTimeField(_("作废时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [ancestors_match_unit_check("award_ballot_void")]
        verbose_name = verbose_name_plural = _("作废的评议票")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(gettext("作废记录不能修改"))
        super().save(*args, **kwargs)


class BallotMark(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="marks")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="marks")
    score = models.PositiveSmallIntegerField(_("票数或分数"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "nomination"], name="award_mark_once")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(gettext("评议一经提交不能修改"))
        super().save(*args, **kwargs)


class CheckCode(models.Model):
    """An SMS check code for one phone and round (only its hash is kept)."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="+")
    phone_bidx = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["round", "phone_bidx", "-id"], name="award_code_phone")]


class Objection(ScopedModel):
    class Outcome(models.TextChoices):
        PENDING = "", _("待答复")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="objections", verbose_name=_("评选"))
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="objections",
                                   verbose_name=_("针对的拟表彰对象"))
    text = models.TextField(_("异议内容"), max_length=2000)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_mask = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    tracking_code = models.CharField(_("查询码"), max_length=12, editable=False)
    day = models.DateField(_("提出日期"))
    outcome = models.CharField(_("答复结论"), max_length=10, choices=Outcome.choices, blank=True, default="")
    answer = models.TextField(_("答复内容"), max_length=2000, blank=True)
    answered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [ancestors_match_unit_check("award_objection")]
        indexes = [models.Index(fields=["round", "outcome"], name="award_obj_round")]
        verbose_name = verbose_name_plural = _("公示异议")

    @property
    def answered(self) -> bool:
        return bool(self.outcome)
