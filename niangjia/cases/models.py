"""Rights-protection cases (维权个案), their referrals and follow-ups, and 12338 hotline calls (PRODUCT.md §8).

Case data is the most sensitive in the platform: the narrative, phone, address and ID number
are sealed (core.sensitive), a case is readable in full only by its worker, its named
supervisors and the admin (cases.queries), and every read and change is audited.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from niangjia.core import sensitive
from niangjia.core.scope import ScopedModel


class CaseType(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", _("家庭暴力")
    MARRIAGE_PROPERTY = "marriage_property", _("婚姻财产")
    CUSTODY = "custody", _("子女抚养")
    EMPLOYMENT = "employment", _("就业歧视")
    HARASSMENT = "harassment", _("性骚扰")
    TRAFFICKING = "trafficking", _("拐卖妇女")
    OTHER = "other", _("其他")


class Risk(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("接案")
    ASSESSMENT = "assessment", _("评估")
    REFERRED = "referred", _("已转介")
    FOLLOW_UP = "follow_up", _("跟进")
    CLOSED = "closed", _("已结案")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("已解决")
    WITHDRAWN = "withdrawn", _("当事人撤回")
    TRANSFERRED = "transferred", _("移交办理")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12338热线")
    INTAKE_POINT = "intake_point", _("信访网点")
    RIGHTS_POST = "rights_post", _("维权岗")
    WALK_IN = "walk_in", _("来访")
    ONLINE = "online", _("网上")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("已转出")
    ACCEPTED = "accepted", _("已接收")
    DECLINED = "declined", _("已拒绝")
    DONE = "done", _("已办结")


class Case(ScopedModel):
    """One complaint of one woman, owned by the federation that took it."""

    number = models.CharField(_("案号"), max_length=24, unique=True, editable=False)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    case_type = models.CharField(_("类型"), max_length=20, choices=CaseType.choices)
    complainant = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("求助人"))
    # Sealed here as told, even when invalid: an ID failing its checksum is kept (with a warning)
    # because a woman in danger must never be turned away for a typo.
    phone_enc = models.TextField(blank=True, editable=False)
    phone_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_mask = models.CharField(_("电话"), max_length=30, blank=True, editable=False)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_mask = models.CharField(_("身份证号"), max_length=30, blank=True, editable=False)
    id_number_warning = models.CharField(_("身份证号提示"), max_length=60, blank=True)
    address_enc = models.TextField(blank=True, editable=False)
    address_mask = models.CharField(_("地址"), max_length=40, blank=True, editable=False)
    narrative_enc = models.TextField(_("情况陈述（加密）"), editable=False)
    assessment = models.JSONField(_("风险评估"), default=dict, blank=True)
    risk_derived = models.CharField(_("评估得出的风险"), max_length=8, choices=Risk.choices)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices)
    risk_override_reason_enc = models.TextField(_("调整风险等级的理由（加密）"), blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    outcome = models.CharField(_("结案方式"), max_length=16, choices=Outcome.choices, blank=True)
    closure_reason_enc = models.TextField(_("结案理由（加密）"), blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    worker = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="cases_assigned",
                               verbose_name=_("个案工作者"))
    supervisors = models.ManyToManyField("accounts.User", related_name="cases_supervised", blank=True,
                                         verbose_name=_("督导"))
    opened_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    opened_on = models.DateField(_("接案日期"))
    opened_at = models.DateTimeField(_("接案时间"))
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    consent_store = models.BooleanField(_("同意保存信息"), default=False)
    consent_share = models.BooleanField(_("同意向合作单位转介/共享"), default=False)
    consent_contact = models.BooleanField(_("同意联系本人"), default=False)
    share_withdrawn_at = models.DateTimeField(_("撤回共享同意时间"), null=True, blank=True)
    override_at = models.DateTimeField(_("紧急共享时间"), null=True, blank=True)
    override_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("紧急共享决定人"))
    override_reason = models.CharField(_("紧急共享的法律依据"), max_length=300, blank=True)
    # the need of the ledger this case was opened from (cases.services.case_from_need), if any
    need_id = models.BigIntegerField(_("转自需求"), null=True, blank=True, editable=False)
    last_contact_at = models.DateTimeField(_("最近跟进时间"))
    escalated_for = models.DateTimeField(_("已就此时限升级"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["l2", "opened_on", "id"], name="case_l2_day"),
            models.Index(fields=["l3", "opened_on", "id"], name="case_l3_day"),
            models.Index(fields=["l4", "opened_on", "id"], name="case_l4_day"),
            models.Index(fields=["l5", "opened_on", "id"], name="case_l5_day"),
            models.Index(fields=["worker", "status"], name="case_worker_status"),
            models.Index(fields=["status", "risk_level"], name="case_status_risk"),
        ]
        verbose_name = verbose_name_plural = _("维权个案")

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    # Reasons tell her story as much as the narrative does: sealed at rest, read in clear only on the
    # case's own (need-to-know, audited) pages and API; lists never touch them.
    @property
    def closure_reason(self) -> str:
        return sensitive.decrypt(self.closure_reason_enc)

    @property
    def risk_override_reason(self) -> str:
        return sensitive.decrypt(self.risk_override_reason_enc)


class CaseEvent(models.Model):
    """The case's timeline: what happened, when, by whom (the audit keeps the full trail too)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "id"]


