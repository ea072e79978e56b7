from django.contrib import admin

from .admin_base import ReadOnlyAdmin
from .models import AuditEntry, IdempotencyKey, PolicyOverride, SummaryCount


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "target_type", "target_id", "summary", "ip", "channel")
    list_filter = ("action", "channel")
    search_fields = ("actor_name", "action", "target_id", "summary")
    date_hierarchy = "at"


@admin.register(PolicyOverride)
class PolicyOverrideAdmin(ReadOnlyAdmin):
    list_display = ("policy_key", "unit", "value", "updated_at")


@admin.register(SummaryCount)
class SummaryCountAdmin(ReadOnlyAdmin):
    list_display = ("metric", "period", "category", "status", "l1", "l2", "l3", "count", "total")
    list_filter = ("metric",)


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ("scope", "key", "created_at", "result_type", "result_id")
