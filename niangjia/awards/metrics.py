"""The summary metrics of award rounds: nominations, ballots and objections: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niangjia.core.metrics import Metric, register

NOMINATION = register(Metric("award_nomination", "awards.Nomination", "day", category_field="kind", label=_("评选推荐"),
           area=_("评选与选配"), noun=pgettext_lazy("nominations", "人次"), category_title=_("推荐方式")))
BALLOT = register(Metric("award_ballot", "awards.Ballot", "day", label=_("群众评议票"), area=_("评选与选配"), noun=_("张")))
OBJECTION = register(Metric("award_objection", "awards.Objection", "day", label=_("公示期异议"), area=_("评选与选配"), noun=_("件")))
