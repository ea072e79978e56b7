"""The summary metrics of rights-protection cases and referrals: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niangjia.core.metrics import Metric, register

CASE = register(Metric("case", "cases.Case", "opened_on", category_field="case_type", status_field="status", label=_("维权个案"),
           area=_("维权"), noun=_("件"), perm="cases.view", category_title=_("类型")))
CASE_RISK = register(Metric("case_risk", "cases.Case", "opened_on", category_field="risk_level", status_field="status",
           label=_("维权个案（按风险等级）"), area=_("维权"), noun=_("件"), perm="cases.view", category_title=_("风险等级"),
           view_of="case"))
REFERRAL = register(Metric("case_referral", "cases.Referral", "sent_on", category_field="agency_kind", status_field="status",
           label=pgettext_lazy("metric", "转介"), area=_("维权"), noun=_("次"), perm="cases.view", category_title=_("转介机构")))
