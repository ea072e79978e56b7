"""Reform tracking (改革推进): documents, measures with their timeline, provincial plans, pilots."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel

from . import rules


class Document(ScopedModel):
    """文件制度: a document a federation issued (unit = the issuing federation)."""

    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("印发日期"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["l1", "issued_on"], name="reformdoc_l1_date"),
                   models.Index(fields=["l2", "issued_on"], name="reformdoc_l2_date")]
        verbose_name = verbose_name_plural = _("改革文件")

    def __str__(self) -> str:
        return self.title


class Plan(ScopedModel):
    """改革方案: one province's (or the Corps') reform plan and the dates of its stages."""

    title = models.CharField(_("方案名称"), max_length=200)
    stage = models.CharField(_("阶段"), max_length=16, choices=list(rules.PLAN_STAGE_NAMES.items()),
                             default=rules.DRAFTING)
    drafting_on = models.DateField(_("起草日期"))
    signing_on = models.DateField(_("发文审签日期"), null=True, blank=True)
    approved_on = models.DateField(_("党委批准日期"), null=True, blank=True)
    issued_on = models.DateField(_("印发实施日期"), null=True, blank=True)
    is_corps = models.BooleanField(_("新疆生产建设兵团"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__code", "id"]
        constraints = [models.UniqueConstraint(fields=["unit"], name="reform_one_plan_per_unit")]
        verbose_name = verbose_name_plural = _("省级改革方案")

    def __str__(self) -> str:
        return self.title

    def stage_dates(self) -> dict:
        return {rules.DRAFTING: self.drafting_on, rules.SIGNING: self.signing_on,
                rules.APPROVED: self.approved_on, rules.ISSUED: self.issued_on}


class Measure(ScopedModel):
    """改革措施: one measure of a reform plan (unit = the federation whose plan it is)."""

    code = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("措施"), max_length=300)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures",
                                 verbose_name=_("所属文件"))
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures",
                             verbose_name=_("所属省级方案"))
    responsible = models.ManyToManyField("org.Federation", related_name="+", verbose_name=_("责任单位"), blank=True)
    lead_department = models.CharField(_("牵头部门"), max_length=100, blank=True)
    deadline = models.DateField(_("完成时限"))
    due_year = models.PositiveSmallIntegerField(_("完成年度"))
    status = models.CharField(_("状态"), max_length=16, choices=list(rules.MEASURE_STATUS_NAMES.items()),
                              default=rules.NOT_STARTED)
    started_on = models.DateField(_("启动日期"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("进展报告人"))
    reminded_on = models.DateField(_("最近提醒"), null=True, blank=True)
    escalated_on = models.DateField(_("上报上级日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="reform_measure_code_per_unit")]
        indexes = [models.Index(fields=["l1", "deadline"], name="reform_measure_l1"),
                   models.Index(fields=["l2", "deadline"], name="reform_measure_l2"),
                   models.Index(fields=["status", "deadline"], name="reform_measure_status")]
        verbose_name = verbose_name_plural = _("改革措施")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Entry(models.Model):
    """One line of a measure's timeline: a milestone, evidence (file or link), a note, a status change,
    a reminder or an escalation. Appended, never edited (a milestone's completion is a new line)."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("节点")
        EVIDENCE = "evidence", _("佐证")
        NOTE = "note", _("进展")
        STATUS = "status", _("状态变更")
        REMINDER = "reminder", _("提醒")
        ESCALATION = "escalation", _("上报上级")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    day = models.DateField(_("日期"))
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True, help_text=_("平台内记录或外部网址"))
    file = models.FileField(_("附件"), upload_to="reform/%Y/%m/", blank=True)
    due_on = models.DateField(_("节点时限"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]
        verbose_name = verbose_name_plural = _("改革措施进展")


class Pilot(ScopedModel):
    """试点: a named group of federations (unit = the federation that names it)."""

    name = models.CharField(_("试点名称"), max_length=100)
    members = models.ManyToManyField("org.Federation", related_name="+", verbose_name=_("试点单位"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("改革试点")

    def __str__(self) -> str:
        return self.name
