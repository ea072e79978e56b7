"""The summary metrics of duty checklists: hand-outs, evidence and item progress (standing.py keeps the two standing metrics): declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

MEMBERS = register(Metric("duty_members", "duties.Assignment", "year_start", total="{evidence_count}", category_field="status",
           status_field="standing", label=_("下发履职清单"), area=_("执委履职"), noun=_("份"), total_label=_("记录佐证"),
           perm="duties.view", category_title=_("清单状态"), status_title=_("完成事项"), total_of=lambda a: a.evidence_count))
EVIDENCE = register(Metric("duty_evidence", "duties.Evidence", "day", category_field="kind", status_field="status",
           label=_("履职佐证"), area=_("执委履职"), noun=_("条"), perm="duties.view", category_title=_("佐证类型"),
           counted=("recorded",), counted_label=_("只计有效佐证（撤回、更正的不计）")))
ITEMS = register(Metric("duty_items", "duties.ItemStanding", "year_start", category_field="item_key", status_field="state",
           label=_("履职事项"), area=_("执委履职"), noun=_("项"), perm="duties.view", category_title=_("事项"), status_title=_("完成情况"),
           labels={"done": _("已完成"), "partly": _("部分完成"), "not_started": _("未开始")}))
