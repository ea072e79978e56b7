"""The stored progress of a checklist and its summary counts, refreshed inside the writer's transaction."""


from django.db import transaction
from django.db.models import Count, Max

from niangjia.core.metrics import write

from .. import rules, standing
from ..models import Assignment, ChecklistItem, Evidence
from ..queries import item_counts

STORED = ("status", "standing", "evidence_count", "year_start", "unit_id", "template_id", "l1", "l2", "l3", "l4",
          "l5", "l6")


def stored_row(assignment: Assignment) -> dict:
    return Assignment.objects.filter(pk=assignment.pk).values(*STORED).get()


def refresh_progress(assignment: Assignment, *, counted: dict | None = None) -> Assignment:
    """Recompute the stored progress columns of one assignment from its evidence, and move its
    city-grain summary counts (duties/standing.py) with them, in the caller's transaction.

    `counted` is the row as the summaries last counted it, when the caller changed it since
    (a cancellation); by default the stored row is what they count."""
    with transaction.atomic(savepoint=False):  # all or nothing with the caller's write: no savepoint of its own
        now = stored_row(assignment)
        for f in STORED:  # the row as stored, whatever the caller's copy holds
            setattr(assignment, f, now[f])
        before = counted or now
        items = list(ChecklistItem.objects.filter(template_id=assignment.template_id, is_active=True))
        counts = item_counts([assignment.pk])
        wanted = standing.wanted_states(assignment, items, counts)
        done = sum(1 for it in items
                   if rules.item_progress(counts.get((assignment.pk, it.pk), 0), it.target_kind, it.target_min,
                                          it.target_max).done)
        live = Evidence.objects.filter(assignment_id=assignment.pk, status=Evidence.Status.RECORDED)
        agg = live.aggregate(n=Count("id"), last=Max("day"))
        values = {"items_total": len(items), "items_done": done, "evidence_count": agg["n"] or 0,
                  "last_evidence_on": agg["last"], "standing": rules.standing_key(done, len(items))}
        Assignment.objects.filter(pk=assignment.pk).update(**values)
        for k, v in values.items():
            setattr(assignment, k, v)
        write(standing.member_deltas(assignment, before) + standing.sync_items(assignment, wanted))
    return assignment
