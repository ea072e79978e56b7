"""The summary metrics of logged work activities: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

ACTIVITY = register(Metric("activity", "stats.ActivityLog", "day", total="{women_reached}", category_field="category",
           label=_("工作活动"), area=_("工作活动"), noun=_("次"), total_label=_("覆盖妇女人次"), total_of=lambda a: a.women_reached, coarse=True))
