from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ParticipationConfig(AppConfig):
    name = "niangjia.participation"
    label = "participation"
    verbose_name = _("意见征集、意见箱与活动")

    def ready(self):
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import (
            register_demo_loader,
            register_home_panel,
            register_intake,
            register_nav_item,
        )

        from . import demo, metrics, rules, services, views  # noqa: F401 - rules registers the policies; metrics its summary metrics

        register_nav_item(80, pgettext_lazy("nav", "意见征集与活动"), "/participation/", ("participation.view", "participation.manage"),
                          more=True)
        register_home_panel(60, views.home_panel)
        register_demo_loader(60, "participation", demo.load)
        register_intake("suggestion", services.submit_suggestion)  # wechat's suggestions (core.extensions)
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.access import register_may
        from niangjia.core.roles import has_perm

        from .models import Consultation
        from .queries import owns

        # a consultation seen through its audience is read-only: managing it takes owning it ({% can %})
        register_may("participation.manage", Consultation,
                     lambda user, c: has_perm(user, "participation.manage") and owns(user, c))
        register_may("participation.own", Consultation, owns)
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core.extensions import register_export

        from .exports import LISTS

        for name, title, fn in LISTS:
            register_export(name, title, "participation.view", fn)
