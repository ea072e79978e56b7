"""Scoped reads of report forms: forms a user sees (those defined in her reach or above it for her
units), reports, completeness per child, and the total of a field for any subtree and period.

A form defined above the user's reach is still hers to fill: it is visible when its defining unit
is one of her units' ancestors or inside her reach.
"""

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from niangjia.core import periods
from niangjia.core.access import reach_of, register_may
from niangjia.core.errors import NotFound
from niangjia.core.roles import has_perm
from niangjia.core.scope import reach_q, under_q
from niangjia.org.models import Federation

from . import rules
from .metrics import REPORT_VALUE
from .models import ReportForm, Submission, Value


def _form_q(reach) -> Q:
    if reach.unrestricted:
        return Q()
    q = reach_q(reach)
    for s in reach.subtrees:  # forms defined by an ancestor of one of her subtrees reach down to her
        q |= Q(unit__level__lt=s.level, **{"unit_id__in": _ancestor_ids_q(s)})
    return q


def _ancestor_ids_q(subtree):
    unit = Federation.objects.filter(pk=subtree.unit_id).values(*[f"l{n}" for n in range(1, 7)]).first() or {}
    return [v for v in unit.values() if v and v != subtree.unit_id]


def forms_for(user):
    return ReportForm.objects.filter(_form_q(reach_of(user))).select_related("unit").prefetch_related("fields")


def get_form_for(user, pk) -> ReportForm:
    try:
        return forms_for(user).get(pk=pk)
    except (ReportForm.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def submissions_for(user, form: ReportForm, *, period: date | None = None, unit=None):
    qs = Submission.objects.filter(reach_q(reach_of(user)), form=form).select_related("unit")
    if period is not None:
        qs = qs.filter(period=period)
    return qs.filter(under_q(unit)) if unit is not None else qs


def get_submission_for(user, pk) -> Submission:
    try:
        return Submission.objects.filter(reach_q(reach_of(user))).select_related("unit", "form", "form__unit") \
            .prefetch_related("form__fields").get(pk=pk)
    except (Submission.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def completeness(user, form: ReportForm, period: date, unit) -> dict:
    """For `unit` (fetched in reach) and a period: each child's report (zeros and missing included), and
    the subtree's fill-level units submitted, approved and on time."""
    children = list(expected_units(form, within=unit).filter(level=unit.level + 1).order_by("code"))
    subs = {s.unit_id: s for s in Submission.objects.filter(form=form, period=period, unit__in=children)}
    due = rules.due_on(period, form.period_kind, form.due_days)
    rows = []
    for c in children:
        s = subs.get(c.pk)
        rows.append({"unit": c, "submission": s, "status": s.status if s else "",
                     "status_name": rules.STATUS_NAMES[s.status] if s else _("未填报"),
                     "on_time": s.on_time if s else None, "late": rules.is_late(s.status if s else None, due,
                                                                                 periods.today())})
    leaves = expected_units(form, within=unit).filter(level=form.fill_level)
    facts = Submission.objects.filter(form=form, period=period, rollup=False).filter(under_q(unit)) \
        .values_list("status", "submitted_at", "due_on")
    counted = [(s, at.date() if at else None, d) for s, at, d in facts]
    return {"children": rows, "due_on": due, "subtree": rules.completeness(leaves.count(), counted)}


def field_total(user, form: ReportForm, key: str, period: date, *, unit=None, approved_only: bool = False) -> dict:
    """Sum and count of one numeric field over a subtree (or the user's reach) for one period: one
    indexed query over the city-grain summary rows when they can answer, over the facts otherwise."""
    statuses = [rules.APPROVED] if approved_only else sorted(rules.COUNTED)
    rows = REPORT_VALUE.counts(user, unit=unit, start=period, end=period,
                               where={"category": f"{form.pk}.{key}", "status": statuses})
    row = {"n": sum(r["n"] for r in rows), "t": sum(r["t"] or 0 for r in rows)}
    kind = next((f.kind for f in form.fields.all() if f.key == key), rules.INT)
    return {"reports": row["n"] or 0, "total": rules.unscaled(kind, row["t"] or 0)}


def _fact_total(reach, metric_key: str, period: date, statuses: list[str]) -> dict:
    return Value.objects.filter(reach_q(reach), metric_key=metric_key, period=period, status__in=statuses) \
        .aggregate(n=Count("id"), t=Sum("scaled"))


def expected_units(form: ReportForm, within=None):
    """The active units that owe this form a report: below the defining unit down to the fill level."""
    base = within if within is not None else form.unit
    qs = Federation.objects.filter(under_q(base), is_active=True, level__gt=form.unit.level, level__lte=form.fill_level)
    return qs


# ---------------------------------------------------------------- what a user may do with a submission ({% can %})


def may_fill(user, sub: Submission) -> bool:
    """Type in (save, submit) a draft or returned report of a unit in her reach."""
    return sub.status in rules.EDITABLE and has_perm(user, "reports.fill") and reach_of(user).covers_obj(sub)


def may_review(user, sub: Submission) -> bool:
    """Approve, return or unapprove a report: the reviewers of the level above it."""
    parent = sub.unit.parent
    return has_perm(user, "reports.review") and parent is not None and reach_of(user).covers_obj(parent)


for _action, _rule in {"reports.fill": may_fill, "reports.review": may_review}.items():
    register_may(_action, Submission, _rule)  # the submission page's buttons ({% can %})
