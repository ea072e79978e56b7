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
