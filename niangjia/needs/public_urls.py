"""Public (no-login) pages of this app, mounted at /p/needs/."""

from django.urls import path

from . import public_views

app_name = "needs_public"

urlpatterns = [
    path("", public_views.pick_village, name="pick"),
    path("v/<int:pk>/", public_views.village, name="village"),
    path("done/<str:code>/", public_views.done, name="done"),
    path("track/", public_views.track, name="track"),
]
