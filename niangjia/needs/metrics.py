"""The summary metrics of the needs ledger and its service orders: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

NEED = register(Metric("need", "needs.Need", "day", category_field="category", status_field="status", label=_("妇女需求"),
           area=_("需求与服务"), noun=_("件"), perm="needs.view"))
NEED_CHANNEL = register(Metric("need_channel", "needs.Need", "day", category_field="channel", status_field="status",
           label=_("妇女需求（按来源渠道）"), area=_("需求与服务"), noun=_("件"), perm="needs.view", category_title=_("渠道"),
           view_of="need"))
NEED_OVERDUE = register(Metric("need_overdue", "needs.NeedEscalation", "day", category_field="category", label=_("超期上报的需求"),
           area=_("需求与服务"), noun=_("件"), perm="needs.view"))
SERVICE_ORDER = register(Metric("service_order", "needs.ServiceOrder", "day", category_field="category", status_field="status",
           label=_("服务订单"), area=_("需求与服务"), noun=_("单"), perm="needs.view"))
