"""Report forms (统计报表) filled per period by the units below and approved level by level (逐级审核上报).

A form is defined by a federation for its subtree: units at `fill_level` enter the figures; every
unit between the defining federation and the fill level sends up its subtree's report (a roll-up
with no figures of its own, so nothing is counted twice), which its parent approves once all of its
children's reports are approved. `Value` rows are the facts behind the totals (one per numeric field
of a submitted or approved report), kept beside the summary rows of metric `report_value`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel

from . import rules


class ReportForm(ScopedModel):
    """A periodic form (unit = the defining federation)."""

    title = models.CharField(_("报表名称"), max_length=120)
    description = models.CharField(_("填报说明"), max_length=500, blank=True)
    fill_level = models.PositiveSmallIntegerField(_("填报层级"), choices=[(n, n) for n in range(2, 7)])
    period_kind = models.CharField(_("报送周期"), max_length=8, choices=list(rules.PERIOD_NAMES.items()))
    due_days = models.PositiveSmallIntegerField(_("截止（期末后天数）"), default=10)
    checks = models.JSONField(_("跨字段校验"), default=list, blank=True,
                              help_text=_('如 [{"left": "rural", "op": "<=", "right": "total"}]'))
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("统计报表")

    def __str__(self) -> str:
        return self.title


class ReportField(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(_("字段代码"), max_length=40)
    label = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=8, choices=list(rules.KIND_NAMES.items()))
    required = models.BooleanField(_("必填"), default=True)
    min_value = models.DecimalField(_("最小值"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("最大值"), max_digits=14, decimal_places=2, null=True, blank=True)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    prefill = models.CharField(_("平台已知数据"), max_length=40, blank=True)

    class Meta:
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="report_field_key_per_form")]

    def spec(self) -> rules.FieldSpec:
        return rules.FieldSpec(self.key, self.label, self.kind, self.required, self.min_value, self.max_value,
                               tuple(self.choices or ()))


class Submission(ScopedModel):
    """One unit's report for one period (unit = the reporting unit)."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    period = models.DateField(_("期初"))
    status = models.CharField(_("状态"), max_length=10, choices=list(rules.STATUS_NAMES.items()), default=rules.DRAFT)
    rollup = models.BooleanField(_("汇总上报"), default=False, help_text=_("下级汇总，本级不另填数"))
    values = models.JSONField(_("填报数据"), default=dict, blank=True)
    due_on = models.DateField(_("截止日期"))
    submitted_at = models.DateTimeField(_("首次上报"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    comment = models.CharField(_("审核意见"), max_length=300, blank=True)
    reminded_on = models.DateField(_("最近催报"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["form", "period", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["form", "unit", "period"], name="report_one_per_unit_period")]
        indexes = [models.Index(fields=["form", "period", "l3"], name="report_sub_l3"),
                   models.Index(fields=["form", "period", "l4"], name="report_sub_l4"),
                   models.Index(fields=["form", "period", "l5"], name="report_sub_l5")]
        verbose_name = verbose_name_plural = _("报表填报")

    @property
    def on_time(self) -> bool | None:
        return rules.on_time(self.submitted_at.date() if self.submitted_at else None, self.due_on)


class Value(ScopedModel):
    """A numeric figure of a submitted or approved report: the fact row behind the totals."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="facts")
    metric_key = models.CharField(max_length=48, help_text="<form id>.<field key>")
    period = models.DateField()
    status = models.CharField(max_length=10)
    scaled = models.BigIntegerField(help_text="the value; decimals × 100")

    class Meta:
        indexes = [models.Index(fields=["metric_key", "period", "l4"], name="report_val_l4"),
                   models.Index(fields=["metric_key", "period", "l5"], name="report_val_l5"),
                   models.Index(fields=["metric_key", "period", "l6"], name="report_val_l6")]
