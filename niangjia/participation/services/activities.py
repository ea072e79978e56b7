"""Writes of co-designed activities: planning, co-designers, registration with a waiting list,
cancellation with promotion, attendance and ratings.

Registration serialises on the activity row (select_for_update) so two women can never take
the last place at once. Summaries: registrations by status (moved when a status changes) and
ratings with their score sum, so a mean is total/count at any level of the tree.
"""

from datetime import date, time

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from niangjia.core import audit, periods, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from niangjia.core.idempotency import replayed, run_once
from niangjia.core.public import normalise_code, tracking_code
from niangjia.core.roles import require
from niangjia.core.sensitive import assign_sealed, blind_index
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_phone

from .. import metrics, rules
from ..models import Activity, Channel, CoDesigner, Rating, Registration

REGISTRATION_METRIC = metrics.REGISTRATION.name
RATING_METRIC = metrics.RATING.name
ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)
TAKEN = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED, Registration.Status.ABSENT)
EDITABLE = {"title", "description", "place", "day", "start_time", "capacity", "consultation", "design_notes",
            "status"}
MSG_NOT_OPEN = "该活动目前不接受报名"
MSG_ALREADY = "此手机号已经报名了这个活动"
MSG_CODE = "查询码不正确"
MSG_CAPACITY = "名额至少为 1"


def today() -> date:
    return periods.today()


# ---------------------------------------------------------------- planning


def _check_consultation(unit, consultation) -> None:
    if consultation is not None and getattr(consultation, f"l{unit.level}", None) != unit.pk \
            and getattr(unit, f"l{consultation.unit.level}", None) != consultation.unit_id:
        raise ValidationFailed("所选意见征集不属于本组织或其上级", fields={"consultation": "不在范围内"})


def activity_create(*, actor, unit, title: str, day: date, capacity: int, description: str = "", place: str = "",
                    start_time: time | None = None, consultation=None, design_notes: str = "",
                    status: str = Activity.Status.PLANNED) -> Activity:
    require(actor, "participation.manage")
    ensure_unit_in_reach(actor, unit)
    _check_consultation(unit, consultation)
    if not isinstance(capacity, int) or capacity < 1:
        raise ValidationFailed(MSG_CAPACITY, fields={"capacity": MSG_CAPACITY})
    a = Activity(title=require_text(title, "title", "活动名称"), day=day, capacity=capacity, status=status,
                 description=(description or "").strip(), place=(place or "").strip(), start_time=start_time,
                 consultation=consultation, design_notes=(design_notes or "").strip(), created_by=actor)
    a.place_in(unit)
    full_clean_or_raise(a, exclude=["unit", "consultation"])
    with transaction.atomic():
        a.save()
        audit.record(actor, "participation.activity_create", a, detail={"capacity": capacity})
    return a


def activity_update(*, actor, activity: Activity, version: int | None, changes: dict) -> Activity:
    """Edit an activity; a larger capacity moves the waiting list up at once."""
    require(actor, "participation.manage")
    if "capacity" in changes and (not isinstance(changes["capacity"], int) or changes["capacity"] < 1):
        raise ValidationFailed(MSG_CAPACITY, fields={"capacity": MSG_CAPACITY})
    if "consultation" in changes:
        _check_consultation(activity.unit, changes["consultation"])
    with transaction.atomic():
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
        apply_changes(actor=actor, obj=activity, version=version, changes=changes, allowed=EDITABLE,
                      action="participation.activity_update")
        _promote(activity)
    return activity


def codesigner_add(*, actor, activity: Activity, person=None, name: str = "", contribution: str = "") -> CoDesigner:
    """Name a woman who helped design the activity: a person in reach, or a free name."""
    require(actor, "participation.manage")
    if person is not None:
        ensure_unit_in_reach(actor, person)
        name = name or person.name
    d = CoDesigner(activity=activity, person=person, name=require_text(name, "name", "姓名")[:40],
                   contribution=(contribution or "").strip()[:200])
    with transaction.atomic():
        d.save()
        audit.record(actor, "participation.codesigner_add", activity, detail={"codesigner": d.pk,
                                                                             "person": getattr(person, "pk", None)})
    return d


def codesigner_remove(*, actor, codesigner: CoDesigner) -> None:
    require(actor, "participation.manage")
    with transaction.atomic():
        audit.record(actor, "participation.codesigner_remove", codesigner.activity,
                     detail={"codesigner": codesigner.pk, "name": codesigner.name})
        codesigner.delete()


