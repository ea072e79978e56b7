"""Duty checklists (执委履职清单): templates of items, yearly assignments, evidence, reminders, reviews.

Every row carries the owning federation's l1..l6 (an assignment, its evidence, reminders and
review belong to the federation that handed the checklist out). Evidence is never edited
away: a correction is a new record that supersedes the old one, a withdrawal keeps the row.
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.scope import ScopedModel, ancestors_match_unit_check


class TargetKind(models.TextChoices):
    AT_LEAST = "at_least", gettext_lazy("至少")
    BETWEEN = "between", gettext_lazy("介于")
    EXACTLY = "exactly", gettext_lazy("恰好")


class EvidenceKind(models.TextChoices):
    CONTACT_DELEGATE = "contact_delegate", gettext_lazy("联系妇女代表")
    POOR_FAMILY = "poor_family", gettext_lazy("联系困难家庭")
    PROBLEM_SOLVED = "problem_solved", gettext_lazy("解决实际问题")
    ONLINE_GROUP = "online_group", gettext_lazy("网上妇女群")
    SOCIAL_ORG = "social_org", gettext_lazy("联系指导社会组织")
    PUBLIC_SERVICE = "public_service", gettext_lazy("参加公益活动")
    RESEARCH_REPORT = "research_report", gettext_lazy("调研报告")
    PROPOSAL = "proposal", gettext_lazy("建议案")
    OTHER = "other", gettext_lazy("其他")


class ChecklistTemplate(ScopedModel):
    """A federation's checklist: a named set of items it hands out to members each year."""

    name = models.CharField(gettext_lazy("清单名称"), max_length=100)
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    preset_key = models.CharField(gettext_lazy("来源预设"), max_length=60, blank=True, editable=False)
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                   editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["unit", "is_active"], name="duty_tpl_unit")]
        constraints = [ancestors_match_unit_check("duty_tpl")]
        verbose_name = verbose_name_plural = gettext_lazy("履职清单模板")

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One duty: a target (at least N / between N and M / exactly N) of one kind of evidence."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items",
                                 verbose_name=gettext_lazy("清单"))
    order = models.PositiveSmallIntegerField(gettext_lazy("序号"), default=1)
    title = models.CharField(gettext_lazy("事项"), max_length=100)
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    target_kind = models.CharField(gettext_lazy("目标方式"), max_length=10, choices=TargetKind.choices, default=TargetKind.AT_LEAST)
    target_min = models.PositiveSmallIntegerField(gettext_lazy("目标数"), default=1)
    target_max = models.PositiveSmallIntegerField(gettext_lazy("目标上限"), null=True, blank=True)
    noun = models.CharField(gettext_lazy("计量"), max_length=12, blank=True, help_text=gettext_lazy("如：名代表、户、篇"))
    evidence_kind = models.CharField(gettext_lazy("佐证类别"), max_length=20, choices=EvidenceKind.choices,
                                     default=EvidenceKind.OTHER)
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["template_id", "order", "id"]
        verbose_name = verbose_name_plural = gettext_lazy("清单事项")

    def __str__(self) -> str:
        return self.title


