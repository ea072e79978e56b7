from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from niangjia.api import api
from niangjia.core import health, monitoring
from niangjia.core.routing import indexed

urlpatterns = [
    path("django-admin/", admin.site.urls),
    indexed(path("api/", api.urls)),  # tries only the routes a path can match
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", monitoring.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("niangjia.web_urls")),
]

if settings.BENCH_FLOOR:  # only for `niangjia bench`'s intake section (NIANGJIA_BENCH_FLOOR=1), never by default
    urlpatterns.insert(0, path("bench/floor", health.bench_floor, name="bench-floor"))

# A 500 names the request id, never a traceback (JSON under /api/).
handler500 = "niangjia.core.http_errors.server_error"
