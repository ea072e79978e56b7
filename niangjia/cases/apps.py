from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CasesConfig(AppConfig):
    name = "niangjia.cases"
    label = "cases"
    verbose_name = _("维权个案")

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import (
            register_bench,
            register_demo_loader,
            register_export,
            register_home_panel,
            register_nav_item,
        )
        from niangjia.people.queries import register_case_party_access

        from . import approvals, bench, demo, exports, metrics, queries, rules, views  # noqa: F401 - rules registers the follow-up policy; metrics its summary metrics

        # need-to-know: case rows only for those on the case (audited), counts for everyone with cases.view
        for name, (title, perm, fn) in exports.CLI_EXPORTS.items():
            register_export(name, title, perm, fn)

        # complainants added by case intake are case parties: visible in people pages only to those on her case
        register_case_party_access(queries.case_parties_known_to)

        register_nav_item(50, pgettext_lazy("nav", "维权个案"), "/cases/", ("cases.view", "cases.handle"))
        register_nav_item(51, pgettext_lazy("nav", "12338 热线"), "/cases/hotline/", ("hotline.intake",))
        register_home_panel(60, views.home_panel)
        register_demo_loader(60, "cases", demo.load)
        register_bench(60, bench.TITLE, bench.run)
