"""Web UI routes of every app, gathered in one place; each app owns its own urls.py."""

from django.urls import include, path

urlpatterns = [
    path("org/", include("niangjia.org.urls")),
    path("people/", include("niangjia.people.urls")),
    path("stats/", include("niangjia.stats.urls")),
    path("duties/", include("niangjia.duties.urls")),
    path("fieldwork/", include("niangjia.fieldwork.urls")),
    path("contacts/", include("niangjia.contacts.urls")),
    path("", include("niangjia.accounts.urls")),
]
