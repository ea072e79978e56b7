"""Duty progress at city grain: the summary rows behind the national, province and city dashboards.

Two metrics, both bumped only from services.py in the writer's transaction:

- `duty_members`: one count per assignment, period = 1 January of its year, category = its status
  (active / cancelled), status = its "done/total" standing, total = its evidence count. A reader
  classifies each standing bucket as complete / on track / behind for any day (rules.bucket_state),
  so the counts are exact at every threshold without a per-day rebuild.
- `duty_items`: one count per (assignment, active item), category = rules.item_key, status = done /
  partly / not_started ('cancelled' for a cancelled assignment's items).

The fact rows are Assignment (year_start, status, standing) and ItemStanding; stats.rollup sources
in apps.py regroup them, so `niangjia rollup --rebuild --metric duty_members` gives the same rows.
"""

from collections import Counter

from niangjia.core.metrics import write
from niangjia.core.scope import ANCESTOR_FIELDS

from . import metrics, rules
from .models import Assignment, ChecklistItem, ItemStanding

MEMBERS = metrics.MEMBERS.name
ITEMS = metrics.ITEMS.name


def _placed_like(row: ItemStanding, a: Assignment) -> ItemStanding:
    """The assignment's unit and ancestor columns, copied without fetching the unit."""
    row.unit_id = a.unit_id
    for f in ANCESTOR_FIELDS:
        setattr(row, f, getattr(a, f))
    return row


def wanted_states(assignment: Assignment, items: list[ChecklistItem], counts: dict) -> dict[int, tuple[str, str]]:
    """{item id: (item key, state)} the assignment should have, given its evidence counts."""
    live = assignment.status == Assignment.Status.ACTIVE
    out = {}
    for it in items:
        progress = rules.item_progress(counts.get((assignment.pk, it.pk), 0), it.target_kind, it.target_min,
                                       it.target_max)
        out[it.pk] = (rules.item_key(it.order, it.title), rules.completion_slot(progress) if live else rules.CANCELLED)
    return out


def sync_items(assignment: Assignment, wanted: dict[int, tuple[str, str]]) -> list:
    """Bring the assignment's ItemStanding rows to `wanted` (one bulk update, one bulk insert, one delete
    at most); returns the duty_items count changes for the caller to write with its others."""
    have = {s.item_id: s for s in ItemStanding.objects.filter(assignment_id=assignment.pk)}
    ys = assignment.year_start
    deltas, changed, gone = [], [], []
    for item_id, s in have.items():
        if wanted.get(item_id) == (s.item_key, s.state):
            continue
        deltas.append(metrics.ITEMS.add(assignment, ys, category=s.item_key, status=s.state, count=-1))
        if item_id not in wanted:
            gone.append(s.pk)
            continue
        s.item_key, s.state = wanted[item_id]
        changed.append(s)
        deltas.append(metrics.ITEMS.add(assignment, ys, category=s.item_key, status=s.state))
    if gone:
        ItemStanding.objects.filter(pk__in=gone).delete()
    if changed:
        ItemStanding.objects.bulk_update(changed, ["item_key", "state"])
    new = []
    for item_id, (key, state) in wanted.items():
        if item_id in have:
            continue
        row = ItemStanding(assignment_id=assignment.pk, item_id=item_id, year_start=ys, item_key=key, state=state)
        new.append(_placed_like(row, assignment))
        deltas.append(metrics.ITEMS.add(assignment, ys, category=key, status=state))
    ItemStanding.objects.bulk_create(new)
    return deltas


def member_deltas(assignment: Assignment, before: dict | None) -> list:
    """The duty_members count changes moving the assignment from its stored keys (`before`, None when
    new) to its current ones (on the object)."""
    if before is not None and all(before[f] == getattr(assignment, f) for f in ("status", "standing", "evidence_count")):
        return []
    return metrics.MEMBERS.delta(assignment, before=None if before is None else {
        "category": before["status"], "status": before["standing"], "total": before["evidence_count"]}, after={})


def start_many(created: list[Assignment], items: list[ChecklistItem]) -> None:
    """Standing rows and summary counts for freshly handed-out assignments (no evidence yet), in one
    upsert of one row per distinct key."""
    if not created:
        return
    rows, member_counts, item_counts = [], Counter(), Counter()
    for a in created:
        member_counts[(a.status, a.standing)] += 1
        for item_id, (key, state) in wanted_states(a, items, {}).items():
            row = ItemStanding(assignment_id=a.pk, item_id=item_id, year_start=a.year_start, item_key=key, state=state)
            rows.append(_placed_like(row, a))
            item_counts[(key, state)] += 1
    ItemStanding.objects.bulk_create(rows, batch_size=1000)
    first = created[0]  # one hand-out: one unit, one year
    write([*(metrics.MEMBERS.add(first, first.year_start, category=status, status=standing_, count=n)
             for (status, standing_), n in member_counts.items()),
           *(metrics.ITEMS.add(first, first.year_start, category=key, status=state, count=n)
             for (key, state), n in item_counts.items())])
