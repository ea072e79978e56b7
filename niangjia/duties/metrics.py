"""The summary metrics of duty checklists: hand-outs, evidence and item progress (standing.py keeps the two standing metrics): declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from niangjia.core.metrics import Metric, register

MEMBERS = register(Metric("duty_members", "duties.Assignment", "year_start", total="{evidence_count}", category_field="status",
           status_field="standing", label="下发履职清单", area="执委履职", noun="份", total_label="记录佐证",
           perm="duties.view", category_title="清单状态", status_title="完成事项", total_of=lambda a: a.evidence_count))
EVIDENCE = register(Metric("duty_evidence", "duties.Evidence", "day", category_field="kind", status_field="status",
           label="履职佐证", area="执委履职", noun="条", perm="duties.view", category_title="佐证类型",
           counted=("recorded",), counted_label="只计有效佐证（撤回、更正的不计）"))
ITEMS = register(Metric("duty_items", "duties.ItemStanding", "year_start", category_field="item_key", status_field="state",
           label="履职事项", area="执委履职", noun="项", perm="duties.view", category_title="事项", status_title="完成情况",
           labels={"done": "已完成", "partly": "部分完成", "not_started": "未开始"}))
