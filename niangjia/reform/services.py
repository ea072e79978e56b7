"""Writes of reform tracking: the only code that writes the reform tables.

Each function checks the permission (core.roles.require), keeps the write inside the actor's
reach (core.access), checks the version of an existing record and audits in the same
transaction (core.audit). Status changes go through the pipelines of reform.rules.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, notify, periods, policies
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import ValidationFailed
from niangjia.core.roles import require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.versioning import bump_version
from niangjia.org.models import Federation
from niangjia.reform.audit_actions import Action

from . import queries, rules
from .models import Document, Entry, Measure, Pilot, Plan

MSG_PLAN_LEVEL = gettext_lazy("省级改革方案只能由省级妇联（或兵团妇联）制定")
MSG_PLAN_TWICE = gettext_lazy("该单位已有改革方案")
MSG_CODE_TWICE = gettext_lazy("该单位已有相同编号的改革措施")
MSG_LINK_OR_FILE = gettext_lazy("佐证需要附件或链接")
DOCUMENT_FIELDS = {"title", "number", "issued_on", "note"}
MEASURE_FIELDS = {"code", "title", "lead_department", "deadline", "due_year", "document", "plan", "reporter"}
PILOT_FIELDS = {"name", "note"}


def _ensure_may_report(actor, measure: Measure, perm: str) -> None:
    """Reporting on a measure is for its owner's reach or a responsible unit; managing it for the owner's."""
    if perm == "reform.report" and queries.may_report_on(actor, measure):
        return
    ensure_unit_in_reach(actor, measure)


def _report_access(actor, measure: Measure, perm: str) -> None:
    """core.pipeline's access check for measures: the permission, then the owner's reach or (to report)
    a responsible unit's."""
    require(actor, perm)
    _ensure_may_report(actor, measure, perm)


# ---------------------------------------------------------------- documents


def document_create(*, actor, unit, title: str, issued_on: date, number: str = "", note: str = "") -> Document:
    require(actor, "reform.manage")
    ensure_unit_in_reach(actor, unit)
    doc = Document(title=require_text(title, "title", _("标题")), number=number or "", issued_on=issued_on, note=note or "")
    doc.place_in(unit)
    full_clean_or_raise(doc)
    with transaction.atomic():
        doc.save()
        audit.record(actor, Action.DOCUMENT_CREATE, doc)
    return doc


def document_update(*, actor, document: Document, version: int, changes: dict) -> Document:
    require(actor, "reform.manage")
    ensure_unit_in_reach(actor, document)
    apply_changes(actor=actor, obj=document, version=version, changes=changes, allowed=DOCUMENT_FIELDS,
                  action=Action.DOCUMENT_UPDATE)
    return document


# ---------------------------------------------------------------- measures


def _check_links(actor, measure_unit, *, document=None, plan=None, responsible=()) -> None:
    for other in (document, plan, *responsible):
        if other is not None:
            ensure_unit_in_reach(actor, other if hasattr(other, "level") else other.unit)


def measure_create(*, actor, unit, code: str, title: str, deadline: date, due_year: int | None = None,
                   responsible=(), lead_department: str = "", document=None, plan=None, reporter=None) -> Measure:
    """A measure of `unit`'s reform plan; responsible units must lie in the actor's reach."""
    require(actor, "reform.manage")
    ensure_unit_in_reach(actor, unit)
    _check_links(actor, unit, document=document, plan=plan, responsible=responsible)
    m = Measure(code=require_text(code, "code", _("编号")), title=require_text(title, "title", _("措施")), deadline=deadline,
                due_year=due_year or deadline.year, lead_department=lead_department or "", document=document,
                plan=plan, reporter=reporter)
    m.place_in(unit)
    if Measure.objects.filter(unit=unit, code=m.code).exists():
        raise ValidationFailed(MSG_CODE_TWICE, fields={"code": MSG_CODE_TWICE})
    full_clean_or_raise(m, exclude=["responsible"])
    try:
        with transaction.atomic():
            m.save()
            m.responsible.set(list(responsible))
            Entry.objects.create(measure=m, kind=Entry.Kind.STATUS, day=periods.today(), text=_("登记改革措施"),
                                 actor=_user(actor))
            audit.record(actor, Action.MEASURE_CREATE, m,
                         detail={"responsible": [u.pk for u in responsible], "deadline": deadline.isoformat()})
    except IntegrityError as exc:
        raise ValidationFailed(MSG_CODE_TWICE, fields={"code": MSG_CODE_TWICE}) from exc
    return m


