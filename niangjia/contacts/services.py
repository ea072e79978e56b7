"""Writes of contact plans, targets and events: permission-checked, scoped, audited.

Who may act on a plan:
- the plan's own person (her user is linked to the plan's Person) with `contacts.record`;
- a manager with `contacts.manage` whose reach covers the plan.
A woman's clear phone or address is shown only to the plan's own person, through the
people app's audited reveal; leaders of the unit see counts and status, never details.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.accounts.models import User
from niangjia.contacts.audit_actions import Action
from niangjia.core import audit, notify, periods, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Conflict, Forbidden, ValidationFailed
from niangjia.core.i18n import choice_label
from niangjia.core.models import Notification
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise
from niangjia.org.models import Federation, Organisation, Site
from niangjia.people import services as people_services
from niangjia.people.models import Person, Post

from . import metrics, rules, tally
from .models import Channel, ContactEvent, ContactPlan, ContactTarget, Kind, Slot
from .queries import PlanPolicies, is_own, may_manage

METRIC = metrics.EVENT.name
REVEALABLE = ("phone", "address")
MSG_NOT_YOURS = gettext_lazy("只有计划本人可以查看联系对象的完整联系方式")
MSG_MAY_NOT_WORK = gettext_lazy("只有计划本人或有“制定直接联系计划”权限的领导可以修改此计划")


def today() -> date:
    return periods.today()


# ---------------------------------------------------------------- who may act


def require_worker(actor, plan: ContactPlan) -> None:
    """The plan's own person or a manager over it; anyone else is refused (403)."""
    if not (is_own(actor, plan) or may_manage(actor, plan)):
        raise Forbidden(MSG_MAY_NOT_WORK)


# ---------------------------------------------------------------- plans


def _active_bodies(person: Person) -> set[str]:
    return set(Post.objects.filter(person=person, is_active=True).values_list("body", flat=True))


def _check_contact_point(actor, site: Site | None) -> None:
    if site is None:
        return
    if site.kind != Site.Kind.CONTACT_POINT or not site.is_active:
        raise ValidationFailed(_("所选阵地不是有效的基层联系点"), fields={"contact_point": _("请选择基层联系点")})
    ensure_unit_in_reach(actor, site)


def plan_create(*, actor, person: Person, unit: Federation, year: int, kind: str, started_on: date | None = None,
                contact_point: Site | None = None, wechat_group: str = "") -> ContactPlan:
    """Set a person's plan for a year. Managers set anyone's in their reach; a person may set her own."""
    own = getattr(actor, "person_id", None) == person.pk
    require(actor, "contacts.record" if own else "contacts.manage")
    ensure_unit_in_reach(actor, unit)
    if not own:
        ensure_unit_in_reach(actor, person)
    if kind not in Kind.values:
        raise ValidationFailed(_("未知的联系制度"), fields={"kind": _("取值无效")})
    if not isinstance(year, int) or not 2000 <= year <= today().year + 1:
        raise ValidationFailed(_("年度无效"), fields={"year": _("应在 2000 至 {year} 之间").format(year=today().year + 1)})
    problem = rules.eligibility_problem(kind, _active_bodies(person))
    if problem:
        raise ValidationFailed(problem, fields={"person": problem})
    _check_contact_point(actor, contact_point)
    plan = ContactPlan(person=person, year=year, kind=kind, started_on=started_on or date(year, 1, 1),
                       year_start=date(year, 1, 1),
                       contact_point=contact_point, wechat_group=(wechat_group or "").strip()[:80],
                       created_by=actor if getattr(actor, "pk", None) else None)
    plan.place_in(unit)
    if ContactPlan.objects.filter(person=person, year=year, kind=kind).exists():
        raise Conflict(_("{name} {year} 年已有“{label}”计划").format(name=person.name, year=year, label=Kind(kind).label))
    full_clean_or_raise(plan, exclude=["person", "unit", "contact_point", "created_by"])
    try:
        with transaction.atomic():
            plan.save()
            tally.start(plan)
            audit.record(actor, Action.CONTACT_PLAN_CREATE, plan,
                         detail={"person": person.pk, "year": year, "kind": kind, "on_behalf": not own})
    except IntegrityError as exc:  # two requests raced past the check above
        raise Conflict(_("{name} {year} 年已有“{label}”计划").format(name=person.name, year=year, label=Kind(kind).label)) from exc
    return plan


