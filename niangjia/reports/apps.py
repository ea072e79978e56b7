from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportsConfig(AppConfig):
    name = "niangjia.reports"
    label = "reports"
    verbose_name = _("统计报表")

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_bench, register_demo_loader, register_nav_item

        from . import bench, demo, metrics, queries  # noqa: F401 - metrics declares report_value (core.metrics)
        register_nav_item(75, pgettext_lazy("nav", "统计报表"), "/reports/", ("reports.view",), more=True)
        register_demo_loader(65, "reports", demo.load)
        register_bench(65, bench.TITLE, bench.run)
