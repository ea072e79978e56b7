"""Scoped reads of reform tracking: lists, the boards, a measure's timeline, pilots as a filter.

A measure is visible inside the reach of its owning federation, and also to the federations
responsible for it (they report on it and are reminded about it).
"""

from datetime import date

from django.db.models import Count, Q

from niangjia.core.access import get_for, reach_of, register_may
from niangjia.core.errors import NotFound
from niangjia.core.roles import has_perm
from niangjia.core.scope import Reach, Subtree, reach_q, under_q
from niangjia.org.models import Federation, VillageConversion

from . import rules
from .models import Document, Entry, Measure, Pilot, Plan


def documents_for(user, *, unit=None):
    qs = Document.objects.filter(reach_q(reach_of(user))).select_related("unit")
    return qs.filter(unit=unit) if unit is not None else qs


def get_document_for(user, pk):
    return get_for(Document.objects.select_related("unit"), user, pk)


def _measure_q(reach: Reach) -> Q:
    through = Measure.responsible.through.objects.filter(reach_q(reach, "federation__")).values("measure_id")
    return reach_q(reach) | Q(pk__in=through)


def measures_for(user, *, unit=None, status: str = "", year: int | None = None, overdue_on: date | None = None):
    """Measures the user may see; `unit`: those of that federation's plan."""
    qs = Measure.objects.filter(_measure_q(reach_of(user))).select_related("unit", "reporter", "document", "plan")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(due_year=year)
    if overdue_on is not None:
        qs = qs.exclude(status=rules.DONE).filter(deadline__lt=overdue_on)
    return qs


def get_measure_for(user, pk):
    try:
        return measures_for(user).prefetch_related("responsible").get(pk=pk)
    except (Measure.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def may_report_on(user, measure: Measure) -> bool:
    """Inside the owner's reach, or responsible for it."""
    reach = reach_of(user)
    return reach.covers_obj(measure) or any(reach.covers_obj(u) for u in measure.responsible.all())


def may_report(user, measure: Measure) -> bool:
    """Report progress on a measure (and take its steps): the permission, and the measure hers to report on."""
    return has_perm(user, "reform.report") and may_report_on(user, measure)


register_may("reform.report", Measure, may_report)  # the measure page's steps and entries ({% can %})


def timeline(measure: Measure):
    return Entry.objects.filter(measure=measure).select_related("actor").order_by("day", "id")


def plans_for(user, *, unit=None):
    qs = Plan.objects.filter(reach_q(reach_of(user))).select_related("unit")
    return qs.filter(under_q(unit)) if unit is not None else qs


def get_plan_for(user, pk):
    return get_for(Plan.objects.select_related("unit"), user, pk)


def pilots_for(user):
    return Pilot.objects.filter(reach_q(reach_of(user))).select_related("unit").prefetch_related("members")


def get_pilot_for(user, pk):
    return get_for(Pilot.objects.select_related("unit").prefetch_related("members"), user, pk)


def pilot_reach(user, pilot: Pilot) -> Reach:
    """The pilot's member subtrees that lie inside the user's reach: a figures page filtered by pilot
    shows exactly these."""
    reach = reach_of(user)
    return Reach(tuple(Subtree(m.level, m.pk) for m in pilot.members.all() if reach.covers_obj(m)))


def board(user, unit, *, today: date, year: int | None = None, as_of: date | None = None) -> dict:
    """The live board of `unit` (already fetched in reach): its measures' figures and sentence, and
    the provincial plans in its subtree on `as_of`."""
    facts = [rules.MeasureFacts(s, y, d) for s, y, d in
             measures_for(user, unit=unit).values_list("status", "due_year", "deadline")]
    mb = rules.measure_board(facts, today, year)
    day = as_of or today
    plans = [rules.PlanFacts(p.unit.name, p.is_corps, p.stage_dates()) for p in plans_for(user, unit=unit)]
    rows = rules.plan_board(plans, day)
    return {"measures": mb, "measure_sentence": rules.measure_sentence(mb), "plans": rows,
            "plan_sentence": rules.plan_sentence(rows, day) if plans else "", "as_of": day,
            "documents": documents_for(user, unit=unit).count(), "plan_count": len(plans),
            "status_names": rules.MEASURE_STATUS_NAMES}


def coverage(user, unit) -> dict:
    """会改联 as coverage for `unit` (fetched in reach): villages converted of all its villages, and the
    same per child (zeros included); a county or province is complete when every village is."""
    if unit.level >= 6:
        return {}
    child_col = f"l{unit.level + 1}"
    villages = dict(Federation.objects.filter(under_q(unit), level=6, is_active=True).values_list(child_col)
                    .annotate(n=Count("id")).order_by())
    converted = dict(VillageConversion.objects.filter(under_q(unit)).values_list(child_col).annotate(n=Count("id"))
                     .order_by())
    children = Federation.objects.filter(parent=unit, is_active=True).order_by("code")
    rows = [{"unit": c, **rules.coverage(converted.get(c.pk, 0), villages.get(c.pk, 0))} for c in children]
    return {"total": rules.coverage(sum(converted.values()), sum(villages.values())), "children": rows}
