"""The needs ledger (妇女需求台账) and order-based services (订单式服务), PRODUCT.md §7.

Every need heard anywhere is one `Need` row that walks a status pipeline (rules.PIPELINE);
the service catalogue (`Service`), its providers (`ServiceProvider`, partner organisations
with the areas they cover) and the orders placed with them (`ServiceOrder`) answer needs.
An overdue need is escalated once to the federation one level up (`NeedEscalation`).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel


class Category(models.TextChoices):
    EMPLOYMENT = "employment", _("创业就业")
    RIGHTS = "rights", _("维权")
    COUNSELLING = "counselling", _("心理咨询")
    LEGAL = "legal", _("法律服务")
    FAMILY_EDUCATION = "family_education", _("家庭教育")
    MEDIATION = "mediation", _("婚姻家庭纠纷调解")
    HARDSHIP = "hardship", _("困难帮扶")
    OTHER = "other", _("其他")


class Need(ScopedModel):
    """One need of a woman (or a group of women) heard at `unit`."""

    Category = Category

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")
        CRITICAL = "critical", _("特急")

    class Channel(models.TextChoices):
        FIELD_VISIT = "field_visit", _("下基层走访/妇情日记")
        HOTLINE = "hotline", _("12338热线")
        INTAKE_POINT = "intake_point", _("信访网点")
        RIGHTS_POST = "rights_post", _("维权岗")
        SUGGESTION_BOX = "suggestion_box", _("意见箱")
        WECHAT = "wechat", _("微信")
        WEBSITE = "website", _("网站")
        WALK_IN = "walk_in", _("来访")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        ASSIGNED = "assigned", _("已指派")
        IN_PROGRESS = "in_progress", _("办理中")
        RESOLVED = "resolved", _("已解决")
        REFERRED = "referred", _("已转介")
        CLOSED = "closed", _("已关闭")

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("提出人"))
    day = models.DateField(_("听取日期"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.CharField(_("需求内容"), max_length=500)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    source_type = models.CharField(_("来源记录类型"), max_length=48, blank=True)
    source_id = models.BigIntegerField(_("来源记录"), null=True, blank=True)
    # handed to the woman (public form, WeChat reply, hotline) to look up the status later
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, null=True, blank=True, editable=False)
    # optional contact of an anonymous woman: sealed (core.sensitive), lists show the masks only
    contact_name_enc = models.TextField(blank=True, editable=False)
    contact_name_mask = models.CharField(_("联系人"), max_length=20, blank=True, editable=False)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact_phone_mask = models.CharField(_("联系电话"), max_length=30, blank=True, editable=False)
    requested_service = models.ForeignKey("needs.Service", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name=_("预约的服务"))
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    deadline = models.DateTimeField(_("办理期限"), null=True, blank=True)
    assignee = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("承办人"))
    assigned_at = models.DateTimeField(_("指派时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始办理"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    resolution = models.CharField(_("办理结果"), max_length=500, blank=True)
    referred_at = models.DateTimeField(_("转介时间"), null=True, blank=True)
    referral_target = models.CharField(_("转介去向"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_reason = models.CharField(_("关闭原因"), max_length=300, blank=True)
    escalated_to = models.ForeignKey("org.Federation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("超期上报至"))
    escalated_at = models.DateTimeField(_("超期上报时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [
            models.Index(fields=["l2", "day", "id"], name="need_l2_day"),
            models.Index(fields=["l3", "day", "id"], name="need_l3_day"),
            models.Index(fields=["l4", "day", "id"], name="need_l4_day"),
            models.Index(fields=["l5", "day", "id"], name="need_l5_day"),
            models.Index(fields=["l6", "day", "id"], name="need_l6_day"),
            models.Index(fields=["source_type", "source_id"], name="need_source"),
            models.Index(fields=["status", "deadline"], name="need_status_deadline"),
            models.Index(fields=["escalated_to", "escalated_at"], name="need_escalated"),
        ]
        verbose_name = verbose_name_plural = _("妇女需求")

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def code_display(self) -> str:
        """K7PX-3MQ9: the code as read out to the woman."""
        code = self.tracking_code or ""
        return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


class NeedEscalation(ScopedModel):
    """One overdue need reported to the federation one level up (once per need; the fact behind
    the `need_overdue` summary metric). `unit` is the need's own unit."""

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="escalation")
    to_unit = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+", verbose_name=_("上报至"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    day = models.DateField(_("上报日期"))
    deadline = models.DateTimeField(_("原办理期限"))
    notified = models.PositiveIntegerField(_("通知人数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = verbose_name_plural = _("超期上报")


class Service(ScopedModel):
    """One entry of a federation's service catalogue (服务目录)."""

    name = models.CharField(_("服务名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    description = models.CharField(_("服务说明"), max_length=500, blank=True)
    government_purchased = models.BooleanField(_("政府购买服务"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "name", "id"]
        verbose_name = verbose_name_plural = _("服务目录")

    def __str__(self) -> str:
        return self.name


class ServiceProvider(ScopedModel):
    """A partner organisation (org.Organisation) delivering catalogue services in the areas it covers."""

    organisation = models.OneToOneField("org.Organisation", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("服务机构"))
    services = models.ManyToManyField(Service, related_name="providers", verbose_name=_("提供的服务"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("服务机构")

    def __str__(self) -> str:
        return self.organisation.name


class ProviderArea(models.Model):
    """A provider covers the whole subtree under `area` (one row per covered federation)."""

    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务区域"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "area"], name="provider_area_once")]
        indexes = [models.Index(fields=["area", "provider"], name="provider_area_by_area")]


class ServiceOrder(ScopedModel):
    """A need answered by a catalogue service from one provider (派单), tracked to delivery and rated."""

    class Status(models.TextChoices):
        ORDERED = "ordered", _("已派单")
        ACCEPTED = "accepted", _("已接单")
        DELIVERED = "delivered", _("已完成服务")
        DECLINED = "declined", _("已拒单")
        CANCELLED = "cancelled", _("已取消")

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="orders", verbose_name=_("需求"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="orders", verbose_name=_("服务"))
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="orders",
                                 verbose_name=_("服务机构"))
    category = models.CharField(_("服务类别"), max_length=20, choices=Category.choices)  # the service's, for counts
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ORDERED)
    note = models.CharField(_("派单说明"), max_length=300, blank=True)
    day = models.DateField(_("派单日期"), default=timezone.localdate)
    ordered_at = models.DateTimeField(_("派单时间"), default=timezone.now)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    outcome = models.CharField(_("服务情况"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("拒单/取消时间"), null=True, blank=True)
    end_reason = models.CharField(_("拒单/取消原因"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_by_woman = models.BooleanField(_("本人评价"), default=False)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ordered_at", "-id"]
        indexes = [
            models.Index(fields=["l4", "ordered_at", "id"], name="order_l4_at"),
            models.Index(fields=["l5", "ordered_at", "id"], name="order_l5_at"),
            models.Index(fields=["provider", "status"], name="order_provider_status"),
        ]
        verbose_name = verbose_name_plural = _("服务订单")

    def __str__(self) -> str:
        return f"{self.service.name} · {self.provider}"
