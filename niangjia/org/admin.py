from django.contrib import admin

from niangjia.core.admin_base import ReadOnlyAdmin

from .models import Federation, Organisation, Site, TownshipRegionalisation, VillageConversion


@admin.register(Federation)
class FederationAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "level", "form", "staffing_quota", "is_active")
    list_filter = ("level", "form", "is_active")
    search_fields = ("name", "code", "name_initials")
    raw_id_fields = ("parent",)


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("unit",)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "agency_type", "unit", "is_active")
    list_filter = ("kind", "agency_type", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("unit",)


@admin.register(VillageConversion)
class VillageConversionAdmin(ReadOnlyAdmin):
    list_display = ("unit", "converted_on", "executive_members_added")
    raw_id_fields = ("unit",)


@admin.register(TownshipRegionalisation)
class TownshipRegionalisationAdmin(ReadOnlyAdmin):
    list_display = ("unit", "completed_on", "members_before", "members_after")
    raw_id_fields = ("unit",)
