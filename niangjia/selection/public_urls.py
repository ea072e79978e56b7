"""Public (no-login) pages of this app, mounted at /p/selection/."""

from django.urls import path

from .views import public

app_name = "selection_public"

urlpatterns = [
    path("", public.calls, name="calls"),
    path("<int:pk>/", public.apply, name="apply"),
    path("score/<str:token>/", public.score, name="score"),
]
