from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContactsConfig(AppConfig):
    name = "niangjia.contacts"
    label = "contacts"
    verbose_name = "直接联系"

    def ready(self):
        from niangjia.core.extensions import register_demo_loader, register_home_panel

        from . import demo, metrics, rules, tally, views  # noqa: F401 - rules registers the policies; metrics its summary metrics
        from .exports import register as register_exports

        register_exports()

        register_home_panel(30, views.home_panel)
        # Migration follow-up, not business logic: plans a data migration left unchecked are
        # checked with the live rules once every migration has run (contacts 0002, tally).
        post_migrate.connect(lambda **kw: tally.check_unchecked(), sender=self, weak=False,
                             dispatch_uid="contacts.check_unchecked")
        register_demo_loader(30, "contacts", demo.load)
