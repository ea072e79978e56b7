"""Public (no-login) pages of this app, mounted at /p/needs/."""

from django.urls import path

from .views import public

app_name = "needs_public"

urlpatterns = [
    path("", public.pick_village, name="pick"),
    path("v/<int:pk>/", public.village, name="village"),
    path("done/<str:code>/", public.done, name="done"),
    path("track/", public.track, name="track"),
]
