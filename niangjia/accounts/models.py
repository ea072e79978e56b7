"""Users: roles grant actions, scopes (subtrees of the tree) limit where."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.password_validation import validate_password
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import callers
from niangjia.core.roles import ROLES
from niangjia.core.scope import Reach, Subtree


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` (interactive, `--noinput` or its "bypass validation?" answer) meets the policy too."""
        validate_password(password or "", self.model(username=username, email=email or ""))
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    objects = UserManager()

    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="users", verbose_name=gettext_lazy("关联人员")
    )
    roles = models.JSONField(gettext_lazy("角色"), default=list, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    must_change_password = models.BooleanField(gettext_lazy("首次登录须改密码"), default=False,
                                               help_text=gettext_lazy("批量导入的账号用初始密码登录后须先设置自己的密码"))
    # the interface language she chose (settings.LANGUAGES); restored at every login
    language = models.CharField(gettext_lazy("界面语言"), max_length=10, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("用户")

    @property
    def role_names(self) -> list[str]:
        return [str(ROLES[r][0]) for r in self.roles if r in ROLES]

    @property
    def display_name(self) -> str:
        return self.first_name or self.username

    def get_reach(self) -> Reach:
        """The subtrees this user may see, cached on the instance for the request."""
        cached = getattr(self, "_reach_cache", None)
        if cached is not None:
            return cached
        if self.is_superuser:
            reach = Reach(unrestricted=True)
        elif self.pk is None:
            reach = Reach()
        else:
            # across requests: the caller cache, until her scopes or the tree change (core.callers)
            reach = callers.remember(self.pk, "reach", self._reach_from_db, local=True)  # a Reach is immutable
        self._reach_cache = reach
        return reach

    def _reach_from_db(self) -> Reach:
        rows = UserScope.objects.filter(user_id=self.pk, unit__is_active=True).values_list("unit__level", "unit_id")
        return Reach(tuple(Subtree(level, unit_id) for level, unit_id in rows))

    def forget_reach(self) -> None:
        self._reach_cache = None


class UserScope(models.Model):
    """One subtree a user may reach; a user may have several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scopes")
    unit = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="user_scope_unique")]


class ApiToken(models.Model):
    """A bearer token; only its hash is stored. Tokens die with the user's activity."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)


class AccountImport(models.Model):
    """One Excel upload of accounts: checked row by row, then created all at once or not at all.

    The file may hold initial passwords and the generated one-time passwords are kept until the
    printable sheet is taken, so both are kept encrypted and wiped as soon as they are not needed.
    """

    class Status(models.TextChoices):
        INVALID = "invalid", gettext_lazy("有错误")
        VALID = "valid", gettext_lazy("校验通过")
        COMMITTED = "committed", gettext_lazy("已导入")
        DISCARDED = "discarded", gettext_lazy("已放弃")

    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("导入人"))
    filename = models.CharField(gettext_lazy("文件名"), max_length=200)
    content_enc = models.BinaryField(editable=False, default=b"")
    sheet_enc = models.BinaryField(editable=False, default=b"")
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=Status.choices)
    rows_total = models.PositiveIntegerField(gettext_lazy("总行数"), default=0)
    errors = models.JSONField(gettext_lazy("错误报告"), default=list, blank=True)
    users_created = models.PositiveIntegerField(gettext_lazy("新增账号"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(gettext_lazy("导入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = gettext_lazy("账号导入")

    def __str__(self) -> str:
        return _("账号导入 {filename}").format(filename=self.filename)
