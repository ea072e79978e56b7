"""The metric of report forms, declared once: each numeric figure of a submitted or approved report
(a `Value` fact), by category "<form id>.<field key>" and the report's status; the total is the value
(decimals × 100)."""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

REPORT_VALUE = register(Metric("report_value", "reports.Value", "period", total="{scaled}", category_field="metric_key",
                               status_field="status", label=_("统计报表填报数"), area=_("组织建设"), noun=_("个数"),
                               total_label=_("合计"), perm="reports.view", total_of=lambda v: v.scaled,
                               # not a card of its own: each form's totals are read on /reports/ (per field)
                               view_of="report_value"))
