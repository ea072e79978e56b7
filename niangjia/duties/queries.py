"""Reads of duty checklists, all scoped: a manager sees her subtree, a member her own checklists."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import metrics as core_metrics
from niangjia.core import periods, policies, summaries
from niangjia.core.access import get_for, reach_of, reach_within, register_may, scoped
from niangjia.core.errors import NotFound
from niangjia.core.roles import has_perm, require
from niangjia.core.scope import Reach, in_subtree, reach_q
from niangjia.org.models import Federation

from . import metrics, rules, standing
from .models import (
    Assignment,
    ChecklistItem,
    ChecklistTemplate,
    Evidence,
    EvidenceKind,
    ItemStanding,
    Reminder,
    Review,
)

EVIDENCE_METRIC = metrics.EVIDENCE.name  # as services.METRIC


# Keyset sorts: every key is a column or annotation on the row and never NULL (see assignments_for).
ASSIGNMENT_SORTS = {
    "name": (gettext_lazy("姓名"), ("person_name", "id")),
    "progress": (gettext_lazy("完成度（低→高）"), ("items_done", "evidence_count", "id")),
    "-progress": (gettext_lazy("完成度（高→低）"), ("-items_done", "-evidence_count", "-id")),
    "recent": (gettext_lazy("最近记录"), ("-last_on", "-id")),
}
NEVER = date(1900, 1, 1)
RATINGS = dict(Review.Rating.choices)
EXPORT_HEADERS = [gettext_lazy("姓名"), gettext_lazy("所属组织"), gettext_lazy("年度"), gettext_lazy("清单"), gettext_lazy("已完成事项"), gettext_lazy("事项数"), gettext_lazy("完成率"), gettext_lazy("佐证数"), gettext_lazy("最近记录"), gettext_lazy("进度"),
                  gettext_lazy("述职评议")]


def schedule_policy(unit) -> dict:
    return policies.resolve(rules.SCHEDULE_POLICY, unit)


def schedule_policies(assignments) -> dict[int, dict]:
    """The schedule policy of each assignment's unit, by unit id, in one query (a list's rows)."""
    units = {a.unit_id: a.unit for a in assignments}
    return policies.resolve_many(rules.SCHEDULE_POLICY, units.values())


# ---------------------------------------------------------------- templates


def templates_for(user, *, unit=None, active: bool | None = True) -> QuerySet:
    qs = scoped(ChecklistTemplate.objects.select_related("unit").annotate(item_count=Count("items")), user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def get_template_for(user, pk, *, write: bool = False) -> ChecklistTemplate:
    return get_for(ChecklistTemplate.objects.select_related("unit"), user, pk,
                   perm="duties.manage" if write else "duties.view")


def items_of(template) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(template=template).order_by("order", "id"))


def get_item_for(user, pk, *, write: bool = False) -> ChecklistItem:
    try:
        item = ChecklistItem.objects.select_related("template", "template__unit").get(pk=pk)
    except (ChecklistItem.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not reach_of(user).covers_obj(item.template):
        raise NotFound()
    require(user, "duties.manage" if write else "duties.view")
    return item


# ---------------------------------------------------------------- assignments


def _visible_q(user) -> Q:
    """Assignments in the user's reach (with duties.view/manage), or her own."""
    own = Q(person_id=user.person_id) if getattr(user, "person_id", None) else Q(pk__in=[])
    if has_perm(user, "duties.view") or has_perm(user, "duties.manage"):
        return reach_q(reach_of(user)) | own
    return own


def assignments_visible(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Assignment.objects.none()
    return Assignment.objects.filter(_visible_q(user)).select_related("person", "template", "unit")


def get_assignment_for(user, pk) -> Assignment:
    try:
        return assignments_visible(user).get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def my_assignments(user, *, year: int | None = None) -> list[Assignment]:
    """The logged-in member's own active checklists (newest year first)."""
    if not getattr(user, "person_id", None):
        return []
    qs = (Assignment.objects.filter(person_id=user.person_id, status=Assignment.Status.ACTIVE)
          .select_related("template", "unit", "person").order_by("-year", "id"))
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs)


def assignments_for(user, *, unit=None, year: int | None = None, template=None, q: str = "",
                    state: str = "", day: date | None = None, status: str = Assignment.Status.ACTIVE) -> QuerySet:
    """A federation's (or subtree's) assignments with their stored progress; `state` filters on schedule."""
    require(user, "duties.view")
    qs = scoped(Assignment.objects.select_related("person", "template", "unit").annotate(
        rating=F("review__rating"), person_name=F("person__name"),
        last_on=Coalesce("last_evidence_on", Value(NEVER))), user)
    qs = in_subtree(qs, unit)
    if year is not None:
        qs = qs.filter(year=year)
    if template is not None:
        qs = qs.filter(template=template)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(person__name__contains=q.strip())
    if state:
        qs = filter_state(qs, state, day or periods.today(), year, unit)
    return qs


