"""The needs ledger (妇女需求台账): every need heard anywhere, one row each (PRODUCT.md §7).

A minimal ledger for now: registered from field diaries; assignment, deadlines, referral and
rating come with the needs issue and extend this model.
"""

from django.db import models

from niangjia.core.scope import ScopedModel


class Need(ScopedModel):
    """One need of a woman (or a group of women) heard at `unit`."""

    class Category(models.TextChoices):
        EMPLOYMENT = "employment", "创业就业"
        RIGHTS = "rights", "维权"
        COUNSELLING = "counselling", "心理咨询"
        LEGAL = "legal", "法律服务"
        FAMILY_EDUCATION = "family_education", "家庭教育"
        MEDIATION = "mediation", "婚姻家庭纠纷调解"
        HARDSHIP = "hardship", "困难帮扶"
        OTHER = "other", "其他"

    class Urgency(models.TextChoices):
        NORMAL = "normal", "一般"
        URGENT = "urgent", "紧急"
        CRITICAL = "critical", "特急"

    class Channel(models.TextChoices):
        FIELD_VISIT = "field_visit", "下基层走访/妇情日记"
        HOTLINE = "hotline", "12338热线"
        INTAKE_POINT = "intake_point", "信访网点"
        RIGHTS_POST = "rights_post", "维权岗"
        SUGGESTION_BOX = "suggestion_box", "意见箱"
        WECHAT = "wechat", "微信"
        WEBSITE = "website", "网站"
        WALK_IN = "walk_in", "来访"

    class Status(models.TextChoices):
        REGISTERED = "registered", "已登记"

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="提出人")
    day = models.DateField("听取日期")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.CharField("需求内容", max_length=500)
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REGISTERED)
    source_type = models.CharField("来源记录类型", max_length=48, blank=True)
    source_id = models.BigIntegerField("来源记录", null=True, blank=True)
    # handed to the woman (public form, WeChat reply, hotline) to look up the status later
    tracking_code = models.CharField("查询码", max_length=12, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [
            models.Index(fields=["l2", "day", "id"], name="need_l2_day"),
            models.Index(fields=["l3", "day", "id"], name="need_l3_day"),
            models.Index(fields=["l4", "day", "id"], name="need_l4_day"),
            models.Index(fields=["l5", "day", "id"], name="need_l5_day"),
            models.Index(fields=["l6", "day", "id"], name="need_l6_day"),
            models.Index(fields=["source_type", "source_id"], name="need_source"),
        ]
        verbose_name = verbose_name_plural = "妇女需求"

    def __str__(self) -> str:
        return self.description[:40]
