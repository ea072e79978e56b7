"""Persons and the posts they hold in the bodies of a federation."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.scope import ScopedModel

TAGS = {
    "poor": gettext_lazy("困难妇女"),
    "migrant_worker": gettext_lazy("外出务工"),
    "full_time_mother": gettext_lazy("全职妈妈"),
    "entrepreneur": gettext_lazy("青年创业者"),
    "new_org": gettext_lazy("新经济新社会组织"),
    "rural": gettext_lazy("农村妇女"),
    "disabled": gettext_lazy("残疾妇女"),
    "elderly": gettext_lazy("老年妇女"),
    "single_mother": gettext_lazy("单亲母亲"),
}


class VisiblePersons(models.Manager):
    """`Person.visible`: the ordinary reads of persons, leaving out a woman known only as a case party.

    Need-to-know (PRODUCT.md §8): a complainant added by case intake must not show up in people
    lists, pickers, searches or exports of other apps. people.queries.persons_visible_to adds her
    back for the admin and for those who know one of her cases. `Person.objects` is the plain manager
    (everyone; Django's default, so admin, related lookups and writes see every row): a read that must
    hide case parties says so by naming `Person.visible`.
    """

    def get_queryset(self):
        return super().get_queryset().filter(case_party=False)


class Person(ScopedModel):
    """A cadre, member, delegate or ordinary woman; phone, ID number and address are sealed."""

    class Gender(models.TextChoices):
        FEMALE = "F", gettext_lazy("女")
        MALE = "M", gettext_lazy("男")

    class Origin(models.TextChoices):
        MAINLAND = "", gettext_lazy("内地")
        TAIWAN = "tw", gettext_lazy("台湾")
        HONG_KONG = "hk", gettext_lazy("香港")
        MACAO = "mo", gettext_lazy("澳门")

    name = models.CharField(gettext_lazy("姓名"), max_length=50)
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False)
    name_initials = models.CharField(max_length=30, blank=True, editable=False)
    gender = models.CharField(gettext_lazy("性别"), max_length=1, choices=Gender.choices, default=Gender.FEMALE)
    # The birth date is sealed like the ID number it is part of: only the year is kept in clear (lists,
    # ages, exports); the full date is Fernet ciphertext read through an audited reveal.
    birth_year = models.PositiveSmallIntegerField(gettext_lazy("出生年份"), null=True, blank=True)
    birth_date_enc = models.TextField(blank=True, editable=False)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_mask = models.CharField(gettext_lazy("电话"), max_length=30, blank=True, editable=False)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_mask = models.CharField(gettext_lazy("身份证号"), max_length=30, blank=True, editable=False)
    address_enc = models.TextField(blank=True, editable=False)
    address_mask = models.CharField(gettext_lazy("地址"), max_length=40, blank=True, editable=False)
    workplace = models.CharField(gettext_lazy("工作单位/职业"), max_length=120, blank=True)
    tags = models.JSONField(gettext_lazy("标签"), default=list, blank=True)
    grassroots_frontline = models.BooleanField(gettext_lazy("基层一线"), default=False)
    origin = models.CharField(gettext_lazy("来源地"), max_length=2, choices=Origin.choices, blank=True, default="")
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    # set by case intake (cases.complainants) for a woman first known through her complaint
    case_party = models.BooleanField(gettext_lazy("个案当事人（仅知情人可见）"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager()  # everyone, case parties included (declared first: the default manager)
    visible = VisiblePersons()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["l2", "id"], name="person_l2"),
            models.Index(fields=["l3", "id"], name="person_l3"),
            models.Index(fields=["l4", "id"], name="person_l4"),
            models.Index(fields=["l5", "id"], name="person_l5"),
            models.Index(fields=["l6", "id"], name="person_l6"),
            models.Index(fields=["name_initials"], name="person_initials"),
            models.Index(fields=["name_pinyin"], name="person_pinyin"),
            models.Index(fields=["name"], name="person_name"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("人员")

    def __str__(self) -> str:
        return self.name

    @property
    def tag_names(self) -> list[str]:
        return [TAGS.get(t, t) for t in self.tags]


class Post(ScopedModel):
    """A person's post in one body of the federation `unit`."""

    class Body(models.TextChoices):
        LEADERSHIP = "leadership", gettext_lazy("领导班子")
        STANDING = "standing", gettext_lazy("常委会")
        EXECUTIVE = "executive", gettext_lazy("执委会")
        DELEGATES = "delegates", gettext_lazy("代表大会代表")
        ORGAN_STAFF = "organ_staff", gettext_lazy("机关干部")
        ORGAN_VOLUNTEER = "organ_volunteer", gettext_lazy("机关工作志愿者")

    class Tenure(models.TextChoices):
        FULL_TIME = "full_time", gettext_lazy("专职")
        SECONDED = "seconded", gettext_lazy("挂职")
        PART_TIME = "part_time", gettext_lazy("兼职")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts", verbose_name=gettext_lazy("人员"))
    body = models.CharField(gettext_lazy("机构"), max_length=20, choices=Body.choices)
    title = models.CharField(gettext_lazy("职务"), max_length=50)
    tenure = models.CharField(gettext_lazy("任职方式"), max_length=12, choices=Tenure.choices, default=Tenure.PART_TIME)
    start_date = models.DateField(gettext_lazy("任职开始"), null=True, blank=True)
    end_date = models.DateField(gettext_lazy("任职结束"), null=True, blank=True)
    is_active = models.BooleanField(gettext_lazy("在任"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "body", "id"]
        indexes = [
            models.Index(fields=["unit", "body", "is_active"], name="post_unit_body"),
            models.Index(fields=["l3", "body"], name="post_l3_body"),
            models.Index(fields=["l4", "body"], name="post_l4_body"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("职务")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_body_display()} · {self.title}"


class ImportJob(models.Model):
    """One Excel upload of persons and posts: checked in one streaming pass, committed all at once or not at all.

    The uploaded file and its checked rows hold clear ID numbers and phones: both live on disk under MEDIA_ROOT,
    sealed (core.sealed_files), and are wiped once they are no longer needed (the upload after the check, the
    checked rows after the commit or a discard).
    """

    class Status(models.TextChoices):
        VALIDATING = "validating", gettext_lazy("校验中")
        INVALID = "invalid", gettext_lazy("有错误")
        VALID = "valid", gettext_lazy("校验通过")
        COMMITTING = "committing", gettext_lazy("导入中")
        COMMITTED = "committed", gettext_lazy("已导入")
        DISCARDED = "discarded", gettext_lazy("已放弃")

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("导入人"))
    filename = models.CharField(gettext_lazy("文件名"), max_length=200)
    # paths under MEDIA_ROOT of the sealed upload and of the sealed checked rows ("" once wiped)
    upload_file = models.CharField(max_length=200, blank=True, editable=False)
    checked_file = models.CharField(max_length=200, blank=True, editable=False)
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=Status.choices, default=Status.VALIDATING)
    rows_total = models.PositiveIntegerField(gettext_lazy("总行数"), default=0)  # the sheet's own count until the rows are read
    rows_done = models.PositiveIntegerField(gettext_lazy("已校验行数"), default=0)
    rows_written = models.PositiveIntegerField(gettext_lazy("已写入行数"), default=0)
    errors = models.JSONField(gettext_lazy("错误报告"), default=list, blank=True)
    state = models.JSONField(default=dict, blank=True, editable=False)  # errors found so far, the masked preview
    persons_created = models.PositiveIntegerField(gettext_lazy("新增人员"), default=0)
    posts_created = models.PositiveIntegerField(gettext_lazy("新增职务"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    committed_at = models.DateTimeField(gettext_lazy("导入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"], name="importjob_owner")]
        verbose_name = verbose_name_plural = gettext_lazy("导入任务")

    def __str__(self) -> str:
        return _("导入 {filename}").format(filename=self.filename)

    @property
    def percent(self) -> int:
        return 100 if not self.rows_total else min(99, self.rows_done * 100 // self.rows_total)

    @property
    def percent_written(self) -> int:
        return 100 if not self.rows_total else min(99, self.rows_written * 100 // self.rows_total)

    @property
    def errors_found(self) -> int:
        return len(self.errors) or int(self.state.get("errors", 0))
