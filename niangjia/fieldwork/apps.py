from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class FieldworkConfig(AppConfig):
    name = "niangjia.fieldwork"
    label = "fieldwork"
    verbose_name = gettext_lazy("下基层蹲点")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import (
            register_demo_loader,
            register_home_panel,
            register_nav_item,
            register_work,
        )

        from . import demo, metrics, queries, rules, views  # noqa: F401 - rules registers the policy presets; metrics its summary metrics

        # apps.py loads before the models: imported when ready() runs
        from .exports import register as register_exports
        from .models import Diary, Proposal, ResearchReport

        perms = ("fieldwork.record", "fieldwork.view")

        register_exports()

        # the works a duty checklist may link to (duties reads them through core.extensions)
        register_work("report", _("调研报告"), ResearchReport, queries.reports_for, perms)
        register_work("proposal", _("建议案"), Proposal, queries.proposals_for, perms)
        register_work("diary", _("妇情日记"), Diary, queries.diaries_for, perms)
        register_home_panel(30, views.home_panel)
        register_demo_loader(30, "fieldwork", demo.load)
        register_nav_item(20, pgettext_lazy("nav", "下基层"), "/fieldwork/", perms)
