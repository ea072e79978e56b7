from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "niangjia.stats"
    label = "stats"
    verbose_name = "统计"

    def ready(self):
        from niangjia.core.extensions import register_bench

        from . import bench

        register_bench(90, bench.TITLE, bench.run)
