from django.urls import path

from . import views
from .views import policies, quotas, tree_import

app_name = "org"

urlpatterns = [
    path("tree/", views.tree, name="tree"),
    path("tree/<int:pk>/children/", views.tree_children, name="tree_children"),
    path("tree/import/", tree_import.tree_import_home, name="tree_import"),
    path("tree/import/<int:pk>/", tree_import.tree_import_job, name="tree_import_job"),
    path("tree/import/<int:pk>/confirm/", tree_import.tree_import_confirm, name="tree_import_confirm"),
    path("tree/import/<int:pk>/discard/", tree_import.tree_import_discard, name="tree_import_discard"),
    path("search/", views.search, name="search"),
    path("sites/", views.site_list, name="sites"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/active/", views.site_set_active, name="site_active"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/active/", views.organisation_set_active, name="organisation_active"),
    path("conversions/", views.conversion_list, name="conversions"),
    path("policies/", policies.policies_home, name="policies_home"),
    path("<int:pk>/policies/", policies.policy_list, name="policies"),
    path("<int:pk>/policies/<str:key>/", policies.policy_edit, name="policy_edit"),
    path("<int:pk>/policies/<str:key>/clear/", policies.policy_clear, name="policy_clear"),
    path("<int:pk>/quotas/", quotas.quota_page, name="quotas"),
    path("<int:pk>/quotas/new/", quotas.quota_create, name="quota_create"),
    path("quotas/<int:pk>/edit/", quotas.quota_edit, name="quota_edit"),
    path("<int:pk>/", views.federation_detail, name="federation"),
    path("<int:pk>/edit/", views.federation_edit, name="federation_edit"),
    path("<int:pk>/active/", views.federation_set_active, name="federation_active"),
    path("<int:pk>/children/new/", views.federation_create, name="federation_create"),
    path("<int:pk>/sites/new/", views.site_create, name="site_create"),
    path("<int:pk>/organisations/new/", views.organisation_create, name="organisation_create"),
    path("<int:pk>/conversion/new/", views.conversion_create, name="conversion_create"),
    path("<int:pk>/regionalisation/new/", views.regionalisation_create, name="regionalisation_create"),
]
