from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "niangjia.stats"
    label = "stats"
    verbose_name = "统计"
