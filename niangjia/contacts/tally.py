"""Contact plans at city grain: the summary rows behind the national, province and city overview.

Each plan stores what its check found (`standing`: complete / incomplete, `targets_n` active
targets) and how many of its targets have not been heard from (`overdue_n`, `overdue_state`) as
of `checked_on`. Two metrics regroup those columns (stats.rollup sources in apps.py, so
`niangjia rollup --rebuild --metric contact_plans` gives the same rows):

- `contact_plans`: one count per plan, period = 1 January of its year, category = kind,
  status = standing, total = active targets;
- `contact_overdue`: one count per plan, same period and category, status = overdue / ok,
  total = targets not heard from.

The services refresh a plan in the writer's transaction whenever its targets or contacts
change; the daily `contacts_overdue` command refreshes every plan whose silence crossed the
policy's days (and after a change of the thresholds), so the dashboard is at most a day old.
"""

from datetime import date

from django.db import transaction

from niangjia.core import periods
from niangjia.core.metrics import write

from . import metrics
from .models import ContactPlan
from .queries import judge, targets_of

PLANS = metrics.PLANS.name
OVERDUE = metrics.OVERDUE.name
COMPLETE, INCOMPLETE, LATE, OK = metrics.COMPLETE, metrics.INCOMPLETE, metrics.LATE, metrics.OK
COLUMNS = ("standing", "targets_n", "overdue_n", "overdue_state")


def _side(values: dict, metric) -> dict:
    """A plan's stored columns as one metric's dimensions (standing with its targets, or overdue)."""
    if metric is metrics.PLANS:
        return {"status": values["standing"], "total": values["targets_n"]}
    return {"status": values["overdue_state"], "total": values["overdue_n"]}


def _move(plan: ContactPlan, before: dict | None, after: dict) -> None:
    """Move both plan metrics from the stored columns `before` (None: a new plan) to `after`, in one upsert."""
    write([d for m in (metrics.PLANS, metrics.OVERDUE)
           for d in m.delta(plan, before=None if before is None else _side(before, m), after=_side(after, m))])


def facts(plan: ContactPlan, *, on: date | None = None, policy: dict | None = None,
          days: int | None = None) -> dict:
    """What the check and the not-heard-from flags say about one plan today (queries.judge; `policy` and
    `days` resolved by the caller when it has them)."""
    view = judge(plan, targets_of([plan.pk])[plan.pk], on=on, policy=policy, days=days)
    return {"standing": COMPLETE if view.check.complete else INCOMPLETE, "targets_n": len(view.targets),
            "overdue_n": view.overdue, "overdue_state": LATE if view.overdue else OK}


def start(plan: ContactPlan) -> None:
    """A new plan: counted as it stands (inside the creating transaction)."""
    values = facts(plan)
    ContactPlan.objects.filter(pk=plan.pk).update(**values, checked_on=periods.today())
    for k, v in values.items():
        setattr(plan, k, v)
    _move(plan, None, values)


def refresh(plan: ContactPlan, *, on: date | None = None, policy: dict | None = None,
            days: int | None = None) -> bool:
    """Recompute one plan's stored facts and move its summary counts; True when they changed."""
    with transaction.atomic():
        stored = ContactPlan.objects.select_for_update().filter(pk=plan.pk).values(*COLUMNS).get()
        values = facts(plan, on=on, policy=policy, days=days)
        ContactPlan.objects.filter(pk=plan.pk).update(**values, checked_on=on or periods.today())
        for k, v in values.items():
            setattr(plan, k, v)
        if stored == values:
            return False
        _move(plan, stored, values)
        return True

