from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SelectionConfig(AppConfig):
    name = "niangjia.selection"
    label = "selection"
    verbose_name = _("公开选配")

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_demo_loader, register_home_panel, register_nav_item

        from . import demo, metrics, rules, views  # noqa: F401 - rules registers the scoring policy; metrics its summary metrics

        register_nav_item(82, pgettext_lazy("nav", "公开选配"), "/selection/", ("selection.manage",), more=True)
        register_home_panel(60, views.home_panel)
        register_demo_loader(60, "selection", demo.load)
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_export

        from .exports import LISTS

        for name, title, fn in LISTS:
            register_export(name, title, "selection.manage", fn)
