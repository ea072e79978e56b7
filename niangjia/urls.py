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

# A 500 names the request id, never a traceback (JSON under /api/).
handler500 = "niangjia.core.http_errors.server_error"
