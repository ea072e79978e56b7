from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "niangjia.contacts"
    label = "contacts"
    verbose_name = "直接联系"

    def ready(self):
        from niangjia.core.extensions import register_demo_loader, register_home_panel
        from niangjia.stats import rollup

        from . import demo, rules, tally, views  # noqa: F401 - rules registers the policies
        from .exports import register as register_exports

        register_exports()
        from .services import METRIC

        # contacts.services.event_record bumps (contact_event, plan unit, day, category=channel)
        rollup.register(METRIC, rollup.Source("contacts.ContactEvent", "day", category_field="channel"))
        # contacts.tally (called by the services and contacts_overdue) keeps these plan columns and rows
        rollup.register(tally.PLANS, rollup.Source("contacts.ContactPlan", "year_start", total="{targets_n}",
                                                   category_field="kind", status_field="standing"))
        rollup.register(tally.OVERDUE, rollup.Source("contacts.ContactPlan", "year_start", total="{overdue_n}",
                                                     category_field="kind", status_field="overdue_state"))
        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "contacts", demo.load)
