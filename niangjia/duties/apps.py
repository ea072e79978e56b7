from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "niangjia.duties"
    label = "duties"
    verbose_name = "履职清单"

    def ready(self) -> None:
        from niangjia.core.extensions import register_demo_loader, register_home_panel
        from niangjia.stats.rollup import Source, register

        from . import demo, rules, views  # noqa: F401 - rules registers the policies

        register(
            "duty_evidence",
            # services.evidence_record bumps (duty_evidence, unit, day, category=kind, status=recorded);
            # withdraw/correct move one count from recorded to withdrawn/superseded.
            Source("duties.Evidence", "day", category_field="kind", status_field="status"),
        )
        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "duties", demo.load)
