"""The federation tree, its grassroots sites and partner organisations, and grassroots reform."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.scope import LEVEL_NAMES, AncestorColumns, ScopedModel


class Federation(AncestorColumns):
    """A local federation at one of six levels; l1..l6 hold its ancestors and itself."""

    class Form(models.TextChoices):
        FEDERATION = "federation", gettext_lazy("妇联")
        CONGRESS = "congress", gettext_lazy("妇代会")

    name = models.CharField(gettext_lazy("名称"), max_length=100)
    full_name = models.CharField(gettext_lazy("全称"), max_length=100, blank=True, default="",
                                 help_text=gettext_lazy("统计用区划代码公布的名称（如“余村村委会”）"))
    from_codes = models.BooleanField(gettext_lazy("来自区划代码"), default=False, editable=False,
                                     help_text=gettext_lazy("由区划代码导入；每年更新时代码消失的组织会被停用"))
    code = models.CharField(gettext_lazy("组织代码"), max_length=20, unique=True, help_text=gettext_lazy("行政区划代码或自编代码"))
    level = models.PositiveSmallIntegerField(gettext_lazy("层级"), choices=sorted(LEVEL_NAMES.items()))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=gettext_lazy("上级"))
    path = models.CharField(max_length=120, db_index=True, editable=False, help_text="/root/…/self/ ids")
    form = models.CharField(gettext_lazy("组织形式"), max_length=16, choices=Form.choices, default=Form.FEDERATION)
    name_pinyin = models.CharField(max_length=300, blank=True, editable=False)
    name_initials = models.CharField(max_length=60, blank=True, editable=False)
    staffing_quota = models.PositiveIntegerField(gettext_lazy("编制数"), default=0)
    departments_quota = models.PositiveIntegerField(gettext_lazy("内设机构数"), default=0)
    has_hotline = models.BooleanField(gettext_lazy("设有12338热线"), default=False)
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(fields=["l2", "level"], name="fed_l2"),
            models.Index(fields=["l3", "level"], name="fed_l3"),
            models.Index(fields=["l4", "level"], name="fed_l4"),
            models.Index(fields=["l5", "level"], name="fed_l5"),
            models.Index(fields=["name_initials"], name="fed_initials"),
            models.Index(fields=["name_pinyin"], name="fed_pinyin"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("妇联组织")

    def __str__(self) -> str:
        return self.name

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(x) for x in self.path.strip("/").split("/") if x]


class Site(ScopedModel):
    """A grassroots site (阵地) under a federation."""

    class Kind(models.TextChoices):
        WOMENS_HOME = "womens_home", gettext_lazy("妇女之家")
        MICRO_HOME = "micro_home", gettext_lazy("妇女微家")
        CONTACT_POINT = "contact_point", gettext_lazy("基层联系点")
        INTAKE_POINT = "intake_point", gettext_lazy("信访网点")
        RIGHTS_POST = "rights_post", gettext_lazy("妇女儿童维权岗")
        HOTLINE = "hotline", gettext_lazy("12338热线")

    kind = models.CharField(gettext_lazy("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(gettext_lazy("名称"), max_length=120)
    address = models.CharField(gettext_lazy("地址"), max_length=200, blank=True)
    host = models.CharField(gettext_lazy("依托单位"), max_length=120, blank=True, help_text=gettext_lazy("如：蔬菜合作社、派出所、法院"))
    services = models.JSONField(gettext_lazy("服务内容"), default=list, blank=True)
    established_on = models.DateField(gettext_lazy("设立日期"), null=True, blank=True)
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "kind"], name="site_unit_kind"),
            models.Index(fields=["l3", "kind"], name="site_l3_kind"),
            models.Index(fields=["l4", "kind"], name="site_l4_kind"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("阵地")

    def __str__(self) -> str:
        return self.name


class Organisation(ScopedModel):
    """A group member, women's committee, 两新 women's organisation or partner agency."""

    class Kind(models.TextChoices):
        GROUP_MEMBER = "group_member", gettext_lazy("团体会员")
        WORKPLACE_COMMITTEE = "workplace_committee", gettext_lazy("机关企事业单位妇委会")
        NEW_ORG_WOMEN = "new_org_women", gettext_lazy("两新组织妇女组织")
        SOCIAL_ORG = "social_org", gettext_lazy("社会组织")
        PARTNER_AGENCY = "partner_agency", gettext_lazy("合作单位")
        SERVICE_PROVIDER = "service_provider", gettext_lazy("服务提供方")

    class Agency(models.TextChoices):
        NONE = "", "—"
        POLICE = "police", gettext_lazy("公安")
        PROCURATORATE = "procuratorate", gettext_lazy("检察院")
        COURT = "court", gettext_lazy("法院")
        CIVIL_AFFAIRS = "civil_affairs", gettext_lazy("民政")
        LEGAL_AID = "legal_aid", gettext_lazy("法律援助")
        SHELTER = "shelter", gettext_lazy("庇护所")
        HEALTH = "health", gettext_lazy("卫健")

    kind = models.CharField(gettext_lazy("类型"), max_length=24, choices=Kind.choices)
    agency_type = models.CharField(gettext_lazy("合作单位类别"), max_length=16, choices=Agency.choices, blank=True, default="")
    name = models.CharField(gettext_lazy("名称"), max_length=150)
    contact_name = models.CharField(gettext_lazy("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(gettext_lazy("联系电话"), max_length=30, blank=True, help_text=gettext_lazy("单位公开电话"))
    women_count = models.PositiveIntegerField(gettext_lazy("女性人数"), default=0)
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "kind"], name="org_unit_kind"),
            models.Index(fields=["l3", "kind"], name="org_l3_kind"),
            models.Index(fields=["l4", "kind"], name="org_l4_kind"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("合作组织")

    def __str__(self) -> str:
        return self.name


class VillageConversion(ScopedModel):
    """会改联: a village women's congress converted into a village federation."""

    converted_on = models.DateField(gettext_lazy("换届改建日期"))
    executive_members_added = models.PositiveIntegerField(gettext_lazy("新增执委人数"))
    with_village_election = models.BooleanField(gettext_lazy("与村委会同步选举"), default=True)
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-converted_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit"], name="one_conversion_per_village")]
        indexes = [models.Index(fields=["l2", "converted_on"], name="conv_l2_date"),
                   models.Index(fields=["l3", "converted_on"], name="conv_l3_date")]
        verbose_name = verbose_name_plural = gettext_lazy("会改联")


