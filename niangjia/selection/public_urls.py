"""Public (no-login) pages of this app, mounted at /p/selection/."""

from django.urls import path

from . import public_views

app_name = "selection_public"

urlpatterns = [
    path("", public_views.calls, name="calls"),
    path("<int:pk>/", public_views.apply, name="apply"),
    path("score/<str:token>/", public_views.score, name="score"),
]
