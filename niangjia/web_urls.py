"""Web UI routes of every app, gathered in one place; each app owns its own urls.py."""

from django.urls import include, path

urlpatterns = [
    path("org/", include("niangjia.org.urls")),
    path("people/", include("niangjia.people.urls")),
    path("stats/", include("niangjia.stats.urls")),
    path("duties/", include("niangjia.duties.urls")),
    path("fieldwork/", include("niangjia.fieldwork.urls")),
    path("contacts/", include("niangjia.contacts.urls")),
    path("needs/", include("niangjia.needs.urls")),
    path("cases/", include("niangjia.cases.urls")),
    path("participation/", include("niangjia.participation.urls")),
    path("awards/", include("niangjia.awards.urls")),
    path("selection/", include("niangjia.selection.urls")),
    path("wechat/", include("niangjia.wechat.urls")),
    path("reform/", include("niangjia.reform.urls")),
    path("reports/", include("niangjia.reports.urls")),
    # public pages for women, no login (core.public): /p/<app>/...
    *[path(f"p/{app}/", include(f"niangjia.{app}.public_urls"))
      for app in ("needs", "cases", "participation", "awards", "selection", "wechat")],
    path("", include("niangjia.accounts.urls")),
]
