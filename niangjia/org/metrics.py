"""The summary metrics of organisation building: village women's congress conversions and township regionalisation: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

VILLAGE_CONVERSION = register(Metric("village_conversion", "org.VillageConversion", "converted_on", total="{executive_members_added}",
           label=_("村妇代会改建妇联"), area=_("组织建设"), noun=_("个村"), total_label=_("新增执委"),
           total_of=lambda c: c.executive_members_added))
TOWNSHIP_REGIONALISATION = register(Metric("township_regionalisation", "org.TownshipRegionalisation", "completed_on",
           total="{members_after} - {members_before}", label=_("乡镇妇联区域化建设"), area=_("组织建设"), noun=_("个乡镇"),
           total_label=_("执委增加"), total_of=lambda t: t.members_after - t.members_before))