def filter_state(qs: QuerySet, state: str, day: date, year: int | None, unit) -> QuerySet:
    """Complete / behind / on track, in SQL on the stored counts (the threshold is a share of items_total)."""
    if state == rules.COMPLETE:
        return qs.filter(items_total__gt=0, items_done__gte=F("items_total"))
    year = year or day.year
    threshold = rules.behind_threshold(day, year, schedule_policy(unit))
    behind = _behind_q(threshold)
    if state == rules.BEHIND:
        return qs.filter(behind)
    if state == rules.ON_TRACK:
        return qs.exclude(behind).filter(items_done__lt=F("items_total"))
    return qs


def _behind_q(threshold: float) -> Q:
    """done / total < threshold, as done < total × threshold (and not complete)."""
    scaled = ExpressionWrapper(F("items_total") * Value(float(threshold)), output_field=FloatField())
    return Q(items_done__lt=F("items_total")) & Q(items_done__lt=scaled)


def behind_for(user, *, unit, year: int, day: date | None = None) -> QuerySet:
    return assignments_for(user, unit=unit, year=year, state=rules.BEHIND, day=day or periods.today())


def state_of(a: Assignment, day: date, policy: dict) -> str:
    return rules.schedule_state(a.items_done, a.items_total, day, a.year, policy)


def with_states(assignments, day: date, policy: dict) -> list[Assignment]:
    for a in assignments:
        a.state = state_of(a, day, policy)
        a.state_name = rules.SCHEDULE_NAMES[a.state]
        a.rating_name = RATINGS.get(getattr(a, "rating", None) or "", "")
    return list(assignments)


@dataclass
class ItemRow:
    item: ChecklistItem
    progress: rules.ItemProgress

    @property
    def label(self) -> str:
        it = self.item
        return f"{self.progress.count}/{rules.target_text(it.target_kind, it.target_min, it.target_max)}"


def item_rows(assignments) -> dict[int, list[ItemRow]]:
    """Per-item progress of each assignment: one query for items, one grouped query for counts."""
    assignments = list(assignments)
    if not assignments:
        return {}
    items: dict[int, list[ChecklistItem]] = {}
    for it in ChecklistItem.objects.filter(template_id__in={a.template_id for a in assignments},
                                           is_active=True).order_by("order", "id"):
        items.setdefault(it.template_id, []).append(it)
    counts = item_counts([a.pk for a in assignments])
    return {a.pk: [ItemRow(it, rules.item_progress(counts.get((a.pk, it.pk), 0), it.target_kind, it.target_min,
                                                   it.target_max))
                   for it in items.get(a.template_id, [])]
            for a in assignments}


def item_completion(qs: QuerySet) -> list[dict]:
    """Per item: how many members have it done, partly, not started — one grouped query over the
    ItemStanding rows of the assignments in `qs` (county and below; wider reaches read summaries).

    Items of different templates (a city's and its counties') with the same order and title are
    one row, so a subtree reads as one checklist.
    """
    rows = (ItemStanding.objects.filter(assignment__in=qs.order_by().values("id"))
            .values_list("item_key", "state").annotate(n=Count("id")).order_by())
    return _completion_table((key, state, n) for key, state, n in rows)


def _completion_table(triples) -> list[dict]:
    out: dict[str, dict] = {}
    for key, state, n in triples:
        if state not in rules.SLOTS or not n:
            continue
        slot = out.setdefault(key, {"key": key, "title": rules.item_key_title(key), **{s: 0 for s in rules.SLOTS}})
        slot[state] += n
    return [out[k] for k in sorted(out)]


# ---------------------------------------------------------------- the dashboard (summary-backed)


def summary_reach(user, unit) -> Reach | None:
    """The reach to read from the city-grain summaries, or None when it holds a county or below."""
    reach = reach_within(user, unit)
    return reach if summaries.covers(reach) else None


