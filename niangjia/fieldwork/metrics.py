"""The summary metrics of field stays, diaries, research reports and proposals: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

FIELD_DAYS = register(Metric("field_days", "fieldwork.FieldStay", "start", total="{days}", category_field="kind", status_field="status",
           label=_("下基层蹲点"), area=_("下基层"), noun=_("次"), total_label=_("蹲点天数"), perm="fieldwork.view",
           category_title=_("形式"), total_of=lambda s: s.days, counted=("done",), counted_label=_("只计已完成的蹲点")))
DIARY = register(Metric("diary", "fieldwork.Diary", "date", total="{women_met}", label=_("妇情日记"), area=_("下基层"), noun=_("篇"),
           total_label=_("接触妇女人次"), perm="fieldwork.view", total_of=lambda d: d.women_met))
RESEARCH_REPORT = register(Metric("research_report", "fieldwork.ResearchReport", "date", label=_("调研报告"), area=_("下基层"), noun=_("篇"),
           perm="fieldwork.view"))
PROPOSAL = register(Metric("proposal", "fieldwork.Proposal", "date", status_field="status", label=_("建议案"), area=_("下基层"), noun=_("份"),
           perm="fieldwork.view"))
