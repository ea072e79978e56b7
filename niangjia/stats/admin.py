from django.contrib import admin

from niangjia.core.admin_base import ReadOnlyAdmin

from .models import ActivityLog


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyAdmin):
    list_display = ("day", "category", "title", "unit", "women_reached")
    list_filter = ("category",)
    date_hierarchy = "day"
    raw_id_fields = ("unit", "created_by")
