from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "niangjia.contacts"
    label = "contacts"
    verbose_name = _("直接联系")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_demo_loader, register_home_panel

        from . import demo, metrics, rules, tally, views  # noqa: F401 - rules registers the policies; metrics its summary metrics

        # apps.py loads before the models: imported when ready() runs
        from .exports import register as register_exports

        register_exports()

        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "contacts", demo.load)