def activities_close_due(*, on: date | None = None) -> list[Activity]:
    """Close registration of every activity still 'open' after its day (报名中 → 报名截止), each
    in its own transaction, audited without an actor (a scheduled job). Safe to run twice: a
    second run finds nothing to close."""
    on = on or today()
    closed = []
    for pk in Activity.objects.filter(status=Activity.Status.OPEN, day__lt=on).order_by("id").values_list("pk",
                                                                                                          flat=True):
        with transaction.atomic():
            a = Activity.objects.select_for_update().select_related("unit").get(pk=pk)
            if a.status != Activity.Status.OPEN or a.day >= on:
                continue
            a.status, a.version = Activity.Status.CLOSED, a.version + 1
            a.save(update_fields=["status", "version"])
            audit.record(None, "participation.activity_close_due", a, detail={"day": str(a.day)})
            closed.append(a)
    return closed


# ---------------------------------------------------------------- registration and the waiting list


def _move(reg: Registration, new_status: str) -> None:
    """Change a registration's status and move its count between summary statuses."""
    old = reg.status
    # conditional on the status it was read in: of two parallel moves only one applies (and moves the counts)
    moved = Registration.objects.filter(pk=reg.pk, status=old).update(status=new_status, version=F("version") + 1)
    if moved != 1:
        raise Conflict("该报名刚被他人更改，请刷新后重试", code=ErrorCode.TRANSITION)
    reg.status = new_status
    reg.version += 1
    place = reg.activity.unit
    metrics.REGISTRATION.move(reg, before={"status": old, "place": place}, after={"place": place})


def _promote(activity: Activity) -> list[Registration]:
    """Fill free places from the waiting list, first come first served (inside the locked write)."""
    taken = activity.registrations.filter(status__in=TAKEN).count()
    waiting = list(activity.registrations.filter(status=Registration.Status.WAITING).order_by("id"))
    ids = rules.to_promote(activity.capacity, taken, [r.pk for r in waiting])
    promoted = [r for r in waiting if r.pk in ids]
    for reg in promoted:
        reg.activity = activity
        _move(reg, Registration.Status.CONFIRMED)
        audit.record(None, "participation.waitlist_promote", reg.activity, detail={"registration": reg.pk})
    return promoted


MSG_LATE_NEEDS_STAFF = "活动开始后只能由工作人员依签到表补录报名"
MSG_NOT_STARTED = "活动尚未开始，请按正常方式报名"


def registration_refusal(activity: Activity, *, after_the_fact: bool = False) -> str | None:
    """Why `activity` does not take a registration now (None when it does).

    Normally: only while it is open for registration and has not started. After the fact (a cadre
    entering the sign-in sheet of a held activity): only once it has started and unless cancelled."""
    now = timezone.localtime()
    over = rules.registration_closed(activity.day, activity.start_time, now.date(), now.time())
    if after_the_fact:
        if over is None:
            return MSG_NOT_STARTED
        return "活动已取消，不能补录报名" if activity.status in (Activity.Status.CANCELLED,
                                                            Activity.Status.PLANNED) else None
    if activity.status != Activity.Status.OPEN:
        return MSG_NOT_OPEN
    return over


def register(*, activity: Activity, name: str, phone: str, key: str, channel: str = Channel.WEBSITE,
             actor=None, after_the_fact: bool = False) -> tuple[Registration, bool]:
    """A woman registers (public page, WeChat, or a cadre for her): a place while any remain,
    else the waiting list. One active registration per phone; a retry returns the first.

    Registration closes when the activity starts (its day, or its start time on the day). A cadre
    may still enter a held activity's sign-in sheet `after_the_fact` (audited as such)."""
    if channel not in Channel.values:
        raise ValidationFailed("来源渠道无效", fields={"channel": "来源渠道无效"})
    if after_the_fact and actor is None:
        raise rules.refuse(MSG_LATE_NEEDS_STAFF)
    if actor is not None:
        require(actor, "participation.manage")
        ensure_unit_in_reach(actor, activity)
    name = require_text(name, "name", "姓名")
    if len(name) > 40:
        raise ValidationFailed("姓名不能超过40字", fields={"name": "姓名不能超过40字"})
    phone = clean_phone(phone, "phone")
    if not (key or "").strip():
        raise ValidationFailed("缺少提交标识，请刷新页面后重试", fields={"key": "缺少"})

    def create() -> Registration:
        locked = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
        refusal = registration_refusal(locked, after_the_fact=after_the_fact)
        if refusal:
            raise rules.refuse(refusal)
        if locked.registrations.filter(phone_bidx=blind_index(phone), status__in=ACTIVE).exists():
            raise Conflict(MSG_ALREADY, fields={"phone": MSG_ALREADY})
        taken = locked.registrations.filter(status__in=TAKEN).count()
        waiting = locked.registrations.filter(status=Registration.Status.WAITING).count()
        reg = Registration(activity=locked, day=today(), name=name, channel=channel, tracking_code=tracking_code(),
                           status=rules.status_on_register(locked.capacity, taken, waiting))
        assign_sealed(reg, "phone", "phone", phone)
        reg.place_in(locked.unit)
        reg.save()
        summaries.bump(REGISTRATION_METRIC, locked.unit, reg.day, status=reg.status)
        audit.record(actor, "participation.register", reg, detail={"activity": locked.pk, "status": reg.status,
                                                                   "channel": channel,
                                                                   "after_the_fact": after_the_fact})
        return reg

    return run_once(f"participation.register.{activity.pk}", key.strip(), create)


