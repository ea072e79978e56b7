from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("export/", views.person_export, name="export"),
    path("units/", views.unit_options, name="unit_options"),
    path("new/", views.person_create, name="create"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("merge/", views.merge, name="merge"),
    path("import/", views.import_home, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/step/", views.import_step, name="import_step"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("import/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/active/", views.person_set_active, name="set_active"),
    path("<int:pk>/reveal/<str:field>/", views.person_reveal, name="reveal"),
    path("<int:pk>/posts/new/", views.post_create, name="post_create"),
]
