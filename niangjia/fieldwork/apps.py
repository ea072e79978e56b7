from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "niangjia.fieldwork"
    label = "fieldwork"
    verbose_name = "下基层蹲点"

    def ready(self):
        from niangjia.core.extensions import register_demo_loader, register_home_panel

        from . import demo, metrics, rules, views  # noqa: F401 - rules registers the policy presets; metrics its summary metrics
        from .exports import register as register_exports

        register_exports()

        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "fieldwork", demo.load)
