"""Reads of contact plans: her own plans in full (women masked), her leaders' counts only.

Visibility:
- her own plans (user.person is the plan's person, `contacts.record`): every target with the
  women's names, tags and masked phone/address — wherever the plan's unit sits;
- plans in her reach (`contacts.view`): the plan's person, kind and counts — slots, gaps,
  overdue — never which women, nor their details.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from niangjia.core import metrics as core_metrics
from niangjia.core import periods, policies, summaries
from niangjia.core.access import reach_of
from niangjia.core.errors import Forbidden, NotFound
from niangjia.core.roles import has_perm, require
from niangjia.core.scope import Reach, reach_q, under_q
from niangjia.org.models import Federation, Organisation
from niangjia.people.models import Person
from niangjia.people.queries import search_persons

from . import metrics, rules
from .models import Channel, ContactEvent, ContactPlan, ContactTarget, Kind, Slot

METRIC = metrics.EVENT.name  # as services.METRIC: contact events by channel

# ---------------------------------------------------------------- visibility


def _own_q(user, prefix: str = "") -> Q | None:
    """Her own plans (by the person her user is linked to), when she may record contacts."""
    person_id = getattr(user, "person_id", None)
    if person_id and has_perm(user, "contacts.record"):
        return Q(**{f"{prefix}person_id": person_id})
    return None


def _visible_q(user, own_prefix: str = "") -> Q:
    """Her own plans, plus the records in her reach when she may view or manage them.

    Targets and events carry their plan's scope columns, so the reach part needs no prefix.
    """
    q = Q(pk__in=[])
    own = _own_q(user, own_prefix)
    if own is not None:
        q |= own
    if has_perm(user, "contacts.view") or has_perm(user, "contacts.manage"):
        q |= reach_q(reach_of(user))
    return q


def plans_visible(user) -> QuerySet:
    return ContactPlan.objects.filter(_visible_q(user)).select_related("person", "unit", "contact_point")


def get_plan_for(user, pk) -> ContactPlan:
    try:
        return plans_visible(user).get(pk=pk)
    except (ContactPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def get_target_for(user, pk) -> ContactTarget:
    """A target of a plan she may see (her own, or one in her reach) — else 404."""
    try:
        return (ContactTarget.objects.filter(_visible_q(user, "plan__"))
                .select_related("plan", "plan__person", "plan__unit", "federation", "organisation", "person")
                .get(pk=pk))
    except (ContactTarget.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def may_see_details(user, plan: ContactPlan) -> bool:
    """Need-to-know: only the plan's own person sees which women, their tags and masked details."""
    return is_own(user, plan)


# ---------------------------------------------------------------- one plan, judged


def not_heard_days(unit) -> int:
    return int(policies.resolve(rules.NOT_HEARD_FROM.key, unit)["days"])


@dataclass
class TargetView:
    target: ContactTarget
    days_silent: int
    overdue: bool

    @property
    def label(self) -> str:
        linked = self.target.linked
        return linked.name if linked is not None else ""


@dataclass
class PlanView:
    plan: ContactPlan
    check: rules.CheckResult
    targets: list[TargetView] = field(default_factory=list)
    overdue: int = 0
    days: int = 90
    by_slot: list[tuple[str, str, list[TargetView]]] = field(default_factory=list)


def judge(plan: ContactPlan, targets: list[ContactTarget], *, on: date | None = None, policy: dict | None = None,
          days: int | None = None) -> PlanView:
    """The check and the not-heard-from flags of one plan from its active targets (persons loaded)."""
    on = on or periods.today()
    policy = policy or policies.resolve(rules.POLICY_OF_KIND[plan.kind], plan.unit)
    days = days if days is not None else not_heard_days(plan.unit)
    active = [t for t in targets if t.is_active]
    counts = rules.counts_of((t.slot, t.person.tags if t.person_id else ()) for t in active)
    views = [TargetView(t, rules.days_silent(t.last_contact_on, t.since, on),
                        rules.is_overdue(t.last_contact_on, t.since, on, days)) for t in active]
    by_slot = [(str(s), s.label, [v for v in views if v.target.slot == s]) for s in rules.KIND_SLOTS[plan.kind]]
    return PlanView(plan=plan, check=rules.check(plan.kind, counts, policy), targets=views,
                    overdue=sum(v.overdue for v in views), days=days, by_slot=by_slot)


