"""Logged activities: the foundation's fact rows, counted into summaries by their service."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel


class ActivityLog(ScopedModel):
    """One work activity a federation held or took part in, and the women it reached."""

    class Category(models.TextChoices):
        OUTREACH = "outreach", _("宣传引领")
        TRAINING = "training", _("培训")
        VISIT = "visit", _("走访")
        SERVICE = "service", _("服务")
        RIGHTS = "rights", _("维权")
        CONSULTATION = "consultation", _("议事协商")
        ONLINE = "online", _("网上活动")

    day = models.DateField(_("日期"))
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=120)
    women_reached = models.PositiveIntegerField(_("覆盖妇女人数"), default=0)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    partition_field = "day"  # partitioned by year on it (migration 0003): lists read the recent partitions first

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [
            # National lists (scope on the root, or a superuser's unfiltered list) walk these two.
            models.Index(fields=["l1", "day", "id"], name="act_l1_day"),
            models.Index(fields=["day", "id"], name="act_day"),
            models.Index(fields=["l2", "day", "id"], name="act_l2_day"),
            models.Index(fields=["l3", "day", "id"], name="act_l3_day"),
            models.Index(fields=["l4", "day", "id"], name="act_l4_day"),
            models.Index(fields=["l5", "day", "id"], name="act_l5_day"),
            models.Index(fields=["l6", "day", "id"], name="act_l6_day"),
            models.Index(fields=["unit", "day"], name="act_unit_day"),
        ]
        verbose_name = verbose_name_plural = _("工作活动")

    def __str__(self) -> str:
        return self.title


class SavedPivot(models.Model):
    """A pivot view (数据透视) a user saved to open again: its figure, rows, columns and filter. Personal:
    only its owner lists, opens, renames or deletes it; what it shows is read through her reach each time."""

    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("保存人"))
    name = models.CharField(_("名称"), max_length=60)
    config = models.JSONField(_("设置"), default=dict, blank=True, help_text="figure, rows, columns, unit, pilot, months")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_pivot_name_per_owner")]
        verbose_name = verbose_name_plural = _("保存的透视表")

    def __str__(self) -> str:
        return self.name