def registration_by_code(code: str) -> Registration:
    code = normalise_code(code)
    reg = Registration.objects.select_related("activity", "activity__unit").filter(tracking_code=code).first() \
        if code else None
    if reg is None:
        raise NotFound(MSG_CODE)
    return reg


def registration_cancel(*, registration: Registration, actor=None) -> list[Registration]:
    """Cancel a place or a waiting-list entry (by the woman with her code, or a cadre); the first
    waiting women move up into freed places. Returns who was promoted."""
    if actor is not None:
        require(actor, "participation.manage")
    with transaction.atomic():
        activity = Activity.objects.select_for_update().select_related("unit").get(pk=registration.activity_id)
        reg = Registration.objects.get(pk=registration.pk)
        if rules.REGISTRATION_PIPELINE.problem("cancel", reg.status):
            raise rules.refuse("该报名已取消或活动已结束，不能再取消")
        if activity.day < today():
            raise rules.refuse("活动已举办，不能再取消报名")
        reg.activity = activity
        _move(reg, Registration.Status.CANCELLED)
        audit.record(actor, "participation.registration_cancel", reg, detail={"activity": activity.pk})
        promoted = _promote(activity)
    registration.status = reg.status
    return promoted


def attendance_mark(*, actor, registration: Registration, attended: bool) -> Registration:
    """Mark a confirmed participant as attended or absent (on or after the activity day)."""
    require(actor, "participation.manage")
    activity = registration.activity
    if activity.day > today():
        raise rules.refuse("活动当天或之后才能登记到场情况")
    problem = rules.registration_step_problem("attend" if attended else "absent", registration.status,
                                              "只有已报名（非候补、未取消）的妇女可以登记到场")
    if problem:
        raise rules.refuse(problem)
    if not attended and Rating.objects.filter(registration=registration).exists():
        raise rules.refuse("她已评价过这次活动，不能改为未到场")
    new = Registration.Status.ATTENDED if attended else Registration.Status.ABSENT
    if new == registration.status:
        return registration
    with transaction.atomic():
        _move(registration, new)
        audit.record(actor, "participation.attendance_mark", registration, detail={"attended": attended})
    return registration


RATING_SCOPE = "participation.rating"


def rating_submit(*, registration: Registration, score, comment: str = "", key: str = "") -> tuple[Rating, bool]:
    """The participant rates the activity she attended (1–5 and a comment), once.

    Retry-safe: a resend with the same submission key after her rating was saved returns it
    (created=False) instead of "already rated". Returns (rating, created)."""
    idem = f"{registration.pk}:{key.strip()[:150]}" if (key or "").strip() else ""
    if (first := replayed(RATING_SCOPE, idem)) is not None:
        return first, False

    def create() -> Rating:
        reg = Registration.objects.select_for_update().select_related("activity", "activity__unit") \
            .get(pk=registration.pk)
        already = Rating.objects.filter(registration=reg).exists()
        problem = rules.rating_problem(reg.status, already, reg.activity.day, today(), score)
        if problem:
            field = "score" if "评分" in problem else "registration"
            raise ValidationFailed(problem, fields={field: problem})
        if len(comment or "") > 500:
            raise ValidationFailed("评价不能超过500字", fields={"comment": "评价不能超过500字"})
        rating = Rating(registration=reg, activity=reg.activity, day=today(), score=score,
                        comment=(comment or "").strip())
        rating.place_in(reg.activity.unit)
        rating.save()
        summaries.bump(RATING_METRIC, reg.activity.unit, rating.day, total=score)
        audit.record(None, "participation.rating_submit", rating, detail={"activity": reg.activity_id,
                                                                          "score": score})
        return rating

    return run_once(RATING_SCOPE, idem, create)
