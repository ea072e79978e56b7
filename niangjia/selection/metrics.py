"""The summary metrics of public selection candidates: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from niangjia.core.metrics import Metric, register

CANDIDATE = register(Metric("selection_candidate", "selection.Candidate", "applied_on", category_field="channel",
           status_field="election", label="公开选配报名", area="评选与选配", noun="人", category_title="报名渠道",
           status_title="选举结果"))
