"""Excel rows of reform measures (the measures page's download and `niangjia export reform_measures`)."""


from django.utils.translation import gettext_lazy as _

from niangjia.core import periods
from niangjia.core.scope import under_q

from . import queries, rules

HEADERS = [_("编号"), _("措施"), _("所属组织"), _("牵头部门"), _("责任单位"), _("完成时限"), _("完成年度"), _("状态"), _("启动日期"), _("完成日期"),
           _("是否逾期"), _("最近进展")]


def rows(qs):
    today = periods.today()
    for m in qs.prefetch_related("responsible", "entries"):
        entries = [e for e in m.entries.all() if e.kind in ("note", "milestone", "evidence")]
        last = max(entries, key=lambda e: (e.day, e.id)).text if entries else ""
        yield [m.code, m.title, m.unit.name, m.lead_department, [u.name for u in m.responsible.all()], m.deadline,
               m.due_year, rules.MEASURE_STATUS_NAMES[m.status], m.started_on, m.done_on,
               rules.is_overdue(m.status, m.deadline, today), last]


def measures(user, unit):
    qs = queries.measures_for(user).order_by("deadline", "id")
    if unit is not None:
        qs = qs.filter(under_q(unit))
    return HEADERS, rows(qs)
