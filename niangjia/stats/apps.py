from django.apps import AppConfig
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "niangjia.stats"
    label = "stats"
    verbose_name = _("统计")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import (
            register_bench,
            register_export,
            register_home_dashboard,
            register_nav_item,
        )

        from . import bench, cadre_bench, figures, metrics, views  # noqa: F401 - metrics declares the app's summary metric

        register_home_dashboard(views.home_dashboard)
        register_bench(40, cadre_bench.TITLE, cadre_bench.run)
        register_bench(90, bench.TITLE, bench.run)
        register_export("figures", gettext("各项工作汇总（近 12 个月）"), "stats.view", figures.export_rows)
        register_nav_item(70, pgettext_lazy("nav", "统计"), "/stats/", ("stats.view",))
