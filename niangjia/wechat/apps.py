from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WechatConfig(AppConfig):
    name = "niangjia.wechat"
    label = "wechat"
    verbose_name = _("微信公众号接入")

    def ready(self) -> None:
        # apps.py loads before the models: imported when ready() runs
        from niangjia.core import callers
        from niangjia.core.extensions import register_bench, register_demo_loader, register_nav_item

        from . import demo, intake_load, metrics  # noqa: F401 - metrics declares the app's summary metrics
        from .models import WeChatAccount
        from .queries import ACCOUNTS

        # apps.py loads before the models: imported when ready() runs
        from .services import PERM

        callers.forget_on_change(ACCOUNTS, WeChatAccount)  # the callback's cached accounts

        register_nav_item(85, pgettext_lazy("nav", "微信公众号"), "/wechat/", (PERM,), more=True)
        register_demo_loader(60, "wechat", demo.load)
        register_bench(60, "Intake at 50 clients against its floor", intake_load.run)
