"""Web UI routes of every app, gathered in one place."""

from django.urls import include, path

urlpatterns = [
    path("", include("niangjia.accounts.urls")),
]
