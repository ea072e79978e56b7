from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "niangjia.needs"
    label = "needs"
    verbose_name = "需求台账"

    def ready(self):
        from niangjia.stats import rollup

        # needs.services.need_register bumps (need, unit, day, category, status)
        rollup.register("need", rollup.Source("needs.Need", "day", category_field="category", status_field="status"))
