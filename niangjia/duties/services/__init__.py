"""Writes of duty checklists: the only code that writes the duties tables.

Each function checks the permission (core.roles.require), keeps the write inside the actor's
reach (core.access) and audits in the same transaction (core.audit.record). Evidence is
recorded by the member herself (user.person) or by a manager of the handing federation on
her behalf (noted on the row and in the audit); it is withdrawn or corrected by a new row,
never edited away.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.accounts.models import User
from niangjia.core import audit, notify, periods, uploads
from niangjia.core.access import ensure_unit_in_reach, reach_of
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from niangjia.core.extensions import works
from niangjia.core.i18n import source_text  # the audit trail keeps its Chinese words
from niangjia.core.roles import has_perm, require
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.versioning import bump_version
from niangjia.duties.audit_actions import Action
from niangjia.people.models import Post

from .. import metrics, rules, standing
from ..models import Assignment, ChecklistItem, ChecklistTemplate, Evidence, EvidenceKind, Reminder, Review
from .progress import STORED, refresh_progress, stored_row  # noqa: F401 - re-exported for the app
from .templates import (  # noqa: F401 - re-exported: the checklist templates and their items
    item_add,
    item_update,
    template_create,
    template_from_preset,
    template_update,
)

METRIC = metrics.EVIDENCE.name
BODIES = dict(Post.Body.choices)



# ---------------------------------------------------------------- hand-out


def body_members(unit, body: str) -> list[int]:
    """Person ids of the active members of one body of `unit` (each once)."""
    return list(Post.objects.filter(unit=unit, body=body, is_active=True, person__is_active=True)
                .order_by("person_id").values_list("person_id", flat=True).distinct())


def assignment_hand_out(*, actor, unit, template: ChecklistTemplate, year: int, body: str | None = "executive",
                        person_ids: list[int] | None = None) -> dict:
    """Hand `template` out for `year` to every active member of `body` of `unit` (or to the chosen
    members), skipping those who already have it. One audit row per new assignment.

    Returns {"created": [assignments], "skipped": n}.
    """
    require(actor, "duties.manage")
    ensure_unit_in_reach(actor, unit)
    if template.unit_id != unit.pk:
        raise ValidationFailed(_("只能下发本组织的清单模板"), fields={"template": _("不是本组织的清单")})
    if not template.is_active:
        raise ValidationFailed(_("该清单模板已停用"), fields={"template": _("已停用")})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed(_("年度无效"), fields={"year": _("应为 2000–2100 之间的年份")})
    items_total = template.items.filter(is_active=True).count()
    if not items_total:
        raise ValidationFailed(_("清单还没有事项，请先添加事项"), fields={"template": _("没有事项")})
    if person_ids:
        wanted = sorted(set(int(i) for i in person_ids))
        members = set(Post.objects.filter(unit=unit, is_active=True, person__is_active=True, person_id__in=wanted)
                      .values_list("person_id", flat=True))
        strangers = [i for i in wanted if i not in members]
        if strangers:
            raise ValidationFailed(_("这些人员不是本组织的在任成员：{value}").format(value=', '.join(map(str, strangers))),
                                   fields={"person_ids": _("包含非本组织在任成员")})
        targets = wanted
    else:
        if body not in BODIES:
            raise ValidationFailed(_("请选择机构或人员"), fields={"body": _("请选择机构")})
        targets = body_members(unit, body)
        if not targets:
            raise ValidationFailed(_("{name}的{value}没有在任成员").format(name=unit.name, value=BODIES[body]), fields={"body": _("没有在任成员")})
    with transaction.atomic():
        have = set(Assignment.objects.filter(template=template, year=year, person_id__in=targets)
                   .values_list("person_id", flat=True))
        created = []
        for pid in targets:
            if pid in have:
                continue
            a = Assignment(template=template, person_id=pid, year=year, items_total=items_total,
                           year_start=date(year, 1, 1), standing=rules.standing_key(0, items_total),
                           handed_by=actor if getattr(actor, "pk", None) else None)
            a.place_in(unit)
            created.append(a)
        Assignment.objects.bulk_create(created)
        if created and created[0].pk is None:  # backends without RETURNING on bulk insert
            by_person = dict(Assignment.objects.filter(template=template, year=year, person_id__in=[a.person_id for a in created])
                             .values_list("person_id", "id"))
            for a in created:
                a.pk = a.id = by_person[a.person_id]
        standing.start_many(created, list(template.items.filter(is_active=True)))
        for a in created:
            audit.record(actor, Action.ASSIGNMENT_HAND_OUT, a,
                         summary=f"下发{year}年“{template.name}”", detail={"person": a.person_id, "year": year})
    return {"created": created, "skipped": len(have)}


def assignment_cancel(*, actor, assignment: Assignment, version: int | None) -> Assignment:
    require(actor, "duties.manage")
    ensure_unit_in_reach(actor, assignment)
    if assignment.status == Assignment.Status.CANCELLED:
        raise ValidationFailed(_("该清单已撤销"), fields={"status": _("已撤销")})
    with transaction.atomic():
        counted = stored_row(assignment)
        old, assignment.status = assignment.status, Assignment.Status.CANCELLED
        # a status among the choices needs no full_clean (six look-ups of the row's keys): versioned write, audit
        bump_version(assignment, version, ["status"])
        audit.record(actor, Action.ASSIGNMENT_CANCEL, assignment, detail={"changes": {"status": [old, assignment.status]}})
        refresh_progress(assignment, counted=counted)  # moves its summary counts from active to cancelled
    return assignment


# ---------------------------------------------------------------- evidence


def _may_record(actor, assignment: Assignment) -> bool:
    """True when the actor records for herself; False when a manager records on the member's behalf."""
    if getattr(actor, "person_id", None) and actor.person_id == assignment.person_id:
        require(actor, "duties.record")
        return True
    if has_perm(actor, "duties.manage") and reach_of(actor).covers_obj(assignment):
        return False
    raise Forbidden(_("只能记录本人的履职情况；代他人记录需要“下发履职清单、提醒与述职评议”的权限"))


