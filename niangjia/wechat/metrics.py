"""The summary metrics of official-account messages: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

MESSAGE = register(Metric("wechat_message", "wechat.WeChatMessage", "day", category_field="outcome", label=_("微信公众号留言"),
           area=_("需求与服务"), noun=_("条"), perm="needs.view", category_title=_("去向")))
