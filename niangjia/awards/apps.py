from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AwardsConfig(AppConfig):
    name = "niangjia.awards"
    label = "awards"
    verbose_name = _("评选表彰")

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_demo_loader, register_home_panel, register_nav_item

        from . import demo, metrics, queries, rules, views  # noqa: F401 - metrics declares the app's summary metrics

        rules.register_policies()
        register_nav_item(81, pgettext_lazy("nav", "评选表彰"), "/awards/", ("awards.manage",), more=True)
        register_home_panel(60, views.home_panel)
        register_demo_loader(60, "awards", demo.load)
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_export

        from .exports import LISTS

        for name, title, fn in LISTS:
            register_export(name, title, "awards.manage", fn)
