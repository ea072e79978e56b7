from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "niangjia.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from django.conf import settings

        from . import checks, errortracking  # noqa: F401 - registers the system checks

        errortracking.init(getattr(settings, "SENTRY_DSN", ""))
