import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "niangjia.settings")
application = get_wsgi_application()
# The URL configuration, and with it the API's schemas (some 2,300 pydantic models: about 2 s of CPU), loaded
# now rather than by each worker's first request: with gunicorn's preload_app (deploy/gunicorn.conf.py) the
# workers fork with it loaded, also every time one is recycled (max_requests), instead of answering their
# first requests seconds late.
get_resolver().url_patterns  # noqa: B018 - evaluated for its loading
