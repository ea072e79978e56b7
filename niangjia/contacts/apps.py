from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContactsConfig(AppConfig):
    name = "niangjia.contacts"
    label = "contacts"
    verbose_name = _("直接联系")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_demo_loader, register_home_panel, register_nav_item

        from . import demo, metrics, rules, tally, views  # noqa: F401 - rules registers the policies; metrics its summary metrics

        # apps.py loads before the models: imported when ready() runs
        from .exports import register as register_exports

        register_exports()

        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "contacts", demo.load)
        register_nav_item(30, pgettext_lazy("nav", "联系群众"), "/contacts/", ("contacts.view", "contacts.record"))
