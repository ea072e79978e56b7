from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/quotas/", views.quota_set, name="quota_set"),
    path("<int:pk>/phase/", views.phase_advance, name="phase"),
    path("<int:pk>/nominations/", views.nomination_list, name="nominations"),
    path("<int:pk>/nominate/", views.nomination_create, name="nominate"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/print/", views.results_print, name="results_print"),
    path("<int:pk>/objections/", views.objections, name="objections"),
    path("<int:pk>/ballots/", views.ballots, name="ballots"),
    path("ballots/<int:pk>/void/", views.ballot_void, name="ballot_void"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/consent/", views.consent_record, name="consent"),
    path("nominations/<int:pk>/consent-link/", views.consent_link, name="consent_link"),
    path("nominations/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("nominations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="answer"),
]
