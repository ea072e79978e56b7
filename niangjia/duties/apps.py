from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DutiesConfig(AppConfig):
    name = "niangjia.duties"
    label = "duties"
    verbose_name = _("履职清单")

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import (
            register_demo_loader,
            register_home_panel,
            register_nav_item,
            register_work_filed,
        )

        from . import demo, metrics, queries, rules, services, standing, views  # noqa: F401 - rules registers the policies; metrics its summary metrics

        # apps.py loads before the models: imported when ready() runs
        from .exports import register as register_exports

        register_exports()

        register_work_filed(services.evidence_from_work)  # a report or proposal filed in fieldwork
        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "duties", demo.load)
        register_nav_item(10, pgettext_lazy("nav", "履职"), "/duties/", ("duties.view", "duties.record"))
