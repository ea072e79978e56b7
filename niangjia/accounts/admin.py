from django.contrib import admin

from niangjia.core.admin_base import ReadOnlyAdmin

from .models import User, UserScope


class UserScopeInline(admin.TabularInline):
    model = UserScope
    raw_id_fields = ("unit",)
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    """Users are managed at /users/, where grants are checked and audited."""

    list_display = ("username", "first_name", "roles", "is_active", "is_superuser", "locked_until", "last_login")
    list_filter = ("is_active", "is_superuser")
    search_fields = ("username", "first_name")
    exclude = ("password",)
    inlines = [UserScopeInline]
