from django.apps import AppConfig
from django.utils.translation import gettext_noop


class NeedsConfig(AppConfig):
    name = "niangjia.needs"
    label = "needs"
    verbose_name = "需求台账"

    def ready(self):
        from niangjia.core.extensions import (
            register_demo_loader,
            register_export,
            register_home_panel,
            register_nav_item,
        )
        from niangjia.stats import rollup

        from . import demo, exports, rules, views  # noqa: F401 - rules registers the deadline policy

        for name, (title, perm, fn) in exports.CLI_EXPORTS.items():
            register_export(name, title, perm, fn)

        # services.need_register bumps (need, unit, day, category, status); each pipeline step moves
        # one count from the old status to the new one, so a rebuild from the rows agrees.
        rollup.register("need", rollup.Source("needs.Need", "day", category_field="category", status_field="status"))
        rollup.register("need_channel", rollup.Source("needs.Need", "day", category_field="channel",
                                                       status_field="status"))
        # services.need_escalate bumps (need_overdue, need's unit, escalation day, category)
        rollup.register("need_overdue", rollup.Source("needs.NeedEscalation", "day", category_field="category"))
        # services_catalogue.order_create bumps (service_order, need's unit, day, service category, status)
        rollup.register("service_order", rollup.Source("needs.ServiceOrder", "day", category_field="category",
                                                       status_field="status"))
        register_nav_item(40, gettext_noop("需求台账"), "/needs/", ("needs.view",))
        register_home_panel(40, views.home_panel)
        register_demo_loader(40, "needs", demo.load)
