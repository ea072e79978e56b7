from django.contrib import admin

from niangjia.core.admin_base import ReadOnlyAdmin

from .models import Person, Post


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Masked values only; revealing goes through the audited person page."""

    list_display = ("name", "gender", "phone_mask", "id_number_mask", "unit", "grassroots_frontline", "is_active")
    list_filter = ("gender", "grassroots_frontline", "is_active")
    search_fields = ("name", "name_initials", "name_pinyin")
    exclude = ("phone_enc", "id_number_enc", "address_enc", "phone_bidx", "id_number_bidx")
    raw_id_fields = ("unit", "merged_into")

    def get_queryset(self, request):
        # The admin is for superusers, who see case parties everywhere else too.
        return Person.objects.select_related("unit")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("person", "unit", "body", "title", "tenure", "is_active")
    list_filter = ("body", "tenure", "is_active")
    raw_id_fields = ("person", "unit")