class Assignment(ScopedModel):
    """A template handed to one person for one year by the federation `unit`."""

    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("履职中")
        CANCELLED = "cancelled", gettext_lazy("已撤销")

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="assignments",
                                 verbose_name=gettext_lazy("清单"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="duty_assignments",
                               verbose_name=gettext_lazy("执委"))
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Kept current by the evidence services (recompute in the same transaction), so progress
    # tables sort and filter in SQL and the home panel is one query.
    items_total = models.PositiveSmallIntegerField(gettext_lazy("事项数"), default=0, editable=False)
    items_done = models.PositiveSmallIntegerField(gettext_lazy("已完成事项"), default=0, editable=False)
    evidence_count = models.PositiveIntegerField(gettext_lazy("佐证数"), default=0, editable=False)
    last_evidence_on = models.DateField(gettext_lazy("最近记录"), null=True, blank=True, editable=False)
    # The summary keys of this row (duties/standing.py): 1 January of `year` and "done/total", so
    # `rollup --rebuild` regroups assignments exactly as the services bump them.
    year_start = models.DateField(gettext_lazy("年度起始"), editable=False)
    standing = models.CharField(gettext_lazy("完成/事项"), max_length=12, default="0/0", editable=False)
    handed_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                  editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "person", "year"], name="duty_assignment_once"),
            ancestors_match_unit_check("duty_assignment"),
        ]
        indexes = [
            models.Index(fields=["unit", "year", "id"], name="duty_asg_unit_year"),
            models.Index(fields=["l3", "year", "id"], name="duty_asg_l3"),
            models.Index(fields=["l4", "year", "id"], name="duty_asg_l4"),
            models.Index(fields=["person", "year"], name="duty_asg_person"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("履职清单")

    def __str__(self) -> str:
        return _("{person} · {year}年 · {template}").format(person=self.person, year=self.year, template=self.template)

    @property
    def done_pct(self) -> int:
        return round(100 * self.items_done / self.items_total) if self.items_total else 0


class ItemStanding(ScopedModel):
    """Where one assignment stands on one item (done / partly / not started; 'cancelled' when the
    assignment is). Kept by services.refresh_progress with the duty_items summary; these rows are
    what `rollup --rebuild` regroups, so the summary can always be recomputed."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="standings")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="+")
    year_start = models.DateField(editable=False)
    item_key = models.CharField(max_length=48, editable=False)
    state = models.CharField(max_length=12, editable=False)

    class Meta:
        ordering = ["assignment_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item"], name="duty_standing_once"),
            ancestors_match_unit_check("duty_standing"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("事项完成情况")


def evidence_upload_to(instance, filename: str) -> str:
    return f"duties/evidence/{instance.day:%Y/%m}/{filename}"


class Evidence(ScopedModel):
    """What a member did against one item: what, when, with whom; an optional file and links."""

    class Status(models.TextChoices):
        RECORDED = "recorded", gettext_lazy("有效")
        WITHDRAWN = "withdrawn", gettext_lazy("已撤回")
        SUPERSEDED = "superseded", gettext_lazy("已更正")

    class LinkType(models.TextChoices):
        NONE = "", gettext_lazy("无")
        REPORT = "report", gettext_lazy("调研报告")
        PROPOSAL = "proposal", gettext_lazy("建议案")
        DIARY = "diary", gettext_lazy("妇情日记")
        OTHER = "other", gettext_lazy("其他")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="evidence",
                                   verbose_name=gettext_lazy("履职清单"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="evidence", verbose_name=gettext_lazy("事项"))
    kind = models.CharField(gettext_lazy("佐证类别"), max_length=20, choices=EvidenceKind.choices, editable=False)
    what = models.CharField(gettext_lazy("做了什么"), max_length=200)
    day = models.DateField(gettext_lazy("日期"))
    with_whom = models.CharField(gettext_lazy("和谁"), max_length=200, blank=True)
    attachment = models.FileField(gettext_lazy("照片或文件"), upload_to=evidence_upload_to, blank=True, max_length=200)
    attachment_name = models.CharField(gettext_lazy("文件名"), max_length=200, blank=True, editable=False)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="duty_evidence", verbose_name=gettext_lazy("关联人员"))
    organisation = models.ForeignKey("org.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duty_evidence", verbose_name=gettext_lazy("关联组织"))
    link_type = models.CharField(gettext_lazy("关联材料"), max_length=10, choices=LinkType.choices, blank=True, default="")
    link_id = models.PositiveBigIntegerField(gettext_lazy("材料编号"), null=True, blank=True)
    link_text = models.CharField(gettext_lazy("材料名称"), max_length=200, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=Status.choices, default=Status.RECORDED)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by", verbose_name=gettext_lazy("更正自"))
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=gettext_lazy("记录人"))
    on_behalf = models.BooleanField(gettext_lazy("代为记录"), default=False)
    withdrawn_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(gettext_lazy("撤回原因"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [ancestors_match_unit_check("duty_evidence")]
        indexes = [
            models.Index(fields=["assignment", "status", "item"], name="duty_ev_asg"),
            models.Index(fields=["l3", "day", "id"], name="duty_ev_l3"),
            models.Index(fields=["l4", "day", "id"], name="duty_ev_l4"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("履职佐证")

    def __str__(self) -> str:
        return f"{self.day} {self.what}"

    @property
    def link_url(self) -> str:
        """The fieldwork page of the linked report, proposal or diary ('' for other materials)."""
        page = WORK_PAGES.get(self.link_type)
        return page.format(self.link_id) if page and self.link_id else ""


# Where a linked work (Evidence.link_type with a link_id) is shown: her own fieldwork records.
WORK_PAGES = {"report": "/fieldwork/reports/{}/", "proposal": "/fieldwork/proposals/{}/",
              "diary": "/fieldwork/diaries/{}/"}


class Reminder(ScopedModel):
    """A reminder sent to a member behind schedule: at most one per assignment per day."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders",
                                   verbose_name=gettext_lazy("履职清单"))
    day = models.DateField(gettext_lazy("提醒日期"))
    message = models.CharField(gettext_lazy("内容"), max_length=300)
    items_done = models.PositiveSmallIntegerField(gettext_lazy("当时已完成"), default=0)
    sent_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=gettext_lazy("发送人"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "day"], name="duty_reminder_once_a_day"),
            ancestors_match_unit_check("duty_reminder"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("履职提醒")


class Review(ScopedModel):
    """The annual review (述职评议) of one assignment, with a rating."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", gettext_lazy("优秀")
        COMPETENT = "competent", gettext_lazy("称职")
        BASIC = "basic", gettext_lazy("基本称职")
        INCOMPETENT = "incompetent", gettext_lazy("不称职")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="review",
                                      verbose_name=gettext_lazy("履职清单"))
    rating = models.CharField(gettext_lazy("评议等次"), max_length=12, choices=Rating.choices)
    comment = models.CharField(gettext_lazy("评议意见"), max_length=500, blank=True)
    reviewer = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=gettext_lazy("评议人"))
    reviewed_on = models.DateField(gettext_lazy("评议日期"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [ancestors_match_unit_check("duty_review")]
        verbose_name = verbose_name_plural = gettext_lazy("述职评议")