check_upload = uploads.check_upload  # the one upload check (core/uploads.py)


WORK_LINKS = {Evidence.LinkType.REPORT: "ResearchReport", Evidence.LinkType.PROPOSAL: "Proposal",
              Evidence.LinkType.DIARY: "Diary"}
WORK_ITEMS = {Evidence.LinkType.REPORT: EvidenceKind.RESEARCH_REPORT, Evidence.LinkType.PROPOSAL: EvidenceKind.PROPOSAL}
MSG_LINK_NOT_HERS = gettext_lazy("关联材料不存在，或不是该执委本人的")


def linked_work(link_type: str, link_id, assignment: Assignment):
    """The member's own report, proposal or diary that `link_id` names (fieldwork), or NotFound."""
    work = works().get(link_type)
    if work is None:  # the app that files such works is not installed
        raise NotFound(MSG_LINK_NOT_HERS)
    model = work.model
    try:
        obj = model.objects.get(pk=int(link_id))
    except (model.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound(MSG_LINK_NOT_HERS) from exc
    if obj.person_id != assignment.person_id:
        raise NotFound(MSG_LINK_NOT_HERS)
    return obj


def _check_links(actor, person, organisation, link_type: str, link_id, link_text: str,
                 assignment: Assignment | None = None) -> str:
    """Checks the linked person, organisation and material; returns the material's name to keep."""
    reach = reach_of(actor)
    if person is not None and not (reach.covers_obj(person) or person.pk == getattr(actor, "person_id", None)):
        raise NotFound(_("关联人员不存在或不在您的管辖范围内"))
    if organisation is not None and not reach.covers_obj(organisation):
        raise NotFound(_("关联组织不存在或不在您的管辖范围内"))
    if link_type not in Evidence.LinkType.values:
        raise ValidationFailed(_("关联材料类型无效"), fields={"link_type": _("取值无效")})
    if link_type and not (link_id or (link_text or "").strip()):
        raise ValidationFailed(_("请填写关联材料的名称或编号"), fields={"link_text": _("请填写名称或编号")})
    if link_id and link_type not in WORK_LINKS:
        raise ValidationFailed(_("只有调研报告、建议案、妇情日记可以按编号关联"), fields={"link_id": _("请选择材料类型")})
    if link_id and assignment is not None:
        return (link_text or "").strip() or linked_work(link_type, link_id, assignment).title
    return (link_text or "").strip()


def _check_day(day, assignment: Assignment) -> date:
    if not isinstance(day, date):
        raise ValidationFailed(_("请填写日期"), fields={"day": _("请填写日期")})
    if day > periods.today():
        raise ValidationFailed(_("日期不能晚于今天"), fields={"day": _("不能晚于今天")})
    if day.year != assignment.year:
        raise ValidationFailed(_("日期应在 {year} 年内").format(year=assignment.year), fields={"day": _("应在 {year} 年内").format(year=assignment.year)})
    return day


def evidence_record(*, actor, assignment: Assignment, item: ChecklistItem, what: str, day: date,
                    with_whom: str = "", attachment=None, person=None, organisation=None, link_type: str = "",
                    link_id: int | None = None, link_text: str = "", supersedes: Evidence | None = None) -> Evidence:
    """Record what a member did against one item; her progress is recomputed in the same transaction."""
    own = _may_record(actor, assignment)
    if assignment.status != Assignment.Status.ACTIVE:
        raise ValidationFailed(_("该履职清单已撤销，不能再记录"), fields={"assignment": _("已撤销")})
    if item.template_id != assignment.template_id or not item.is_active:
        raise NotFound(_("清单中没有这个事项"))
    what = require_text(what, "what", _("做了什么"))
    _check_day(day, assignment)
    check_upload(attachment)
    link_type = link_type or ""
    link_text = _check_links(actor, person, organisation, link_type, link_id, link_text, assignment)
    ev = Evidence(assignment=assignment, item=item, kind=item.evidence_kind, what=what[:200], day=day,
                  with_whom=(with_whom or "").strip()[:200], person=person, organisation=organisation,
                  link_type=link_type, link_id=link_id or None, link_text=(link_text or "").strip()[:200],
                  recorded_by=actor if getattr(actor, "pk", None) else None, on_behalf=not own, supersedes=supersedes)
    ev.place_in(assignment.unit)
    if attachment is not None:
        ev.attachment_name = (attachment.name or "")[-200:]
    full_clean_or_raise(ev, exclude=["attachment", "assignment", "item", "unit", "person", "organisation",
                                     "supersedes", "recorded_by"])
    with uploads.kept_only_if_saved() as keep, transaction.atomic():
        if attachment is not None:
            ev.attachment.save(attachment.name, attachment, save=False)
            keep(ev.attachment)
        ev.save()
        metrics.EVIDENCE.move(ev, after={"status": Evidence.Status.RECORDED})
        refresh_progress(assignment)
        audit.record(actor, Action.EVIDENCE_RECORD, ev, summary=f"{item.title}：{what}"[:300],
                     detail={"assignment": assignment.pk, "item": item.pk, "on_behalf": not own,
                             "person": assignment.person_id, "corrects": supersedes.pk if supersedes else None})
    return ev


def evidence_from_work(*, actor, person, link_type: str, link_id: int, what: str, day: date) -> Evidence | None:
    """A report or proposal just filed in fieldwork, recorded on the matching item (调研报告 / 建议案)
    of her own checklist for that year, so she does not enter it twice. None when she has no
    such item, may not record duties, or the day cannot count (another year, in the future)."""
    kind = WORK_ITEMS.get(link_type)
    if (kind is None or getattr(actor, "person_id", None) != person.pk or not has_perm(actor, "duties.record")
            or day > periods.today()):
        return None
    item = (ChecklistItem.objects.filter(evidence_kind=kind, is_active=True, template__assignments__person=person,
                                         template__assignments__year=day.year,
                                         template__assignments__status=Assignment.Status.ACTIVE)
            .order_by("template__assignments__id", "order", "id").first())
    if item is None:
        return None
    assignment = Assignment.objects.get(template_id=item.template_id, person=person, year=day.year)
    return evidence_record(actor=actor, assignment=assignment, item=item, what=what, day=day, link_type=link_type,
                           link_id=link_id)


def _retire(actor, evidence: Evidence, version: int | None, status: str, reason: str) -> None:
    if evidence.status != Evidence.Status.RECORDED:
        raise ValidationFailed(_("该记录已撤回或已更正"), fields={"status": evidence.get_status_display()})
    evidence.status = status
    evidence.withdrawn_by = actor if getattr(actor, "pk", None) else None
    evidence.withdrawn_at = periods.now()
    evidence.withdrawn_reason = (reason or "").strip()[:200]
    bump_version(evidence, version, ["status", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
    metrics.EVIDENCE.move(evidence, before={"status": Evidence.Status.RECORDED}, after={"status": status})


def evidence_withdraw(*, actor, evidence: Evidence, version: int | None, reason: str = "") -> Evidence:
    """Withdraw a record (kept, marked, audited); progress drops in the same transaction."""
    assignment = evidence.assignment
    own = _may_record(actor, assignment)
    with transaction.atomic():
        _retire(actor, evidence, version, Evidence.Status.WITHDRAWN, reason)
        refresh_progress(assignment)
        audit.record(actor, Action.EVIDENCE_WITHDRAW, evidence, summary=f"撤回：{evidence.what}"[:300],
                     detail={"assignment": assignment.pk, "reason": evidence.withdrawn_reason, "on_behalf": not own})
    return evidence


def evidence_correct(*, actor, evidence: Evidence, version: int | None, **changes) -> Evidence:
    """A correction: a new record carrying the changes, superseding the old one (which is kept)."""
    assignment = evidence.assignment
    _may_record(actor, assignment)
    allowed = {"what", "day", "with_whom", "person", "organisation", "link_type", "link_id", "link_text"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(_("不能更正这些字段：{value}").format(value=', '.join(sorted(unknown))))
    values = {f: getattr(evidence, f) for f in allowed} | changes
    with transaction.atomic():
        _retire(actor, evidence, version, Evidence.Status.SUPERSEDED, _("更正"))
        new = evidence_record(actor=actor, assignment=assignment, item=evidence.item, supersedes=evidence, **values)
        if evidence.attachment:
            Evidence.objects.filter(pk=new.pk).update(attachment=evidence.attachment.name,
                                                      attachment_name=evidence.attachment_name)
            new.attachment.name, new.attachment_name = evidence.attachment.name, evidence.attachment_name
    return new


# ---------------------------------------------------------------- reminders


def reminder_message(a: Assignment, day: date) -> str:
    return (_("{name}：您{year}年的“{name2}”已完成 {items_done}/{items_total} 项，距年底还有 {value} 天，请抓紧履职并及时记录。").format(name=a.person.name, year=a.year, name2=a.template.name, items_done=a.items_done, items_total=a.items_total, value=rules.days_left(day, a.year)))


def _accounts_of(person_ids) -> dict[int, list]:
    """The members' own active accounts by person (one query): a reminder goes to their notifications
    (bell, home page)."""
    out: dict[int, list] = {}
    for user in User.objects.filter(person_id__in=set(person_ids), is_active=True):
        out.setdefault(user.person_id, []).append(user)
    return out


def reminders_send(*, actor, assignments, day: date | None = None) -> list[Reminder]:
    """Record a reminder for each given assignment that is behind on `day`, at most one per day each.

    `assignments` comes from queries.behind_for (already scoped); `actor` None is the scheduler.
    Running twice on the same day sends nothing the second time.
    """
    if actor is not None:
        require(actor, "duties.manage")
    day = day or periods.today()
    reach = reach_of(actor) if actor is not None else None
    made = []
    with transaction.atomic():
        todo = list(assignments)
        if reach is not None and any(not reach.covers_obj(a) for a in todo):
            raise NotFound()
        sent = set(Reminder.objects.filter(day=day, assignment_id__in=[a.pk for a in todo])
                   .values_list("assignment_id", flat=True))
        accounts = _accounts_of(a.person_id for a in todo if a.pk not in sent)
        for a in todo:
            if a.pk in sent or a.status != Assignment.Status.ACTIVE:
                continue
            r = Reminder(assignment=a, day=day, message=reminder_message(a, day), items_done=a.items_done,
                         sent_by=actor if getattr(actor, "pk", None) else None)
            r.place_in(a.unit)
            try:
                with transaction.atomic():
                    r.save()
            except IntegrityError:  # a concurrent run sent it first
                continue
            reached = notify.notify(accounts.get(a.person_id, []), kind="duties.reminder", text=r.message,
                                    link=f"/duties/?year={a.year}")
            audit.record(actor, Action.REMINDER_SEND, r, summary=r.message[:300],
                         detail={"assignment": a.pk, "day": day.isoformat(), "notified": reached})
            made.append(r)
    return made


# ---------------------------------------------------------------- reviews


def review_record(*, actor, assignment: Assignment, rating: str, comment: str = "", reviewed_on: date | None = None,
                  version: int | None = None) -> Review:
    """The annual review (述职评议) of a member; a second call revises it under a version check."""
    require(actor, "duties.manage")
    ensure_unit_in_reach(actor, assignment)
    if rating not in Review.Rating.values:
        raise ValidationFailed(_("请选择评议等次"), fields={"rating": _("请选择优秀、称职、基本称职或不称职")})
    reviewed_on = reviewed_on or periods.today()
    if reviewed_on > periods.today():
        raise ValidationFailed(_("评议日期不能晚于今天"), fields={"reviewed_on": _("不能晚于今天")})
    existing = Review.objects.filter(assignment=assignment).first()
    if existing is not None:
        changes = {"rating": rating, "comment": (comment or "").strip()[:500], "reviewed_on": reviewed_on}
        with transaction.atomic():
            apply_changes(actor=actor, obj=existing, version=version, changes=changes,
                          allowed={"rating", "comment", "reviewed_on"}, action=Action.REVIEW_UPDATE)
            if existing.reviewer_id != getattr(actor, "pk", None):
                Review.objects.filter(pk=existing.pk).update(reviewer=actor)
                existing.reviewer = actor
        return existing
    if version not in (None, 0):  # the caller read a review that is no longer there
        raise StaleVersion()
    review = Review(assignment=assignment, rating=rating, comment=(comment or "").strip()[:500],
                    reviewed_on=reviewed_on, reviewer=actor if getattr(actor, "pk", None) else None)
    review.place_in(assignment.unit)
    full_clean_or_raise(review, exclude=["assignment", "unit", "reviewer"])
    with transaction.atomic():
        review.save()
        audit.record(actor, Action.REVIEW_RECORD, review, summary=f"{assignment.person.name}：{source_text(Review.Rating(review.rating).label)}",
                     detail={"assignment": assignment.pk, "rating": rating})
    return review
