from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "niangjia.org"
    label = "org"
    verbose_name = "组织体系"

    def ready(self):
        from . import metrics  # noqa: F401 - declares the app's summary metrics (core.metrics)
