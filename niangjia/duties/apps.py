from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "niangjia.duties"
    label = "duties"
    verbose_name = "履职清单"