def summary_progress(reach: Reach, year: int, threshold: float) -> tuple[dict[str, int], list[dict]]:
    """State counts and per-item completion of `year` inside a reach of city grain or wider, in one
    indexed GROUP BY over the duty_members and duty_items summary rows (duties/standing.py)."""
    # the two standing metrics have one period a year (1 January), the evidence one a period a month
    got = core_metrics.read({standing.MEMBERS: None, standing.ITEMS: None,
                             EVIDENCE_METRIC: {"status": Evidence.Status.RECORDED}},
                            reach=reach, group=("category", "status"), start=date(year, 1, 1), end=date(year, 12, 31))
    rows = [(m, r["category"], r["status"], r["n"]) for m, rs in got.items() for r in rs]
    counts = {"total": 0, rules.COMPLETE: 0, rules.BEHIND: 0, rules.ON_TRACK: 0}
    items, evidence = [], {}
    for metric, category, status, n in rows:
        if metric == EVIDENCE_METRIC:
            evidence[category] = evidence.get(category, 0) + n
        elif metric == standing.ITEMS:
            items.append((category, status, n))
        elif category == Assignment.Status.ACTIVE and n:
            done, total = rules.parse_standing(status)
            counts["total"] += n
            counts[rules.bucket_state(done, total, threshold)] += n
    return counts, _completion_table(items), _evidence_table(evidence)


def _evidence_table(by_kind: dict[str, int]) -> list[dict]:
    return [{"kind": k, "name": EvidenceKind(k).label if k in EvidenceKind.values else k, "n": n}
            for k, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])) if n]


def evidence_by_kind(qs: QuerySet, year: int) -> list[dict]:
    """Recorded evidence of the assignments in `qs` during `year`, per kind (county and below)."""
    rows = (Evidence.objects.filter(assignment__in=qs.order_by().values("id"), status=Evidence.Status.RECORDED,
                                    day__year=year).values_list("kind").annotate(n=Count("id")).order_by())
    return _evidence_table(dict(rows))


def progress_overview(user, *, unit, year: int, day: date) -> dict:
    """The progress page's head: members complete / on track / behind and the per-item table.

    National, province and city reach read the summaries (cost independent of how many members);
    county and below read the assignment rows. Both give the same figures (tests/duties).
    """
    require(user, "duties.view")
    threshold = rules.behind_threshold(day, year, schedule_policy(unit))
    reach = summary_reach(user, unit)
    if reach is not None:
        counts, completion, evidence = summary_progress(reach, year, threshold)
        source = "summary"
    else:
        base = assignments_for(user, unit=unit, year=year)
        counts, completion, source = counts_by_state(base, day, year, unit), item_completion(base), "rows"
        evidence = evidence_by_kind(assignments_for(user, unit=unit, year=year, status=""), year)
    return {"counts": counts, "completion": completion, "evidence": evidence, "source": source,
            "threshold_pct": round(100 * threshold)}


def completion_chart(rows: list[dict]) -> dict:
    """An ECharts option: stacked horizontal bars, one per item."""
    names = [r["title"] for r in rows]
    series = [("done", _("已完成"), "#2e7d32"), ("partly", _("部分完成"), "#f9a825"), ("not_started", _("未开始"), "#bdbdbd")]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": names, "inverse": True,
                  "axisLabel": {"width": 110, "overflow": "truncate"}},
        "series": [{"name": label, "type": "bar", "stack": "n", "data": [r[key] for r in rows],
                    "itemStyle": {"color": color}} for key, label, color in series],
    }


def counts_by_state(qs: QuerySet, day: date, year: int, unit) -> dict[str, int]:
    """Members complete / on track / behind, in one aggregate query."""
    threshold = rules.behind_threshold(day, year, schedule_policy(unit))
    done = Q(items_total__gt=0, items_done__gte=F("items_total"))
    behind = _behind_q(threshold)
    agg = qs.order_by().aggregate(total=Count("id"), complete=Count("id", filter=done),
                                  behind=Count("id", filter=behind))
    agg["on_track"] = agg["total"] - agg["complete"] - agg["behind"]
    return agg


def export_rows(qs: QuerySet, day: date, policy: dict):
    for a in qs.iterator(chunk_size=500):
        state = state_of(a, day, policy)
        yield [a.person.name, a.unit.name, a.year, a.template.name, a.items_done, a.items_total,
               f"{a.done_pct}%", a.evidence_count, a.last_evidence_on, rules.SCHEDULE_NAMES[state],
               RATINGS.get(a.rating or "", "")]


# ---------------------------------------------------------------- evidence, reminders, reviews


def evidence_of(user, assignment: Assignment, *, include_retired: bool = False) -> QuerySet:
    """Evidence of one assignment the user may see (the assignment was fetched through get_assignment_for)."""
    qs = Evidence.objects.filter(assignment=assignment).select_related("item", "person", "organisation",
                                                                       "recorded_by")
    if not include_retired:
        qs = qs.filter(status=Evidence.Status.RECORDED)
    return qs


