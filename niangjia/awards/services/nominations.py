"""Nominations (by a federation or by the public) and the nominee's consent."""


from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.awards.audit_actions import Action
from niangjia.core import audit, onetime, periods, sms, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.errors import Conflict, ValidationFailed
from niangjia.core.idempotency import link_key, replayed, run_once
from niangjia.core.public import tracking_code
from niangjia.core.roles import require
from niangjia.core.sensitive import assign_sealed, decrypt
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_phone
from niangjia.org.models import Federation

from .. import queries, rules
from ..models import AwardRound, Nomination
from .base import (
    CONSENT_PURPOSE,
    CONSENT_TTL,
    METRIC_NOMINATION,
    lock_round,
    nominating_unit,
    today,
    user_of,
)

# ---------------------------------------------------------------- nominations


def _nomination_open(rnd: AwardRound) -> None:
    if rnd.phase != rules.NOMINATION:
        raise rules.refuse(_("本次评选已进入“{phase_name}”阶段，不再接受推荐").format(phase_name=rnd.phase_name))
    if today() > rnd.nomination_ends:
        raise rules.refuse(_("推荐已于 {nomination_ends}截止").format(nomination_ends=rules.cn_day(rnd.nomination_ends)))


NOMINEE_LABELS = {"nominee_name": gettext_lazy("被推荐人姓名"), "nominee_place": gettext_lazy("所在单位或村社区"), "deeds": gettext_lazy("主要事迹")}


def _nominee_fields(nominee_name, nominee_place, deeds) -> dict:
    """The nominee's three required fields, stripped; every empty one named at once."""
    values = {"nominee_name": nominee_name, "nominee_place": nominee_place, "deeds": deeds}
    out = {k: (v or "").strip() for k, v in values.items()}
    missing = {k: _("{NOMINEE_LABELS}不能为空").format(NOMINEE_LABELS=NOMINEE_LABELS[k]) for k, v in out.items() if not v}
    if missing:
        raise ValidationFailed("；".join(missing.values()), fields=missing)
    return out


def _send_consent_link(nom: Nomination, phone: str) -> None:
    raw = onetime.issue(CONSENT_PURPOSE, nom, ttl=CONSENT_TTL)
    sms.send_sms(phone, _("【娘家】{unit}“{award}”评选：有人推荐了您。请打开链接确认是否同意：{link}").format(
        unit=nom.round.unit.name, award=nom.round.award, link=f"/p/awards/consent/{raw}/"), purpose=CONSENT_PURPOSE)


def nomination_create_org(*, actor, rnd: AwardRound, unit, nominee_name: str, nominee_place: str, deeds: str,
                          nominee_phone: str = "", consent_in_person: bool = False,
                          consent_note: str = "") -> Nomination:
    """An organisational nomination by a child federation, within its quota."""
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, unit)
    nominating_unit(rnd, unit)
    fields = _nominee_fields(nominee_name, nominee_place, deeds)
    phone = clean_phone(nominee_phone, "nominee_phone") if nominee_phone else ""
    with transaction.atomic():
        rnd = lock_round(rnd)
        _nomination_open(rnd)
        problem = rules.org_quota_problem(unit.name, queries.org_quota_of(rnd, unit), queries.org_used(rnd, unit))
        if problem:
            raise Conflict(problem, fields={"unit": problem})
        nom = Nomination(round=rnd, kind=Nomination.Kind.ORG, day=today(), created_by=user_of(actor),
                         nominator_name=unit.name, **fields)
        nom.place_in(unit)
        assign_sealed(nom, "nominee_phone", "phone", phone)
        if consent_in_person:
            _mark_consent(nom, actor, given=True, via=Nomination.ConsentVia.IN_PERSON, note=consent_note)
        full_clean_or_raise(nom)
        nom.save()
        audit.record(actor, Action.NOMINATION_CREATE, nom, detail={"kind": "org", "round": rnd.pk})
        summaries.bump(METRIC_NOMINATION, unit, nom.day, category=nom.kind)
        if phone and not consent_in_person:
            _send_consent_link(nom, phone)
    return nom


def nomination_create_public(*, rnd: AwardRound, place_unit_id, nominator_name: str, nominator_phone: str,
                             nominee_name: str, nominee_place: str, deeds: str, nominee_phone: str = "",
                             form_key: str = "") -> tuple[Nomination, bool]:
    """A public (social) nomination from the no-login form; retry-safe by `form_key`.

    Returns (nomination, created)."""
    problems = {}
    if not (nominator_name or "").strip():
        problems["nominator_name"] = _("请填写您的姓名")
    try:
        nominator = clean_phone(nominator_phone, "nominator_phone")
    except ValidationFailed as exc:
        problems.update(exc.fields)
        nominator = ""
    nominee = ""
    if nominee_phone:
        try:
            nominee = clean_phone(nominee_phone, "nominee_phone")
        except ValidationFailed as exc:
            problems.update(exc.fields)
    unit = Federation.objects.filter(pk=place_unit_id or 0, parent_id=rnd.unit_id, is_active=True).first() \
        if str(place_unit_id or "").isdigit() else None
    if unit is None:
        problems["place_unit"] = _("请选择被推荐人所在地区")
    try:
        fields = _nominee_fields(nominee_name, nominee_place, deeds)
    except ValidationFailed as exc:
        problems.update(exc.fields)
    if problems:
        raise ValidationFailed("；".join(problems.values()), fields=problems)

    def create():
        locked = lock_round(rnd)
        _nomination_open(locked)
        problem = rules.public_quota_problem(locked.public_quota, queries.public_used(locked))
        if problem:
            raise Conflict(problem)
        nom = Nomination(round=locked, kind=Nomination.Kind.PUBLIC, day=today(), tracking_code=tracking_code(8),
                         nominator_name=nominator_name.strip()[:50], **fields)
        nom.place_in(unit)
        assign_sealed(nom, "nominator_phone", "phone", nominator)
        assign_sealed(nom, "nominee_phone", "phone", nominee)
        full_clean_or_raise(nom)
        nom.save()
        audit.record(None, Action.NOMINATION_CREATE, nom, detail={"kind": "public", "round": locked.pk})
        summaries.bump(METRIC_NOMINATION, unit, nom.day, category=nom.kind)
        if nominee:
            _send_consent_link(nom, nominee)
        return nom

    if not form_key:
        with transaction.atomic():
            return create(), True
    return run_once("awards.public_nomination", form_key, create)


