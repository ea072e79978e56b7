"""The Django admin is for superusers to browse; writes go through the services (scoped, audited)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: every change in Niangjia is made by a service that audits it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
