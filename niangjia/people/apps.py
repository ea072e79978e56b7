from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "niangjia.people"
    label = "people"
    verbose_name = "人员与职务"

    def ready(self):
        from niangjia.core.extensions import register_bench

        from . import bench

        register_bench(30, bench.TITLE, bench.run)
