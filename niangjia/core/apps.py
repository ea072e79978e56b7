from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "niangjia.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from django.conf import settings

        from . import checks, errortracking  # noqa: F401 - registers the system checks

        errortracking.init(getattr(settings, "SENTRY_DSN", ""))

        # models again: only once ready() runs
        from . import callers
        from .models import PolicyOverride

        callers.forget_on_change(callers.POLICIES, PolicyOverride)  # resolved policies are cached (core.policies)
