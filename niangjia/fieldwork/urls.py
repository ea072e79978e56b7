from django.urls import path

from . import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.index, name="index"),
    path("stays/", views.stays, name="stays"),
    path("stays/<int:pk>/", views.stay_detail, name="stay"),
    path("stays/behalf/", views.stay_behalf, name="stay_behalf"),
    path("person-search/", views.person_search, name="person_search"),
    path("diaries/", views.diaries, name="diaries"),
    path("diaries/new/", views.diary_new, name="diary_new"),
    path("diaries/<int:pk>/", views.diary_detail, name="diary"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("proposals/", views.proposals, name="proposals"),
    path("unit/", views.unit_root, name="unit_root"),
    path("unit/<int:pk>/", views.unit_standings, name="unit"),
    path("rules/", views.rules_page, name="rules"),
]
