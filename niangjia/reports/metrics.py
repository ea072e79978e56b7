"""The summary metric of report forms: the figures of submitted and approved reports, declared once here.

services._count moves (report_value, unit, period, category="<form>.<field>", status, total=scaled)
for each numeric figure of a report; Value rows carry the same keys, so a rebuild agrees.
"""

from niangjia.core.metrics import Metric, register

VALUE = register(Metric("report_value", "reports.Value", "period", total="{scaled}", category_field="metric_key",
                        status_field="status", label="统计报表数值", area="统计报表", noun="项",
                        total_label="合计", perm="reports.view"))
