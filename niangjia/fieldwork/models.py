"""Going down to the grassroots (下基层蹲点, PRODUCT.md §6): rules, adoptions, stays and the evidence.

Stays, diaries, reports and proposals are scoped to their owner's home unit (the person's
unit), so a leader sees her subtree's people; `place` says where in the tree the work was done.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel

from .rules import params_text

BODY_CHOICES = [
    ("leadership", _("领导班子")), ("standing", _("常委会")), ("executive", _("执委会")), ("delegates", _("代表大会代表")),
    ("organ_staff", _("机关干部")), ("organ_volunteer", _("机关工作志愿者")),
]


class FieldRule(ScopedModel):
    """A rule's configuration, owned by the federation that set it (usually copied from a preset)."""

    class Kind(models.TextChoices):
        DAYS_PER_YEAR = "days_per_year", _("每年下基层天数")
        WINDOW_WEEK = "window_week", _("双月下基层工作周")
        CITY_PAIRING = "city_pairing", _("城乡各蹲点一周")

    preset = models.CharField(_("预设"), max_length=48, blank=True)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    count_trip = models.BooleanField(_("出差计入"), default=False)
    count_inspection = models.BooleanField(_("调研检查计入"), default=False)
    count_home_visit = models.BooleanField(_("入户走访计入"), default=False)
    count_holiday = models.BooleanField(_("节假日计入"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("下基层规则")

    def __str__(self) -> str:
        return self.name

    @property
    def flags(self) -> dict[str, bool]:
        return {"trip": self.count_trip, "inspection": self.count_inspection, "home_visit": self.count_home_visit,
                "holiday": self.count_holiday}

    @property
    def params_text(self) -> str:
        return params_text(self.params, {f"count_{k}": v for k, v in self.flags.items()})


class RuleAdoption(ScopedModel):
    """A federation applies a rule to posts in its subtree: a body, optionally a title and levels."""

    rule = models.ForeignKey(FieldRule, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("规则"))
    body = models.CharField(_("适用机构"), max_length=20, choices=BODY_CHOICES)
    title_contains = models.CharField(_("职务包含"), max_length=30, blank=True, help_text=_("如“主席”；留空为该机构所有职务"))
    levels = models.JSONField(_("适用层级"), default=list, blank=True, help_text=_("职务所在组织的层级；空为所有层级"))
    is_active = models.BooleanField(_("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "id"]
        indexes = [models.Index(fields=["unit", "is_active"], name="fw_adoption_unit")]
        verbose_name = verbose_name_plural = _("规则适用")

    def __str__(self) -> str:
        return f"{self.unit} · {self.rule} · {self.get_body_display()}"


class FieldStay(ScopedModel):
    """One stay at the grassroots of one person (planned or done); a person's stays never overlap."""

    class Kind(models.TextChoices):
        STAY = "stay", _("蹲点")
        WORK_WEEK = "work_week", _("基层工作周")
        CADRE_DAY = "cadre_day", _("当一天基层干部")
        HOME_VISIT = "home_visit", _("入户走访")
        INSPECTION = "inspection", _("调研检查")
        TRIP = "trip", _("出差")
        HOLIDAY = "holiday", _("节假日")

    class Setting(models.TextChoices):
        URBAN = "urban", _("城市社区")
        RURAL = "rural", _("农村")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="field_stays", verbose_name=_("人员"))
    place = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+", verbose_name=_("蹲点地点"))
    place_level = models.PositiveSmallIntegerField(editable=False)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    days = models.PositiveIntegerField(editable=False, default=1)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.STAY)
    setting = models.CharField(_("城乡"), max_length=8, choices=Setting.choices, default=Setting.OTHER)
    paired_with = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("结对妇女"))
    note = models.CharField(_("备注"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DONE)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def entered_on_behalf_by(self):
        """The manager who entered this stay for the person (代为录入), or None when she entered it herself."""
        by = self.created_by
        return by if by is not None and by.person_id != self.person_id else None

    class Meta:
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["person", "start"], name="fw_stay_person"),
            models.Index(fields=["l2", "start", "id"], name="fw_stay_l2"),
            models.Index(fields=["l3", "start", "id"], name="fw_stay_l3"),
            models.Index(fields=["l4", "start", "id"], name="fw_stay_l4"),
            models.Index(fields=["l5", "start", "id"], name="fw_stay_l5"),
        ]
        verbose_name = verbose_name_plural = _("蹲点记录")

    def __str__(self) -> str:
        return gettext("{place} {start:%Y-%m-%d}至{end:%Y-%m-%d}").format(place=self.place, start=self.start, end=self.end)


class Diary(ScopedModel):
    """A women's situation diary (妇情日记); the needs heard go to the needs ledger."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    place = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+", verbose_name=_("地点"))
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("内容"), max_length=20000)
    women_met = models.PositiveIntegerField(_("接触妇女人数"), default=0)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["person", "date"], name="fw_diary_person"),
            models.Index(fields=["l3", "date", "id"], name="fw_diary_l3"),
            models.Index(fields=["l4", "date", "id"], name="fw_diary_l4"),
        ]
        verbose_name = verbose_name_plural = _("妇情日记")

    def __str__(self) -> str:
        return self.title


class ResearchReport(ScopedModel):
    """A research report (调研报告) on a problem of women studied at the grassroots."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=150)
    topic = models.CharField(_("调研问题"), max_length=150)
    summary = models.TextField(_("摘要"), max_length=5000, blank=True)
    file = models.FileField(_("附件"), upload_to="fieldwork/reports/%Y/%m/", blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "date"], name="fw_report_person")]
        verbose_name = verbose_name_plural = _("调研报告")

    def __str__(self) -> str:
        return self.title


class Proposal(ScopedModel):
    """A targeted proposal (建议案) and what became of it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        ADOPTED = "adopted", _("已采纳")
        RESPONDED = "responded", _("已答复")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=150)
    text = models.TextField(_("内容"), max_length=10000)
    addressed_to = models.CharField(_("提交对象"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "date"], name="fw_proposal_person")]
        verbose_name = verbose_name_plural = _("建议案")

    def __str__(self) -> str:
        return self.title