class CaseApproval(models.Model):
    """Closing a high-risk case, or lowering its risk, waits for a named supervisor: requested →
    approved (the step is then carried out) or returned (with a note). The step's details are sealed."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("高风险个案结案")
        LOWER_RISK = "lower_risk", _("下调高风险等级")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待督导批准")
        APPROVED = "approved", _("已批准")
        RETURNED = "returned", _("已退回")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("申请事项"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    payload_enc = models.TextField(blank=True, editable=False)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("督导意见"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(status="requested"),
                                               name="case_one_open_approval")]
        verbose_name = verbose_name_plural = _("督导审批")


class ConsentRecord(models.Model):
    """One consent given or withdrawn: which, when, who recorded it."""

    class Kind(models.TextChoices):
        STORE = "store", _("保存信息")
        SHARE = "share", _("转介/共享")
        CONTACT = "contact", _("联系本人")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("同意事项"), max_length=8, choices=Kind.choices)
    given = models.BooleanField(_("同意"))
    at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Referral(ScopedModel):
    """A case referred to a partner agency, with the agency's own status."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    agency = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("转介单位"))
    agency_kind = models.CharField(_("单位类别"), max_length=24, blank=True)  # copied so counts need no join
    external = models.BooleanField(_("妇联系统外"), default=True)
    under_override = models.BooleanField(_("依紧急共享转介"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    note_enc = models.TextField(_("转介说明（加密）"), blank=True, editable=False)
    response_enc = models.TextField(_("对方答复（加密）"), blank=True, editable=False)
    sent_on = models.DateField(_("转出日期"))
    sent_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["l3", "sent_on"], name="referral_l3_day"),
                   models.Index(fields=["l4", "sent_on"], name="referral_l4_day")]
        verbose_name = verbose_name_plural = _("转介")

    @property
    def note(self) -> str:
        return sensitive.decrypt(self.note_enc)

    @property
    def response(self) -> str:
        return sensitive.decrypt(self.response_enc)


class FollowUp(models.Model):
    """One contact with the woman or an agency after intake."""

    class Method(models.TextChoices):
        PHONE = "phone", _("电话")
        VISIT = "visit", _("上门")
        MEETING = "meeting", _("面谈")
        AGENCY = "agency", _("与合作单位沟通")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="follow_ups")
    at = models.DateTimeField(_("跟进时间"))
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices)
    note_enc = models.TextField(editable=False)  # what was said: as sensitive as the narrative
    by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]


class HotlineCall(ScopedModel):
    """A call record from the telephony system; `call_id` makes every delivery idempotent."""

    class Status(models.TextChoices):
        NEW = "new", _("待处理")
        NEED = "need", _("已转需求")
        CASE = "case", _("已建个案")
        NO_ACTION = "no_action", _("无需处理")

    call_id = models.CharField(_("呼叫编号"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("来电时间"))
    duration_seconds = models.PositiveIntegerField(_("通话时长（秒）"))
    caller_enc = models.TextField(blank=True, editable=False)
    caller_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    caller_mask = models.CharField(_("来电号码"), max_length=30, blank=True, editable=False)
    notes_enc = models.TextField(blank=True, editable=False)
    # None when the telephony system named an operator the platform does not know (or who may not take
    # calls): the call is kept all the same, under the sending account's federation, to be sorted out
    operator = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("接线员"))
    operator_given = models.CharField(_("电话系统报送的接线员"), max_length=150, blank=True)
    status = models.CharField(_("处理状态"), max_length=10, choices=Status.choices, default=Status.NEW)
    need_id = models.BigIntegerField(_("转成的需求"), null=True, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="calls")
    handled_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["l4", "status", "started_at"], name="call_l4_status"),
                   models.Index(fields=["operator", "started_at"], name="call_operator_day"),
                   models.Index(fields=["l3", "started_at"], name="call_l3_day")]
        verbose_name = verbose_name_plural = _("12338 来电")

    def __str__(self) -> str:
        return self.call_id

    @property
    def operator_unknown(self) -> bool:
        """待分派: the operator named by the telephony system could not be matched to a user who takes calls."""
        return self.operator_id is None