def nomination_withdraw(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """Withdraw a nomination while nominations are open; its quota place is freed."""
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, nomination)
    reason = require_text(reason, "reason", _("撤回原因"))
    with transaction.atomic():
        rnd = lock_round(nomination.round)
        if rnd.phase != rules.NOMINATION:
            raise rules.refuse(_("推荐阶段结束后不能撤回推荐"))
        # conditional on the status: of two parallel withdrawals (or a withdrawal and a shortlisting) one applies
        open_ = (Nomination.Status.SUBMITTED, Nomination.Status.SHORTLISTED)
        if Nomination.objects.filter(pk=nomination.pk, status__in=open_).update(
                status=Nomination.Status.WITHDRAWN, version=F("version") + 1) != 1:
            raise Conflict(_("该推荐已撤回"))
        nomination.refresh_from_db(fields=["status", "version"])
        audit.record(actor, Action.NOMINATION_WITHDRAW, nomination, detail={"reason": reason})
    return nomination


# ---------------------------------------------------------------- consent


def _mark_consent(nom: Nomination, actor, *, given: bool, via: str, note: str = "") -> None:
    nom.consent = Nomination.Consent.GIVEN if given else Nomination.Consent.DECLINED
    nom.consent_via = via
    nom.consent_at = periods.now()
    nom.consent_by = user_of(actor)
    nom.consent_note = (note or "")[:200]
    if not given and nom.status == Nomination.Status.SHORTLISTED:
        nom.status = Nomination.Status.SUBMITTED


CONSENT_FIELDS = ["consent", "consent_via", "consent_at", "consent_by", "consent_note", "status"]


def consent_record_in_person(*, actor, nomination: Nomination, given: bool = True, note: str = "") -> Nomination:
    """A cadre records that the nominee agreed (or declined) in person: who and when are kept."""
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, nomination)
    if nomination.round.phase != rules.NOMINATION:
        raise rules.refuse(_("推荐阶段结束后不能再变更本人意见"))
    with transaction.atomic():
        _mark_consent(nomination, actor, given=given, via=Nomination.ConsentVia.IN_PERSON, note=note)
        nomination.save(update_fields=CONSENT_FIELDS)
        onetime.revoke_for(nomination, CONSENT_PURPOSE)
        audit.record(actor, Action.CONSENT_IN_PERSON, nomination, detail={"given": given, "note": note})
    return nomination


def consent_send_link(*, actor, nomination: Nomination, phone: str = "") -> None:
    """(Re)send the consent link by SMS to the nominee's phone (or a phone the cadre gives)."""
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, nomination)
    target = clean_phone(phone, "phone") if phone else decrypt(nomination.nominee_phone_enc)
    if not target:
        raise ValidationFailed(_("没有被推荐人的手机号，请填写"), fields={"phone": _("请填写手机号")})
    if nomination.consent != Nomination.Consent.PENDING:
        raise Conflict(_("被推荐人已表明意见"))
    with transaction.atomic():
        if phone:
            assign_sealed(nomination, "nominee_phone", "phone", target)
            nomination.save(update_fields=["nominee_phone_enc", "nominee_phone_mask"])
        onetime.revoke_for(nomination, CONSENT_PURPOSE)
        _send_consent_link(nomination, target)
        audit.record(actor, Action.CONSENT_LINK_SENT, nomination)


CONSENT_SCOPE = "awards.consent"


def consent_by_link(*, token: str, given: bool, key: str = "") -> tuple[Nomination, bool]:
    """The nominee answers through her one-time link (no login). Returns (nomination, created).

    Retry-safe: a resend with the same submission key after her answer was saved returns it
    (created=False) instead of "link already used"."""
    idem = link_key(token, key)
    first = replayed(CONSENT_SCOPE, idem)
    if first is not None:
        return first, False

    def create() -> Nomination:
        t = onetime.consume(CONSENT_PURPOSE, token)
        nom = Nomination.objects.select_for_update().select_related("round", "round__unit").get(pk=t.subject_id)
        if nom.round.phase != rules.NOMINATION:
            raise Conflict(_("推荐阶段已结束，无法再确认"))
        _mark_consent(nom, None, given=given, via=Nomination.ConsentVia.LINK)
        nom.save(update_fields=CONSENT_FIELDS)
        audit.record(None, Action.CONSENT_LINK, nom, detail={"given": given})
        return nom

    return run_once(CONSENT_SCOPE, idem, create)
