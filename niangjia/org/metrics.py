"""The summary metrics of organisation building: village women's congress conversions and township regionalisation: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from niangjia.core.metrics import Metric, register

VILLAGE_CONVERSION = register(Metric("village_conversion", "org.VillageConversion", "converted_on", total="{executive_members_added}",
           label="村妇代会改建妇联", area="组织建设", noun="个村", total_label="新增执委",
           total_of=lambda c: c.executive_members_added))
TOWNSHIP_REGIONALISATION = register(Metric("township_regionalisation", "org.TownshipRegionalisation", "completed_on",
           total="{members_after} - {members_before}", label="乡镇妇联区域化建设", area="组织建设", noun="个乡镇",
           total_label="执委增加", total_of=lambda t: t.members_after - t.members_before))
