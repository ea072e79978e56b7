from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "niangjia.fieldwork"
    label = "fieldwork"
    verbose_name = "下基层蹲点"

    def ready(self):
        from niangjia.core.extensions import register_demo_loader, register_home_panel
        from niangjia.stats import rollup

        from . import demo, rules, views  # noqa: F401 - rules registers the policy presets
        from .exports import register as register_exports

        register_exports()

        # fieldwork.services bump these in the writer's transaction; a stay counts in the month it starts.
        rollup.register("field_days", rollup.Source("fieldwork.FieldStay", "start", total="{days}",
                                                    category_field="kind", status_field="status"))
        rollup.register("diary", rollup.Source("fieldwork.Diary", "date", total="{women_met}"))
        rollup.register("research_report", rollup.Source("fieldwork.ResearchReport", "date"))
        rollup.register("proposal", rollup.Source("fieldwork.Proposal", "date", status_field="status"))
        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "fieldwork", demo.load)
