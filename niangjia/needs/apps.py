from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "niangjia.needs"
    label = "needs"
    verbose_name = "需求台账"
