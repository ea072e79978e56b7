from django.urls import path

from . import record_views, views

app_name = "fieldwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("stays/", views.stays, name="stays"),
    path("stays/<int:pk>/", views.stay_detail, name="stay"),
    path("stays/behalf/", views.stay_behalf, name="stay_behalf"),
    path("person-search/", views.person_search, name="person_search"),
    path("diaries/", record_views.diaries, name="diaries"),
    path("diaries/new/", record_views.diary_new, name="diary_new"),
    path("diaries/<int:pk>/", record_views.diary_detail, name="diary"),
    path("reports/", record_views.reports, name="reports"),
    path("reports/<int:pk>/", record_views.report_detail, name="report"),
    path("reports/<int:pk>/file/", record_views.report_file, name="report_file"),
    path("proposals/", record_views.proposals, name="proposals"),
    path("proposals/<int:pk>/", record_views.proposal_detail, name="proposal"),
    path("unit/", views.unit_root, name="unit_root"),
    path("unit/<int:pk>/", views.unit_standings, name="unit"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule"),
]
