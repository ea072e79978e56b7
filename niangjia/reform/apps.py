from django.apps import AppConfig


class ReformConfig(AppConfig):
    name = "niangjia.reform"
    label = "reform"
    verbose_name = "改革推进"

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_demo_loader, register_export, register_nav_item

        from . import demo, exports, rules  # noqa: F401 - rules registers the overdue policy

        register_nav_item(60, "改革推进", "/reform/", ("reform.view",))
        register_demo_loader(60, "reform", demo.load)
        register_export("reform_measures", "改革措施", "reform.view", exports.measures)
