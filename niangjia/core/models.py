"""Tables of the shared mechanisms: audit, idempotency keys, policy overrides, summaries."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError
from .scope import AncestorColumns


class AppendOnlyError(DomainError):
    status = 500

    def __init__(self):
        super().__init__(_("审计记录只能追加，不能修改或删除"))


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()


class AuditEntry(AncestorColumns):
    """One append-only row per write and per read of sensitive data.

    On PostgreSQL a trigger refuses UPDATE and DELETE; here the model refuses them too.
    """

    # set before saving (not auto_now_add, which would change it after the row's hash was computed)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # the hash chain (core.audit_chain): the row's place, the hash of the row before it, and its own hash
    # over its fields (l1..l6 excepted: they follow moves of the unit, checked by the trigger instead)
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()
    partition_field = "at"  # partitioned by year on it (migration 0007): lists read the recent partitions first

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("审计日志")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()


class AuditChainHead(models.Model):
    """The end of the audit hash chain (one row): its last place and hash. Appending locks this row until the
    action commits, so audit rows are chained in commit order even under concurrent writers."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)


class IdempotencyKey(models.Model):
    """A delivery key seen once; a retry finds the first result instead of making a second record."""

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    result_type = models.CharField(max_length=64, blank=True)
    result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")]


class PolicyOverride(models.Model):
    """A federation's own figures for a policy; its subtree inherits them unless overridden lower."""

    policy_key = models.CharField(max_length=64)
    unit = models.ForeignKey("org.Federation", on_delete=models.CASCADE, related_name="policy_overrides")
    value = models.JSONField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy_key", "unit"], name="policy_key_unit")]


class SummaryCount(models.Model):
    """Counts kept current by writing services, at city grain, for subtree dashboards.

    One row per metric x month x category x status x city; missing levels are 0, not NULL,
    so the unique key works the same on SQLite and PostgreSQL. Holds counts and sums
    (numerator/denominator), never averages.
    """

    metric = models.CharField(max_length=48)
    period = models.DateField(help_text="first day of the month")
    category = models.CharField(max_length=48, default="")
    status = models.CharField(max_length=32, default="")
    l1 = models.BigIntegerField(default=0)
    l2 = models.BigIntegerField(default=0)
    l3 = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0, help_text="sum of a quantity (e.g. women reached)")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period", "category", "status", "l1", "l2", "l3"], name="summary_key"
            )
        ]
        indexes = [
            models.Index(fields=["metric", "l2", "period"], name="summary_l2"),
            models.Index(fields=["metric", "l3", "period"], name="summary_l3"),
            models.Index(fields=["metric", "l1", "period"], name="summary_l1"),
        ]


class RateCounter(models.Model):
    """Hits per (bucket, fixed window) for the public pages' rate limit (core.ratelimit)."""

    bucket = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window_start"], name="ratecounter_bucket_window")]
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window")]


class OneTimeToken(models.Model):
    """A one-time link (core.onetime): only the SHA-256 of the token is stored."""

    purpose = models.CharField(max_length=40)
    digest = models.CharField(max_length=64, unique=True)
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=40)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="onetime_subject")]


class Notification(models.Model):
    """A message to one user inside the platform (core.notify), shown under the bell in the navbar."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox")]


class OutboundMessage(models.Model):
    """An SMS the platform sent (core.sms). The number is kept only as a blind index and a mask."""

    channel = models.CharField(max_length=10, default="sms")
    to_index = models.CharField(max_length=64, db_index=True)
    to_masked = models.CharField(max_length=20)
    purpose = models.CharField(max_length=40)
    body = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class WorkerHeartbeat(models.Model):
    """The task worker's sign of life, written every few seconds by `niangjia worker` (/readyz reads it)."""

    worker = models.CharField(max_length=200, primary_key=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = gettext_lazy("任务进程心跳")
