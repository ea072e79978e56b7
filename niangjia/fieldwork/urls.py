from django.urls import path

from . import views
from .views import records

app_name = "fieldwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("stays/", views.stays, name="stays"),
    path("stays/<int:pk>/", views.stay_detail, name="stay"),
    path("stays/behalf/", views.stay_behalf, name="stay_behalf"),
    path("person-search/", views.person_search, name="person_search"),
    path("diaries/", records.diaries, name="diaries"),
    path("diaries/new/", records.diary_new, name="diary_new"),
    path("diaries/<int:pk>/", records.diary_detail, name="diary"),
    path("reports/", records.reports, name="reports"),
    path("reports/<int:pk>/", records.report_detail, name="report"),
    path("reports/<int:pk>/file/", records.report_file, name="report_file"),
    path("proposals/", records.proposals, name="proposals"),
    path("proposals/<int:pk>/", records.proposal_detail, name="proposal"),
    path("unit/", views.unit_root, name="unit_root"),
    path("unit/<int:pk>/", views.unit_standings, name="unit"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule"),
]
