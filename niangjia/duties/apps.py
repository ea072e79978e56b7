from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "niangjia.duties"
    label = "duties"
    verbose_name = "履职清单"

    def ready(self) -> None:
        from niangjia.core.extensions import register_bench, register_demo_loader, register_home_panel
        from niangjia.stats.rollup import Source, register

        from . import bench, demo, rules, standing, views  # noqa: F401 - rules registers the policies
        from .exports import register as register_exports

        register_exports()

        register(
            "duty_evidence",
            # services.evidence_record bumps (duty_evidence, unit, day, category=kind, status=recorded);
            # withdraw/correct move one count from recorded to withdrawn/superseded.
            Source("duties.Evidence", "day", category_field="kind", status_field="status"),
        )
        # services.refresh_progress / assignment_hand_out bump these (duties/standing.py): members by
        # "done/total" standing per year, items by state per year; the fact rows carry the same keys.
        register(standing.MEMBERS, Source("duties.Assignment", "year_start", total="{evidence_count}",
                                          category_field="status", status_field="standing"))
        register(standing.ITEMS, Source("duties.ItemStanding", "year_start", category_field="item_key",
                                        status_field="state"))
        register_bench(40, bench.TITLE, bench.run)
        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "duties", demo.load)
