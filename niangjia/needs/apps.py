from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NeedsConfig(AppConfig):
    name = "niangjia.needs"
    label = "needs"
    verbose_name = _("需求台账")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core import callers
        from niangjia.core.extensions import (
            register_demo_loader,
            register_export,
            register_home_panel,
            register_nav_item,
        )

        from . import demo, exports, metrics, queries, rules, views  # noqa: F401 - rules registers the deadline policy; metrics its summary metrics
        from .models import ProviderArea, Service, ServiceProvider

        callers.forget_on_change(queries.CATALOGUE, Service, ServiceProvider, ProviderArea)  # the public form's cached catalogue

        for name, (title, perm, fn) in exports.CLI_EXPORTS.items():
            register_export(name, title, perm, fn)

        register_nav_item(40, pgettext_lazy("nav", "需求台账"), "/needs/", ("needs.view",))
        register_home_panel(40, views.home_panel)
        register_demo_loader(40, "needs", demo.load)