def measure_update(*, actor, measure: Measure, version: int, changes: dict, responsible=None) -> Measure:
    require(actor, "reform.manage")
    ensure_unit_in_reach(actor, measure)
    _check_links(actor, measure.unit, document=changes.get("document"), plan=changes.get("plan"),
                 responsible=responsible or ())
    with transaction.atomic():
        apply_changes(actor=actor, obj=measure, version=version, changes=changes, allowed=MEASURE_FIELDS,
                      action=Action.MEASURE_UPDATE)
        if responsible is not None:
            measure.responsible.set(list(responsible))
            audit.record(actor, Action.MEASURE_RESPONSIBLE, measure, detail={"responsible": [u.pk for u in responsible]})
    return measure


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def measure_move(*, actor, measure: Measure, step: str, version: int | None, day: date | None = None,
                 note: str = "") -> Measure:
    """One step of the measure pipeline (start, finish, delay, reopen) with its day on the timeline."""
    spec = rules.MEASURE_PIPELINE.check(actor, measure, step, access=_report_access)
    return _apply_move(actor, measure, spec, version, day or periods.today(), note)


def _apply_move(actor, measure: Measure, spec: rules.Step, version: int | None, day: date, note: str) -> Measure:
    """Set the status and its day under the version check, log it on the timeline, audit."""
    step = spec.name
    old = measure.status
    fields = ["status"]
    measure.status = spec.target
    if step == "start" or (step == "finish" and measure.started_on is None):
        measure.started_on = measure.started_on or day
        fields.append("started_on")
    if step == "finish":
        measure.done_on = day
        fields.append("done_on")
    if step == "reopen":
        measure.done_on = None
        fields.append("done_on")
    with transaction.atomic():
        bump_version(measure, version, fields)
        Entry.objects.create(measure=measure, kind=Entry.Kind.STATUS, day=day, actor=_user(actor),
                             text=f"{spec.label}：{rules.MEASURE_STATUS_NAMES[old]} → "
                                  f"{rules.MEASURE_STATUS_NAMES[measure.status]}" + (f"（{note}）" if note else ""))
        audit.record(actor, Action(f"reform.measure.{step}"), measure, detail={"from": old, "to": measure.status, "note": note})
    return measure


def entry_add(*, actor, measure: Measure, kind: str, text: str, day: date | None = None, link: str = "",
              file=None, due_on: date | None = None) -> Entry:
    """A milestone, evidence (a file or a link to a record) or a progress note on the timeline."""
    require(actor, "reform.report")
    _ensure_may_report(actor, measure, "reform.report")
    if kind not in (Entry.Kind.MILESTONE, Entry.Kind.EVIDENCE, Entry.Kind.NOTE):
        raise ValidationFailed(_("类型无效"), fields={"kind": _("只能是节点、佐证或进展")})
    if kind == Entry.Kind.EVIDENCE and not (link or file):
        raise ValidationFailed(MSG_LINK_OR_FILE, fields={"link": MSG_LINK_OR_FILE})
    entry = Entry(measure=measure, kind=kind, text=require_text(text, "text", _("内容")), day=day or periods.today(),
                  link=link or "", due_on=due_on, actor=_user(actor))
    if file is not None:
        entry.file = file
    full_clean_or_raise(entry, exclude=["measure"])
    with transaction.atomic():
        entry.save()
        audit.record(actor, Action(f"reform.entry.{kind}"), measure, summary=f"{entry.get_kind_display()}：{entry.text[:60]}",
                     detail={"entry": entry.pk, "link": entry.link, "file": entry.file.name if entry.file else ""})
    return entry


# ---------------------------------------------------------------- provincial plans


def plan_create(*, actor, unit, title: str, drafting_on: date, is_corps: bool = False) -> Plan:
    """A province's (or the Corps') reform plan, in drafting from `drafting_on`."""
    require(actor, "reform.manage")
    ensure_unit_in_reach(actor, unit)
    if unit.level != 2:
        raise ValidationFailed(MSG_PLAN_LEVEL, fields={"unit": MSG_PLAN_LEVEL})
    plan = Plan(title=require_text(title, "title", _("方案名称")), drafting_on=drafting_on, is_corps=is_corps)
    plan.place_in(unit)
    full_clean_or_raise(plan, exclude=["unit"])
    try:
        with transaction.atomic():
            plan.save()
            audit.record(actor, Action.PLAN_CREATE, plan, detail={"drafting_on": drafting_on.isoformat()})
    except IntegrityError as exc:
        raise ValidationFailed(MSG_PLAN_TWICE, fields={"unit": MSG_PLAN_TWICE}) from exc
    return plan