def plan_update(*, actor, plan: ContactPlan, version: int | None, **changes) -> ContactPlan:
    """Change a plan's grassroots contact point, its 好姐妹 WeChat group or its start date."""
    require_worker(actor, plan)
    if "contact_point" in changes:
        _check_contact_point(actor, changes["contact_point"])
    if "wechat_group" in changes:
        changes["wechat_group"] = (changes["wechat_group"] or "").strip()[:80]
    if "started_on" in changes and changes["started_on"] is None:
        raise ValidationFailed(_("计划开始日期不能为空"), fields={"started_on": _("不能为空")})
    with transaction.atomic():
        apply_changes(actor=actor, obj=plan, version=version, changes=changes,
                      allowed={"contact_point", "wechat_group", "started_on"}, action=Action.CONTACT_PLAN_UPDATE)
        if "started_on" in changes:
            tally.refresh(plan)
    return plan


# ---------------------------------------------------------------- targets


def _link_facts(obj) -> rules.LinkFacts:
    if isinstance(obj, Federation):
        return rules.LinkFacts("federation", level=obj.level, active=obj.is_active)
    if isinstance(obj, Organisation):
        return rules.LinkFacts("organisation", org_kind=obj.kind, active=obj.is_active)
    executive = Post.objects.filter(person=obj, is_active=True, body=Post.Body.EXECUTIVE, unit__level=2).exists()
    return rules.LinkFacts("person", gender=obj.gender, provincial_executive=executive, active=obj.is_active)


def _already(plan: ContactPlan, obj) -> bool:
    field = {Federation: "federation", Organisation: "organisation", Person: "person"}[type(obj)]
    return ContactTarget.objects.filter(plan=plan, is_active=True, **{field: obj}).exists()


def _duplicate_message(obj) -> str:
    return _("{name}已在本计划的联系对象中").format(name=obj.name)


def target_add(*, actor, plan: ContactPlan, slot: str, federation: Federation | None = None,
               organisation: Organisation | None = None, person: Person | None = None, note: str = "",
               added_on: date | None = None) -> ContactTarget:
    """Fill one slot of a plan with a federation, an organisation or a person in the actor's reach."""
    require_worker(actor, plan)
    problem = rules.slot_problem(plan.kind, slot)
    if problem:
        raise ValidationFailed(problem, fields={"slot": problem})
    links = [x for x in (federation, organisation, person) if x is not None]
    if len(links) != 1:
        raise ValidationFailed(_("请选择一个联系对象"), fields={"target": _("请选择一个联系对象")})
    obj = links[0]
    ensure_unit_in_reach(actor, obj)
    problem = rules.link_problem(slot, _link_facts(obj))
    if problem:
        raise ValidationFailed(problem, fields={"target": problem})
    if _already(plan, obj):
        raise Conflict(_duplicate_message(obj), fields={"target": _("已在本计划中")})
    added_on = added_on or today()
    target = ContactTarget(plan=plan, slot=slot, federation=federation, organisation=organisation, person=person,
                           note=(note or "").strip()[:200], since=rules.target_since(plan.started_on, added_on))
    target.place_in(plan.unit)
    try:
        with transaction.atomic():
            target.save()
            tally.refresh(plan)
            audit.record(actor, Action.CONTACT_TARGET_ADD, target, summary=f"{plan} 新增联系对象：{Slot(slot).label}",
                         detail={"plan": plan.pk, "slot": slot, "link": type(obj).__name__.lower(), "id": obj.pk})
    except IntegrityError as exc:
        raise Conflict(_duplicate_message(obj), fields={"target": _("已在本计划中")}) from exc
    return target


def target_remove(*, actor, target: ContactTarget, version: int | None) -> ContactTarget:
    """Take a target off its plan; its contact history stays on record."""
    require_worker(actor, target.plan)
    if not target.is_active:
        raise ValidationFailed(_("该联系对象已移出计划"))
    with transaction.atomic():
        apply_changes(actor=actor, obj=target, version=version, changes={"is_active": False, "removed_on": today()},
                      allowed={"is_active", "removed_on"}, action=Action.CONTACT_TARGET_REMOVE)
        tally.refresh(target.plan)
    return target


