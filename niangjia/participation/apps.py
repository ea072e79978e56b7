from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "niangjia.participation"
    label = "participation"
    verbose_name = "意见征集、意见箱与活动"

    def ready(self):
        from niangjia.core.extensions import register_demo_loader, register_home_panel, register_nav_item

        from . import demo, metrics, rules, views  # noqa: F401 - rules registers the policies; metrics its summary metrics

        register_nav_item(60, "意见征集与活动", "/participation/", ("participation.view", "participation.manage"))
        register_home_panel(60, views.home_panel)
        register_demo_loader(60, "participation", demo.load)
        from niangjia.core.extensions import register_export

        from .exports import LISTS

        for name, title, fn in LISTS:
            register_export(name, title, "participation.view", fn)
