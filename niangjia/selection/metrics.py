"""The summary metrics of public selection candidates: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

CANDIDATE = register(Metric("selection_candidate", "selection.Candidate", "applied_on", category_field="channel",
           status_field="election", label=_("公开选配报名"), area=_("评选与选配"), noun=_("人"), category_title=_("报名渠道"),
           status_title=_("选举结果")))