def targets_of(plan_ids: list[int]) -> dict[int, list[ContactTarget]]:
    out: dict[int, list[ContactTarget]] = {pid: [] for pid in plan_ids}
    for t in (ContactTarget.objects.filter(plan_id__in=plan_ids, is_active=True)
              .select_related("federation", "organisation", "person").order_by("slot", "id")):
        out[t.plan_id].append(t)
    return out


def my_plans(user, *, year: int | None = None) -> list[PlanView]:
    """Her own plans with every target, the check and the flags (two queries plus policies)."""
    own = _own_q(user)
    if own is None:
        return []
    qs = ContactPlan.objects.filter(own).select_related("person", "unit", "contact_point")
    if year:
        qs = qs.filter(year=year)
    plans = list(qs.order_by("-year", "kind", "id"))
    targets = targets_of([p.pk for p in plans])
    memo = PlanPolicies()
    return [judge(p, targets[p.pk], **memo.for_plan(p)) for p in plans]


class PlanPolicies:
    """The policies `judge` needs for a plan (its kind's check preset, the not-heard-from days), each
    resolved once per unit: a member's plans, or the daily sweep's, mostly share units. Bounded, so a
    national sweep does not keep every unit's policies."""

    def __init__(self, limit: int = 4096):
        self.limit = limit
        self._seen: dict[tuple[str, int], dict] = {}

    def _resolve(self, key: str, unit) -> dict:
        if (key, unit.pk) not in self._seen:
            if len(self._seen) >= self.limit:
                self._seen.clear()
            self._seen[(key, unit.pk)] = policies.resolve(key, unit)
        return self._seen[(key, unit.pk)]

    def for_plan(self, plan: ContactPlan) -> dict:
        """judge's `policy` and `days` keywords for this plan."""
        return {"policy": self._resolve(rules.POLICY_OF_KIND[plan.kind], plan.unit),
                "days": int(self._resolve(rules.NOT_HEARD_FROM.key, plan.unit)["days"])}


def plan_status(user, plan: ContactPlan) -> PlanView:
    """Counts and flags of any visible plan; the caller shows names only when `may_see_details`."""
    return judge(plan, targets_of([plan.pk])[plan.pk])


def events_for(user, target: ContactTarget, limit: int = 20) -> list[ContactEvent]:
    """A target's contact history: her own plan, or a manager over it (notes may name the woman)."""
    if not (is_own(user, target.plan) or may_manage(user, target.plan)):
        raise Forbidden(gettext("只有计划本人或管理该计划的领导可以查看联系记录"))
    return list(ContactEvent.objects.filter(target=target).select_related("recorded_by").order_by("-day", "-id")[:limit])


# ---------------------------------------------------------------- leaders' overview (counts only)


