"""The summary metrics of suggestions, consultation answers, activity registrations and ratings: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niangjia.core.metrics import Metric, register

SUGGESTION = register(Metric("suggestion", "participation.Suggestion", "day", category_field="channel", label=_("意见箱来信"),
           area=_("妇女参与"), noun=_("封"), perm="participation.view", category_title=_("渠道")))
RESPONSE = register(Metric("participation_response", "participation.Response", "day", category_field="channel",
           label=_("意见征集答卷"), area=_("妇女参与"), noun=_("份"), perm="participation.view", category_title=_("渠道")))
REGISTRATION = register(Metric("participation_registration", "participation.Registration", "day", status_field="status",
           label=_("活动报名"), area=_("妇女参与"), noun=pgettext_lazy("sign-ups", "人次"), perm="participation.view"))
RATING = register(Metric("participation_rating", "participation.Rating", "day", total="{score}", label=_("活动评价"), area=_("妇女参与"),
           noun=_("次"), total_label=_("平均评分（1–5）"), perm="participation.view", mean=True, total_of=lambda r: r.score))
