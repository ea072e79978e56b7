from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "niangjia.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from niangjia.core.extensions import register_bench, register_demo_loader, register_nav_item
        from niangjia.stats.rollup import Source, register

        from . import bench, demo

        # services._move bumps (report_value, unit, period, category="<form>.<field>", status, total=scaled)
        # for each numeric figure of a submitted or approved report; Value rows carry the same keys.
        register("report_value", Source("reports.Value", "period", total="{scaled}", category_field="metric_key",
                                        status_field="status"))
        register_nav_item(65, "统计报表", "/reports/", ("reports.view",))
        register_demo_loader(65, "reports", demo.load)
        register_bench(65, bench.TITLE, bench.run)
