"""The summary metrics of direct-contact plans and contact events: declared once here (facts, dimensions, words).

Services move them (`Metric.move`), queries read them (`Metric.counts`), and the rollup and the
figures pages list them from core.metrics.REGISTRY.
"""

from django.utils.translation import gettext_lazy as _

from niangjia.core.metrics import Metric, register

PLANS = register(Metric("contact_plans", "contacts.ContactPlan", "year_start", total="{targets_n}", category_field="kind",
           status_field="standing", label=_("直接联系计划"), area=_("直接联系群众"), noun=_("份"), total_label=_("联系对象"),
           perm="contacts.view", category_title=_("计划类型"), status_title=_("是否齐全"),
           labels={"complete": _("齐全"), "incomplete": _("未齐全")}))
OVERDUE = register(Metric("contact_overdue", "contacts.ContactPlan", "year_start", total="{overdue_n}", category_field="kind",
           status_field="overdue_state", label=_("直接联系计划（久未联系）"), area=_("直接联系群众"), noun=_("份"),
           total_label=_("久未联系的对象"), perm="contacts.view", category_title=_("计划类型"), status_title=_("久未联系"),
           labels={"overdue": _("有久未联系"), "ok": _("都有联系")}, view_of="contact_plans"))
EVENT = register(Metric("contact_event", "contacts.ContactEvent", "day", category_field="channel", label=_("联系群众"),
           area=_("直接联系群众"), noun=_("次"), perm="contacts.view", category_title=_("方式")))

# The statuses the two metrics count plans under (written by tally, read by queries).
COMPLETE, INCOMPLETE = "complete", "incomplete"
LATE, OK = "overdue", "ok"
