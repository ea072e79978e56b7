from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from niangjia.api import api

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", lambda request: HttpResponse("ok", content_type="text/plain"), name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("niangjia.web_urls")),
]
