from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrgConfig(AppConfig):
    name = "niangjia.org"
    label = "org"
    verbose_name = _("组织体系")

    def ready(self):
        # ready() runs once the app registry is loaded: the modules below import models
        from niangjia.core.extensions import (
            register_export,
            register_nav_item,
            register_unit_finder,
            register_unit_lookup,
        )

        from . import metrics, queries  # noqa: F401 - declares the app's summary metrics (core.metrics)

        # apps.py loads before the models: imported when ready() runs
        from .exports import LISTS, unit_by_code

        for name, (title, perm, fn) in LISTS.items():
            register_export(name, title, perm, fn)
        register_unit_finder(unit_by_code)
        register_unit_lookup(get=queries.get_federation_for, roots=queries.tree_roots_for)  # core.web.unit_of
        register_nav_item(5, pgettext_lazy("nav", "组织体系"), "/org/tree/", (), more=True)  # (): every user
        register_nav_item(90, pgettext_lazy("nav", "制度参数"), "/org/policies/", ("policy.edit",), more=True)
