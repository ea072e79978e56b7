"""Direct-contact systems (直接联系制度): 五个一, 三个一 and 联系十名普通妇女.

A plan belongs to one person (a leader or a cadre) for one year and is scoped to the
federation that set it. Targets and events carry the plan's scope columns, so every read
filters on the same l1..l6 columns. A woman's phone and address stay sealed on her Person.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from niangjia.core.scope import ScopedModel


class Kind(models.TextChoices):
    FIVE_ONES = "five_ones", _("五个一")
    THREE_ONES = "three_ones", _("三个一")
    TEN_WOMEN = "ten_women", _("联系十名普通妇女")


class Slot(models.TextChoices):
    COUNTY_FEDERATION = "county_federation", _("县级妇联")
    GROUP_MEMBER = "group_member", _("团体会员")
    WORKPLACE_COMMITTEE = "workplace_committee", _("机关企事业单位妇委会")
    FIRM_OR_SOCIAL_ORG = "firm_or_social_org", _("女性较多的非公企业或社会组织")
    PROVINCIAL_EXECUTIVE = "provincial_executive", _("省妇联执委")
    TOWNSHIP_FEDERATION = "township_federation", _("乡镇（街道）妇联")
    VILLAGE_FEDERATION = "village_federation", _("村（社区）妇联")
    REPRESENTATIVE_WOMAN = "representative_woman", _("代表性妇女")
    ORDINARY_WOMAN = "ordinary_woman", _("普通妇女")


class Channel(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    MEETING = "meeting", _("座谈见面")


class ContactPlan(ScopedModel):
    """One person's plan of one kind for one year, set by the federation `unit`."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contact_plans",
                               verbose_name=_("联系人（领导/干部）"))
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("制度"), max_length=16, choices=Kind.choices)
    started_on = models.DateField(_("计划开始日期"))
    contact_point = models.ForeignKey("org.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("基层联系点"))
    wechat_group = models.CharField(_("“好姐妹”微信群"), max_length=80, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept by contacts.tally (services and the daily contacts_overdue command): what the check and the
    # not-heard-from flags found, so the city-and-above overview reads summary rows in one query.
    year_start = models.DateField(_("年度起始"), editable=False, default=date(2000, 1, 1))
    standing = models.CharField(_("检查结果"), max_length=12, default="incomplete", editable=False)
    targets_n = models.PositiveIntegerField(_("联系对象数"), default=0, editable=False)
    overdue_n = models.PositiveIntegerField(_("久未联系数"), default=0, editable=False)
    overdue_state = models.CharField(_("久未联系"), max_length=8, default="ok", editable=False)
    checked_on = models.DateField(_("检查日期"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def set_on_behalf_by(self):
        """The manager who set this plan for the person (代为制定), or None when she set it herself."""
        by = self.created_by
        return by if by is not None and by.person_id != self.person_id else None

    class Meta:
        ordering = ["-year", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "year", "kind"], name="contact_plan_one_per_year")]
        indexes = [
            models.Index(fields=["l2", "year"], name="cplan_l2_year"),
            models.Index(fields=["l3", "year"], name="cplan_l3_year"),
            models.Index(fields=["l4", "year"], name="cplan_l4_year"),
            models.Index(fields=["l5", "year"], name="cplan_l5_year"),
            models.Index(fields=["l6", "year"], name="cplan_l6_year"),
        ]
        verbose_name = verbose_name_plural = _("直接联系计划")

    def __str__(self) -> str:
        return f"{self.person} · {self.year} · {self.get_kind_display()}"


class ContactTarget(ScopedModel):
    """One slot of a plan filled with a federation, an organisation or a person."""

    plan = models.ForeignKey(ContactPlan, on_delete=models.PROTECT, related_name="targets", verbose_name=_("计划"))
    slot = models.CharField(_("联系对象类别"), max_length=24, choices=Slot.choices)
    federation = models.ForeignKey("org.Federation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("联系的妇联"))
    organisation = models.ForeignKey("org.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("联系的组织"))
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="contact_targets", verbose_name=_("联系的人员"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    since = models.DateField(_("开始计算联系的日期"), help_text=_("计划开始与加入日期中较晚者；从未联系时由此起算"))
    last_contact_on = models.DateField(_("最近联系日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "slot", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], condition=Q(is_active=True, person__isnull=False),
                                    name="contact_target_person_once"),
            models.UniqueConstraint(fields=["plan", "organisation"],
                                    condition=Q(is_active=True, organisation__isnull=False),
                                    name="contact_target_org_once"),
            models.UniqueConstraint(fields=["plan", "federation"],
                                    condition=Q(is_active=True, federation__isnull=False),
                                    name="contact_target_fed_once"),
            models.CheckConstraint(
                condition=(Q(federation__isnull=False, organisation__isnull=True, person__isnull=True)
                           | Q(federation__isnull=True, organisation__isnull=False, person__isnull=True)
                           | Q(federation__isnull=True, organisation__isnull=True, person__isnull=False)),
                name="contact_target_one_link"),
        ]
        indexes = [models.Index(fields=["plan", "is_active"], name="ctarget_plan_active")]
        verbose_name = verbose_name_plural = _("直接联系对象")

    def __str__(self) -> str:
        return f"{self.get_slot_display()} #{self.pk}"

    @property
    def linked(self):
        return self.federation or self.organisation or self.person


class ContactEvent(ScopedModel):
    """One contact made with a target (a visit, a call, a WeChat talk, a meeting)."""

    plan = models.ForeignKey(ContactPlan, on_delete=models.PROTECT, related_name="events", verbose_name=_("计划"))
    target = models.ForeignKey(ContactTarget, on_delete=models.PROTECT, related_name="events", verbose_name=_("联系对象"))
    day = models.DateField(_("联系日期"))
    channel = models.CharField(_("联系方式"), max_length=12, choices=Channel.choices)
    note = models.CharField(_("情况记录"), max_length=500, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("记录人"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [
            models.Index(fields=["target", "-day"], name="cevent_target_day"),
            models.Index(fields=["l3", "day"], name="cevent_l3_day"),
            models.Index(fields=["l4", "day"], name="cevent_l4_day"),
            models.Index(fields=["l5", "day"], name="cevent_l5_day"),
            models.Index(fields=["l6", "day"], name="cevent_l6_day"),
        ]
        verbose_name = verbose_name_plural = _("直接联系记录")

    def __str__(self) -> str:
        return f"{self.day} {self.get_channel_display()}"
