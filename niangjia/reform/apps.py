from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class ReformConfig(AppConfig):
    name = "niangjia.reform"
    label = "reform"
    verbose_name = gettext_lazy("改革推进")

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_demo_loader, register_export, register_nav_item

        from . import demo, exports, queries, rules  # noqa: F401 - rules registers the overdue policy

        register_nav_item(83, pgettext_lazy("nav", "改革推进"), "/reform/", ("reform.view",), more=True)
        register_demo_loader(60, "reform", demo.load)
        register_export("reform_measures", _("改革措施"), "reform.view", exports.measures)
