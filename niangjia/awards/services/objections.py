"""Objections during the public notice (公示异议) and the reminder when the notice ends."""


from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.awards.audit_actions import Action
from niangjia.core import audit, notify, periods, sms, summaries
from niangjia.core.errors import Conflict, StaleVersion, ValidationFailed
from niangjia.core.idempotency import run_once
from niangjia.core.models import Notification
from niangjia.core.public import tracking_code
from niangjia.core.sensitive import assign_sealed, decrypt
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_phone

from .. import queries, rules
from ..models import AwardRound, Nomination, Objection
from .base import (
    METRIC_OBJECTION,
    lock_round,
    require_manager,
    today,
    user_of,
)

# ---------------------------------------------------------------- objections (公示异议)


def objection_file(*, rnd: AwardRound, nomination_id, text: str, contact_name: str = "", contact_phone: str = "",
                   form_key: str = "") -> tuple[Objection, bool]:
    """Anyone may object to a proposed awardee during the notice period (contact optional)."""
    problems = {}
    phone = ""
    if contact_phone:
        try:
            phone = clean_phone(contact_phone, "contact_phone")
        except ValidationFailed as exc:
            problems.update(exc.fields)
    if not (text or "").strip():
        problems["text"] = _("请填写异议内容")
    nom = Nomination.objects.filter(pk=nomination_id, round=rnd, status=Nomination.Status.PROPOSED).first() \
        if str(nomination_id or "").isdigit() else None
    if nom is None:
        problems["nomination"] = _("请选择异议针对的拟表彰对象")
    if problems:
        raise ValidationFailed("；".join(problems.values()), fields=problems)

    def create():
        locked = lock_round(rnd)
        problem = rules.objection_problem(locked.phase, today(), locked.notice_ends)
        if problem:
            raise rules.refuse(problem)
        obj = Objection(round=locked, nomination=nom, text=text.strip(), contact_name=(contact_name or "").strip()[:50],
                        tracking_code=tracking_code(8), day=today())
        obj.place_in(locked.unit)
        assign_sealed(obj, "contact_phone", "phone", phone)
        full_clean_or_raise(obj)
        obj.save()
        audit.record(None, Action.OBJECTION_FILE, obj, detail={"nomination": nom.pk})
        summaries.bump(METRIC_OBJECTION, locked.unit, obj.day)
        notify.notify(notify.unit_officers(locked.unit, "awards.manage"), kind="awards.objection",
                      text=format_lazy(gettext_lazy("“{name}”公示收到对{nominee_name}的异议，请核实答复"), name=locked.name,
                                       nominee_name=nom.nominee_name),
                      link=f"/awards/{locked.pk}/objections/#objection-{obj.pk}")
        return obj

    if not form_key:
        with transaction.atomic():
            return create(), True
    return run_once("awards.objection", form_key, create)


def objection_answer(*, actor, objection: Objection, outcome: str, answer: str,
                     version: int | None = None) -> Objection:
    """The round's federation answers an objection; an upheld one removes the nominee from the list."""
    rnd = objection.round
    require_manager(actor, rnd)
    if outcome not in (Objection.Outcome.UPHELD, Objection.Outcome.DISMISSED):
        raise ValidationFailed(_("请选择答复结论：异议成立或不成立"), fields={"outcome": _("请选择")})
    answer = require_text(answer, "answer", _("答复内容"))
    with transaction.atomic():
        locked = lock_round(rnd)
        if locked.phase != rules.NOTICE:
            raise rules.refuse(_("只有公示阶段可以答复异议"))
        obj = Objection.objects.select_for_update().get(pk=objection.pk)
        if version is not None and obj.version != version:
            raise StaleVersion()
        if obj.outcome:
            raise Conflict(_("该异议已答复"))
        obj.outcome, obj.answer = outcome, answer
        obj.answered_by, obj.answered_at = user_of(actor), periods.now()
        obj.version += 1
        obj.save()
        removed = 0
        if outcome == Objection.Outcome.UPHELD:
            removed = Nomination.objects.filter(pk=obj.nomination_id, status=Nomination.Status.PROPOSED).update(
                status=Nomination.Status.REMOVED)
        texted = _tell_objector(obj, locked)
        audit.record(actor, Action.OBJECTION_ANSWER, obj, detail={"outcome": outcome, "removed": removed,
                                                                   "objector_texted": texted})
    return obj


OBJECTION_ANSWERED = "awards.objection_answered"
TRACK_PATH = "/p/awards/track/"


def _tell_objector(obj: Objection, rnd: AwardRound) -> bool:
    """Text the objector who left a phone that her objection was answered, and where to read it."""
    if not obj.contact_phone_enc:
        return False
    code = f"{obj.tracking_code[:4]}-{obj.tracking_code[4:]}"
    sms.send_sms(decrypt(obj.contact_phone_enc),
                 _("【娘家】您对“{name}”公示提出的异议已答复（{outcome}）。请用查询码 {code} 在 {path} 查看答复。").format(
                     name=rnd.name[:20], outcome=obj.get_outcome_display(), code=code, path=TRACK_PATH),
                 purpose=OBJECTION_ANSWERED)
    return True


# ---------------------------------------------------------------- the periodic check


NOTICE_DUE_KIND = "awards.notice_due"


def notice_due_remind(*, today=None) -> int:
    """Tell each round's officers once a day, after its notice period ended, what finalizing still
    needs (unanswered objections) or that it may be finalized. Returns notifications written."""
    today = today or today()
    sent = 0
    for rnd in AwardRound.objects.filter(phase=rules.NOTICE, notice_ends__lt=today).select_related("unit"):
        problems = rules.finalize_problems(rnd.phase, today, rnd.notice_ends, queries.unanswered_count(rnd))
        text = (_("“{name}”公示期已结束，").format(name=rnd.name) + ("；".join(problems) + _("，答复后才能确定结果") if problems
                                                else _("异议均已答复，可以确定评选结果")))
        link = f"/awards/{rnd.pk}/"
        already = set(Notification.objects.filter(kind=NOTICE_DUE_KIND, link=link, created_at__date=today)
                      .values_list("recipient_id", flat=True))
        with transaction.atomic():
            sent += notify.notify([u for u in notify.unit_officers(rnd.unit, "awards.manage") if u.pk not in already],
                                  kind=NOTICE_DUE_KIND, text=text, link=link)
    return sent