def _tag_q(prefix: str, tag: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(**{f"{prefix}tags__contains": [tag]})
    return Q(**{f"{prefix}tags__icontains": f'"{tag}"'})


def _annotations(cutoff: date) -> dict:
    active = Q(targets__is_active=True)
    ann = {f"c_{s}": Count("targets", filter=active & Q(targets__slot=s)) for s in Slot.values}
    women = active & Q(targets__slot=Slot.ORDINARY_WOMAN)
    ann["c_poor"] = Count("targets", filter=women & _tag_q("targets__person__", rules.POOR_TAG))
    ann["c_new_org"] = Count("targets", filter=women & _tag_q("targets__person__", rules.NEW_ORG_TAG))
    ann["n_targets"] = Count("targets", filter=active)
    ann["n_overdue"] = Count("targets", filter=active & (
        Q(targets__last_contact_on__lt=cutoff) | Q(targets__last_contact_on__isnull=True, targets__since__lt=cutoff)))
    return ann


def _gaps_q(policies_by_kind: dict[str, dict]) -> Q:
    """SQL form of "the check finds something missing", one branch per kind."""
    q = Q(pk__in=[])
    for kind, policy in policies_by_kind.items():
        met = Q()
        for req in rules.requirements(kind, policy):
            met &= Q(**{f"c_{req.key}__gte": req.minimum})
        q |= Q(kind=kind) & ~met
    return q


@dataclass
class OverviewFilters:
    year: int | None = None
    kind: str = ""
    gaps: bool = False
    overdue: bool = False
    q: str = ""


@dataclass
class Overview:
    unit: Federation
    qs: QuerySet
    policies: dict[str, dict]
    days: int
    on: date
    filters: OverviewFilters = field(default_factory=OverviewFilters)


def overview(user, unit: Federation, f: OverviewFilters, *, on: date | None = None) -> Overview:
    """Plans in a unit's subtree, each annotated with its slot counts and overdue count in one query.

    Thresholds are the unit's (its own override, else the nearest ancestor's, else the preset).
    """
    require(user, "contacts.view")
    if not reach_of(user).covers_obj(unit):
        raise NotFound()
    on = on or periods.today()
    pols = {k: policies.resolve(rules.POLICY_OF_KIND[k], unit) for k in Kind.values}
    days = not_heard_days(unit)
    qs = ContactPlan.objects.filter(under_q(unit)).select_related("person", "unit", "created_by")
    if f.year:
        qs = qs.filter(year=f.year)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.q:
        qs = qs.filter(person__name__contains=f.q.strip())
    qs = qs.annotate(**_annotations(rules.overdue_cutoff(on, days)))
    if f.gaps:
        qs = qs.filter(_gaps_q(pols))
    if f.overdue:
        qs = qs.filter(n_overdue__gt=0)
    return Overview(unit=unit, qs=qs, policies=pols, days=days, on=on, filters=f)


def counts_from_row(plan) -> dict[str, int]:
    counts = {s: getattr(plan, f"c_{s}") for s in Slot.values}
    counts[rules.POOR_TAG], counts[rules.NEW_ORG_TAG] = plan.c_poor, plan.c_new_org
    return counts


def overview_row(ov: Overview, plan) -> dict:
    result = rules.check(plan.kind, counts_from_row(plan), ov.policies[plan.kind])
    return {"plan": plan, "check": result, "targets": plan.n_targets, "overdue": plan.n_overdue,
            "missing": len(result.missing)}


OVERVIEW_HEADERS = [pgettext_lazy("column", "人员"), _("所属组织"), _("年度"), _("制度"), _("联系对象数"), _("是否齐全"), _("缺项数"), _("缺项"), _("久未联系数")]


def overview_export_rows(ov: Overview, limit: int = 50_000):
    for plan in ov.qs.order_by("person_id", "id")[:limit]:
        row = overview_row(ov, plan)
        yield [plan.person.name, plan.unit.name, plan.year, plan.get_kind_display(), row["targets"],
               row["check"].complete, row["missing"], row["check"].text, row["overdue"]]


def overview_totals(ov: Overview) -> dict:
    """Plans, complete plans and overdue targets of the whole filtered set.

    A city and above, unfiltered by name, gaps or silence: one GROUP BY over the contact_plans /
    contact_overdue summary rows (written by contacts.tally). County and below: judged from the plan rows."""
    f = ov.filters
    if ov.unit.level <= summaries.GRAIN_LEVEL and not (f.q or f.gaps or f.overdue):
        return summary_totals(ov.unit, year=f.year, kind=f.kind)
    return row_totals(ov)


def summary_totals(unit: Federation, *, year: int | None = None, kind: str = "") -> dict:
    where = {"category": kind} if kind else None
    day = date(year, 1, 1) if year else None  # a plan's period is 1 January of its year
    got = core_metrics.read({metrics.PLANS.name: where, metrics.OVERDUE.name: where}, reach=Reach.of_unit(unit), group=("status",),
                            start=day, end=day)
    by = {(m, r["status"]): (r["n"], r["t"]) for m, rs in got.items() for r in rs}
    got = lambda metric, status: by.get((metric, status), (0, 0))  # noqa: E731
    complete, incomplete = got(metrics.PLANS.name, metrics.COMPLETE), got(metrics.PLANS.name, metrics.INCOMPLETE)
    late, ok = got(metrics.OVERDUE.name, metrics.LATE), got(metrics.OVERDUE.name, metrics.OK)
    return {"plans": complete[0] + incomplete[0], "complete": complete[0], "with_gaps": incomplete[0],
            "overdue": late[1] + ok[1], "with_overdue": late[0], "source": "summary"}


def row_totals(ov: Overview) -> dict:
    """The same totals judged from the plan rows (county and below, or a filtered list)."""
    rows = [overview_row(ov, p) for p in ov.qs.order_by()]
    return {"plans": len(rows), "complete": sum(r["check"].complete for r in rows),
            "with_gaps": sum(not r["check"].complete for r in rows),
            "overdue": sum(r["overdue"] for r in rows), "with_overdue": sum(r["overdue"] > 0 for r in rows),
            "source": "rows"}


def event_counts(user, unit: Federation, start: date, end: date) -> list[dict]:
    """Contact events by month and channel for a unit's subtree: summaries at city grain and above."""
    require(user, "contacts.view")
    if unit.level <= summaries.GRAIN_LEVEL:
        rows = core_metrics.read({METRIC: None}, reach=Reach.of_unit(unit), group=("period", "category"),
                                 start=start, end=end)[METRIC]
        return [{"period": r["period"], "channel": r["category"], "n": r["n"]} for r in rows]
    rows = (ContactEvent.objects.filter(under_q(unit), day__gte=start, day__lte=end)
            .annotate(period=TruncMonth("day")).values("period", "channel").annotate(n=Count("id"))
            .order_by("period", "channel"))
    return [{"period": _as_date(r["period"]), "channel": r["channel"], "n": r["n"]} for r in rows]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# ---------------------------------------------------------------- pickers and the home panel


def candidates(user, plan: ContactPlan, slot: str, q: str = "", limit: int = 20) -> list:
    """Records in the user's reach that could fill `slot` (federations, organisations or persons)."""
    reach = reach_of(user)
    want, detail = rules.SLOT_LINKS[slot]
    q = (q or "").strip()
    if want == "federation":
        qs = Federation.objects.filter(reach_q(reach), level=detail, is_active=True)
        return list(qs.filter(name__contains=q)[:limit] if q else qs[:limit])
    if want == "organisation":
        qs = Organisation.objects.filter(reach_q(reach), kind__in=detail, is_active=True).select_related("unit")
        return list(qs.filter(name__contains=q)[:limit] if q else qs[:limit])
    qs = Person.visible.filter(reach_q(reach), is_active=True).select_related("unit")
    if slot in rules.WOMEN_SLOTS:
        qs = qs.filter(gender=Person.Gender.FEMALE)
    if slot == Slot.PROVINCIAL_EXECUTIVE:
        qs = qs.filter(posts__body="executive", posts__is_active=True, posts__unit__level=2).distinct()
    if not q:
        return []
    return list(search_persons(qs, q, actor=user, where="contacts").exclude(contact_targets__plan=plan, contact_targets__is_active=True)[:limit])


def home_summary(user) -> dict | None:
    """Her plans' check texts and overdue count for the home page (None: nothing to show)."""
    views = my_plans(user, year=periods.today().year)
    if not views:
        return None
    return {"plans": views, "overdue": sum(v.overdue for v in views),
            "complete": sum(v.check.complete for v in views)}


CHANNELS = dict(Channel.choices)


def is_own(actor, plan: ContactPlan) -> bool:
    """The plan is the actor's own: her user is linked to the plan's person and may record contacts."""
    person_id = getattr(actor, "person_id", None)
    return bool(person_id) and person_id == plan.person_id and has_perm(actor, "contacts.record")


def may_manage(actor, plan: ContactPlan) -> bool:
    return has_perm(actor, "contacts.manage") and reach_of(actor).covers_obj(plan)