def plan_move(*, actor, plan: Plan, step: str, day: date, version: int | None) -> Plan:
    """One stage further (发文审签, 党委批准, 印发实施) on `day`, never before the previous stage's day."""
    spec = rules.PLAN_PIPELINE.check(actor, plan, step)
    problem = rules.stage_date_problem(plan.stage_dates(), spec.target, day)
    if problem:
        raise ValidationFailed(problem, fields={"day": problem})
    old = plan.stage
    field = rules.PLAN_DATE_FIELD[spec.target]
    plan.stage = spec.target
    setattr(plan, field, day)
    with transaction.atomic():
        bump_version(plan, version, ["stage", field])
        audit.record(actor, Action(f"reform.plan.{step}"), plan, detail={"from": old, "to": plan.stage, "day": day.isoformat()})
    return plan


# ---------------------------------------------------------------- pilots


def pilot_create(*, actor, unit, name: str, members=(), note: str = "") -> Pilot:
    require(actor, "reform.manage")
    ensure_unit_in_reach(actor, unit)
    for m in members:
        ensure_unit_in_reach(actor, m)
    pilot = Pilot(name=require_text(name, "name", _("试点名称")), note=note or "")
    pilot.place_in(unit)
    full_clean_or_raise(pilot)
    with transaction.atomic():
        pilot.save()
        pilot.members.set(list(members))
        audit.record(actor, Action.PILOT_CREATE, pilot, detail={"members": [m.pk for m in members]})
    return pilot


def pilot_update(*, actor, pilot: Pilot, version: int, changes: dict, members=None) -> Pilot:
    require(actor, "reform.manage")
    ensure_unit_in_reach(actor, pilot)
    for m in members or ():
        ensure_unit_in_reach(actor, m)
    with transaction.atomic():
        apply_changes(actor=actor, obj=pilot, version=version, changes=changes, allowed=PILOT_FIELDS,
                      action=Action.PILOT_UPDATE)
        if members is not None:
            pilot.members.set(list(members))
            audit.record(actor, Action.PILOT_MEMBERS, pilot, detail={"members": [m.pk for m in members]})
    return pilot


# ---------------------------------------------------------------- the daily run


def overdue_run(*, today: date | None = None) -> dict[str, int]:
    """Mark overdue measures delayed, remind the responsible units, escalate to their parents
    (safe to run twice a day: each act is dated and not repeated before its time)."""
    today = today or periods.today()
    done = {"delay": 0, "remind": 0, "escalate": 0}
    qs = Measure.objects.exclude(status=rules.DONE).filter(deadline__lt=today).select_related("unit", "reporter")
    for m in qs.prefetch_related("responsible"):
        policy = policies.resolve(rules.OVERDUE_POLICY, m.unit)
        acts = rules.overdue_actions(m.status, m.deadline, today, m.reminded_on, m.escalated_on, policy)
        if not acts:
            continue
        units = list(m.responsible.all()) or [m.unit]
        with transaction.atomic():
            if "delay" in acts:
                _apply_move(None, m, rules.MEASURE_PIPELINE["delay"], None, today, _("逾期自动标记"))
            link = f"/reform/measures/{m.pk}/"
            if "remind" in acts:
                users = [u for unit in units for u in notify.unit_officers(unit, "reform.report")]
                if m.reporter:
                    users.append(m.reporter)
                notify.notify(users, kind="reform.overdue", link=link,
                              text=format_lazy(gettext_lazy("改革措施“{title}”已过完成时限（{isoformat}），请报告进展"),
                                                title=m.title[:60], isoformat=m.deadline.isoformat()))
                m.reminded_on = today
                _log(m, Entry.Kind.REMINDER, today, _("逾期提醒：{units}").format(units='、'.join(u.name for u in units)))
            if "escalate" in acts:
                parents = Federation.objects.filter(pk__in={u.parent_id or u.pk for u in units})
                users = [u for p in parents for u in notify.unit_officers(p, "reform.manage")]
                notify.notify(users, kind="reform.escalated", link=link,
                              text=format_lazy(gettext_lazy("改革措施“{title}”逾期超过规定天数，请督办"), title=m.title[:60]))
                m.escalated_on = today
                _log(m, Entry.Kind.ESCALATION, today, _("报上一级督办：{parents}").format(parents='、'.join(p.name for p in parents)))
            bump_version(m, None, ["reminded_on", "escalated_on"])
            audit.record(None, Action.MEASURE_OVERDUE, m, detail={"acts": sorted(acts)})
        for a in acts:
            done[a] += 1
    return done


def _log(measure: Measure, kind: str, day: date, text: str) -> None:
    Entry.objects.create(measure=measure, kind=kind, day=day, text=text[:300])