def get_evidence_for(user, pk) -> Evidence:
    try:
        ev = Evidence.objects.select_related("assignment", "assignment__unit", "item").get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not assignments_visible(user).filter(pk=ev.assignment_id).exists():
        raise NotFound()
    return ev


def reminders_for(user, *, unit=None, year: int | None = None) -> QuerySet:
    require(user, "duties.view")
    qs = scoped(Reminder.objects.select_related("assignment__person", "assignment__template"), user)
    qs = in_subtree(qs, unit)
    if year is not None:
        qs = qs.filter(assignment__year=year)
    return qs


def my_reminders(user, assignments) -> dict[int, Reminder]:
    """The latest reminder of each of the member's assignments."""
    out: dict[int, Reminder] = {}
    for r in Reminder.objects.filter(assignment__in=list(assignments)).order_by("assignment_id", "-day", "-id"):
        out.setdefault(r.assignment_id, r)
    return out


def latest_reminder(assignments, *, since) -> Reminder | None:
    """The newest reminder sent on or after `since` to any of these (her own) assignments."""
    return (Reminder.objects.filter(assignment__in=list(assignments), day__gte=since)
            .select_related("sent_by").order_by("-day", "-id").first())


def reviews_for(user, *, unit=None, year: int | None = None) -> QuerySet:
    require(user, "duties.view")
    qs = scoped(Review.objects.select_related("assignment__person", "assignment__template", "reviewer"), user)
    qs = in_subtree(qs, unit)
    if year is not None:
        qs = qs.filter(assignment__year=year)
    return qs


def review_of(assignment: Assignment) -> Review | None:
    return Review.objects.filter(assignment=assignment).select_related("reviewer").first()


def handing_units(user) -> QuerySet:
    """Federations in reach that hold at least one checklist template (for pickers)."""
    ids = scoped(ChecklistTemplate.objects.all(), user).values("unit_id")
    return Federation.objects.filter(pk__in=ids).order_by("level", "code")


def behind_everywhere(day: date) -> list[Assignment]:
    """Every active assignment of `day`'s year that is behind, for units whose list window is open.

    For the scheduler (no user, no scope): one query for the units, one per unit with assignments.
    """
    year = day.year
    unit_ids = (Assignment.objects.filter(year=year, status=Assignment.Status.ACTIVE)
                .values_list("unit_id", flat=True).distinct().order_by())
    out: list[Assignment] = []
    for unit in Federation.objects.filter(pk__in=list(unit_ids)).order_by("id"):
        policy = schedule_policy(unit)
        if not rules.in_list_window(day, year, policy):
            continue
        threshold = rules.behind_threshold(day, year, policy)
        out += list(Assignment.objects.filter(_behind_q(threshold), unit=unit, year=year,
                                              status=Assignment.Status.ACTIVE)
                    .select_related("person", "template", "unit").order_by("id"))
    return out


def item_counts(assignment_ids) -> dict[tuple[int, int], int]:
    """{(assignment id, item id): progress count}: recorded entries, or for items about people
    (rules.PEOPLE_KINDS) the distinct people they name. One grouped query whatever the number of rows."""
    rows = (Evidence.objects.filter(assignment_id__in=list(assignment_ids), status=Evidence.Status.RECORDED)
            .values_list("assignment_id", "item_id", "item__evidence_kind", "person_id", "organisation_id",
                         "with_whom").annotate(n=Count("id")).order_by())
    out: dict[tuple[int, int], int] = {}
    whom: dict[tuple[int, int], set] = {}
    for a, i, kind, person, org, names, n in rows:
        if kind not in rules.PEOPLE_KINDS:
            out[(a, i)] = out.get((a, i), 0) + n
            continue
        keys = rules.whom_keys(0, person, org, names)
        if keys == {"e:0"}:  # nobody named: each entry counts once
            out[(a, i)] = out.get((a, i), 0) + n
            whom.setdefault((a, i), set())
        else:
            whom.setdefault((a, i), set()).update(keys)
    for k, v in whom.items():
        out[k] = out.get(k, 0) + len(v)
    return out


def may_record(user, assignment: Assignment) -> bool:
    """Record (or withdraw) evidence on a checklist: her own, or a manager's on a member's behalf inside her
    reach ({% can user 'duties.record' a %}; services._may_record refuses the rest)."""
    own = bool(getattr(user, "person_id", None)) and user.person_id == assignment.person_id
    return own or (has_perm(user, "duties.manage") and reach_of(user).covers_obj(assignment))


register_may("duties.record", Assignment, may_record)  # the 记录 and 撤回 buttons ({% can %})
