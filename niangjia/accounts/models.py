"""Users: roles grant actions, scopes (subtrees of the tree) limit where."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from niangjia.core.roles import ROLES
from niangjia.core.scope import Reach, Subtree


class User(AbstractUser):
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="users", verbose_name="关联人员"
    )
    roles = models.JSONField("角色", default=list, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # the interface language she chose (settings.LANGUAGES); restored at every login
    language = models.CharField("界面语言", max_length=10, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    @property
    def role_names(self) -> list[str]:
        return [ROLES[r][0] for r in self.roles if r in ROLES]

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
        else:
            rows = self.scopes.filter(unit__is_active=True).values_list("unit__level", "unit_id")
            reach = Reach(tuple(Subtree(level, unit_id) for level, unit_id in rows))
        self._reach_cache = reach
        return reach

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
