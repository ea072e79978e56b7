"""Public (no-login) pages of this app, mounted at /p/awards/."""

from django.urls import path

from .views import public as v

urlpatterns = [
    path("track/", v.track, name="awards_public_track"),
    path("consent/<str:token>/", v.consent, name="awards_public_consent"),
    path("evaluate/<str:token>/", v.evaluate_link, name="awards_public_evaluate_link"),
    path("<str:code>/", v.round_page, name="awards_public_round"),
    path("<str:code>/nominate/", v.nominate, name="awards_public_nominate"),
    path("<str:code>/evaluate/", v.evaluate, name="awards_public_evaluate"),
    path("<str:code>/notice/", v.notice, name="awards_public_notice"),
]