# ---------------------------------------------------------------- events


def event_record(*, actor, target: ContactTarget, day: date, channel: str, note: str = "") -> ContactEvent:
    """Log one contact with a target (by the plan's person or a manager); counts into summaries."""
    plan = target.plan
    require_worker(actor, plan)
    if not target.is_active:
        raise ValidationFailed(_("该联系对象已移出计划，不能再记录联系"))
    if channel not in Channel.values:
        raise ValidationFailed(_("请选择联系方式"), fields={"channel": _("取值无效")})
    if not isinstance(day, date):
        raise ValidationFailed(_("请填写联系日期"), fields={"day": _("请填写联系日期")})
    problem = rules.event_day_problem(day, plan.started_on, today())
    if problem:
        raise ValidationFailed(problem, fields={"day": problem})
    event = ContactEvent(plan=plan, target=target, day=day, channel=channel, note=(note or "").strip()[:500],
                         recorded_by=actor if getattr(actor, "pk", None) else None)
    event.place_in(plan.unit)
    with transaction.atomic():
        event.save()
        ContactTarget.objects.filter(pk=target.pk).filter(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=day)).update(last_contact_on=day)
        summaries.bump(METRIC, plan.unit, day, category=channel)
        tally.refresh(plan)
        audit.record(actor, Action.CONTACT_EVENT_CREATE, event,
                     summary=f"{plan} 记录联系：{Slot(target.slot).label} · {event.get_channel_display()}",
                     detail={"plan": plan.pk, "target": target.pk, "day": day.isoformat(), "channel": channel})
    if target.last_contact_on is None or target.last_contact_on < day:
        target.last_contact_on = day
    return event


# ---------------------------------------------------------------- need-to-know reveal


def target_reveal(*, actor, target: ContactTarget, field: str) -> str:
    """A contact woman's clear phone or address, for the plan's own person only (audited by people)."""
    if field not in REVEALABLE:
        raise ValidationFailed(_("未知的敏感字段：{field}").format(field=field), fields={"field": _("应为 phone 或 address")})
    if not is_own(actor, target.plan):
        raise Forbidden(MSG_NOT_YOURS)
    if target.person_id is None:
        raise ValidationFailed(_("该联系对象是组织，没有个人联系方式"))
    return people_services.person_reveal(actor=actor, person=target.person, field=field)


# ---------------------------------------------------------------- the daily sweep

OVERDUE_KIND = "contacts.overdue"


def overdue_sweep(*, day: date | None = None) -> dict:
    """The scheduler's daily pass (`niangjia contacts_overdue`): refresh every plan of the year, so
    the summary rows follow the silence, and tell each plan's own person once a day how many of
    her contacts she has not heard from. Running twice the same day tells no one twice."""
    day = day or today()
    out = {"checked": 0, "changed": 0, "notified": 0, "late": []}
    memo = PlanPolicies()
    plans = ContactPlan.objects.filter(year=day.year).select_related("unit", "person").order_by("id")
    for plan in plans.iterator(chunk_size=500):
        out["checked"] += 1
        judged = memo.for_plan(plan)
        out["changed"] += tally.refresh(plan, on=day, **judged)
        if not plan.overdue_n:
            continue
        out["late"].append(plan)
        link = f"/contacts/?year={plan.year}"
        users = list(User.objects.filter(person_id=plan.person_id, is_active=True))
        told = set(Notification.objects.filter(recipient__in=users, kind=OVERDUE_KIND, link=link,
                                               created_at__date=day).values_list("recipient_id", flat=True))
        # lazy, with the plan's kind as a lazy label: each recipient reads it in her language (core.notify)
        text = format_lazy(gettext_lazy("您{year}年的“{kind}”有 {overdue_n} 个联系对象超过 {judged} 天未联系"), year=plan.year,
                           kind=choice_label(plan, "kind"), overdue_n=plan.overdue_n, judged=judged['days'])
        out["notified"] += notify.notify([u for u in users if u.pk not in told], kind=OVERDUE_KIND, link=link,
                                         text=text)
    return out