class TownshipRegionalisation(ScopedModel):
    """区域化建设: a township federation rebuilt region-wide with more executive members."""

    completed_on = models.DateField(gettext_lazy("完成日期"))
    members_before = models.PositiveIntegerField(gettext_lazy("改革前执委人数"))
    members_after = models.PositiveIntegerField(gettext_lazy("改革后执委人数"))
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit"], name="one_regionalisation_per_township")]
        indexes = [models.Index(fields=["l2", "completed_on"], name="region_l2_date"),
                   models.Index(fields=["l3", "completed_on"], name="region_l3_date")]
        verbose_name = verbose_name_plural = gettext_lazy("乡镇妇联区域化建设")

    @property
    def executive_members_added(self) -> int:
        return max(0, self.members_after - self.members_before)


class TreeImport(models.Model):
    """One load or yearly update of the tree from division-code files: checked, reported, then applied."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", gettext_lazy("已上传")
        INVALID = "invalid", gettext_lazy("有错误")
        CHECKED = "checked", gettext_lazy("待确认")
        RUNNING = "running", gettext_lazy("导入中")
        DONE = "done", gettext_lazy("已完成")
        FAILED = "failed", gettext_lazy("失败")
        DISCARDED = "discarded", gettext_lazy("已放弃")

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("导入人"))
    root = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("导入到"))
    filename = models.CharField(gettext_lazy("文件名"), max_length=200)
    source = models.CharField(max_length=500, editable=False, help_text="the stored upload, under MEDIA_ROOT")
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    problems = models.JSONField(gettext_lazy("错误"), default=list, blank=True)
    report = models.JSONField(gettext_lazy("变更报告"), default=dict, blank=True)
    counts = models.JSONField(gettext_lazy("结果"), default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = gettext_lazy("组织体系导入")

    def __str__(self) -> str:
        return _("导入 {filename}").format(filename=self.filename)

    @property
    def percent(self) -> int:
        return 100 if not self.progress_total else min(100, self.progress_done * 100 // self.progress_total)


class FederationHistory(models.Model):
    """What a tree import changed on a unit: a rename (old name kept), a move, a retirement or a return."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", gettext_lazy("更名")
        MOVED = "moved", gettext_lazy("调整隶属")
        RETIRED = "retired", gettext_lazy("撤销（停用）")
        RESTORED = "restored", gettext_lazy("恢复")

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="history", verbose_name=gettext_lazy("组织"))
    kind = models.CharField(gettext_lazy("变更"), max_length=10, choices=Kind.choices)
    old_value = models.CharField(gettext_lazy("原值"), max_length=200, blank=True)
    new_value = models.CharField(gettext_lazy("新值"), max_length=200, blank=True)
    tree_import = models.ForeignKey(TreeImport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["federation", "-at", "-id"]
        verbose_name = verbose_name_plural = gettext_lazy("组织变更记录")


class EstablishmentQuota(ScopedModel):
    """机构编制核定: a federation's approved staffing (编制), internal departments (内设机构) and
    affiliated institutions (直属事业单位) from a date on. The rows are the quota's history: the one in
    force on a day is the latest taking effect on or before it, so a cut ("each by 20%") is read by
    comparing two days. The federation's own staffing_quota/departments_quota mirror today's row."""

    effective_on = models.DateField(gettext_lazy("起始日期"), help_text=gettext_lazy("核定文件规定的执行日期"))
    staff = models.PositiveIntegerField(gettext_lazy("编制数"))
    departments = models.PositiveIntegerField(gettext_lazy("内设机构数"))
    institutions = models.PositiveIntegerField(gettext_lazy("直属事业单位数"))
    document = models.CharField(gettext_lazy("核定依据"), max_length=200, blank=True, help_text=gettext_lazy("如编办批复的文号"))
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "-effective_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "effective_on"], name="one_quota_per_unit_day")]
        indexes = [models.Index(fields=["l2", "effective_on"], name="quota_l2_date"),
                   models.Index(fields=["l3", "effective_on"], name="quota_l3_date")]
        verbose_name = verbose_name_plural = gettext_lazy("机构编制核定")

    def __str__(self) -> str:
        return _("{effective_on:%Y-%m-%d} 编制{staff}").format(effective_on=self.effective_on, staff=self.staff)
