"""Writes of award rounds: the only code that writes rounds, quotas, nominations, consent, the
shortlist, phases, objections and the final result (ballots: see evaluation.py).

Every function checks the permission, keeps the write inside the actor's reach, and audits in the
same transaction. Quotas are counted while the round's row is locked (select_for_update), so two
concurrent nominations cannot both take the last place.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.awards.audit_actions import Action
from niangjia.core import audit, notify, onetime, periods, policies, sms, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Conflict, StaleVersion, ValidationFailed
from niangjia.core.idempotency import link_key, replayed, run_once
from niangjia.core.models import Notification
from niangjia.core.public import tracking_code
from niangjia.core.roles import require
from niangjia.core.sensitive import assign_sealed, decrypt
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_phone
from niangjia.org.models import Federation

from . import metrics, queries, rules
from .models import AwardRound, Nomination, Objection, RoundQuota

METRIC_NOMINATION = metrics.NOMINATION.name
METRIC_OBJECTION = metrics.OBJECTION.name
CONSENT_PURPOSE = "awards.consent"
CONSENT_TTL = timedelta(days=14)
ROUND_FIELDS = {"name", "award", "kind", "description", "places", "default_org_quota", "public_quota", "mode",
                "max_choices", "nomination_ends", "evaluation_ends"}
MSG_NO_CONSENT = gettext_lazy("被推荐人本人尚未同意推荐，不能入围")


def _today():
    return periods.today()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def require_manager(actor, rnd: AwardRound) -> None:
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, rnd)


def _lock(rnd: AwardRound) -> AwardRound:
    """Re-read the round under a row lock (inside the caller's transaction)."""
    return AwardRound.objects.select_for_update().get(pk=rnd.pk)


# ---------------------------------------------------------------- rounds and quotas


def round_create(*, actor, unit, name: str, award: str, nomination_ends, evaluation_ends, kind: str = "individual",
                 description: str = "", places: int = 10, default_org_quota: int | None = None,
                 public_quota: int | None = None, mode: str | None = None,
                 max_choices: int | None = None) -> AwardRound:
    """A federation opens a round for its subtree; quotas and evaluation default to the policies."""
    require(actor, "awards.manage")
    ensure_unit_in_reach(actor, unit)
    quota = policies.resolve(rules.QUOTA_POLICY, unit)
    ev = policies.resolve(rules.EVALUATION_POLICY, unit)
    problem = rules.round_dates_problem(nomination_ends, evaluation_ends)
    if problem:
        raise ValidationFailed("；".join(problem.values()), fields=problem)
    rnd = AwardRound(
        name=require_text(name, "name", _("评选名称")), award=require_text(award, "award", _("荣誉称号")), kind=kind,
        description=description or "", places=places, mode=mode or ev["mode"],
        default_org_quota=quota["org_per_federation"] if default_org_quota is None else default_org_quota,
        public_quota=quota["public_per_round"] if public_quota is None else public_quota,
        max_choices=ev["max_choices"] if max_choices is None else max_choices,
        nomination_ends=nomination_ends, evaluation_ends=evaluation_ends, code=tracking_code(8),
        created_by=_user(actor))
    rnd.place_in(unit)
    full_clean_or_raise(rnd, exclude=["code"])
    if rnd.places < 1:
        raise ValidationFailed(_("表彰名额至少为 1"), fields={"places": _("至少为 1")})
    with transaction.atomic():
        rnd.save()
        audit.record(actor, Action.ROUND_CREATE, rnd)
    return rnd


def round_update(*, actor, rnd: AwardRound, version: int | None, **changes) -> AwardRound:
    """Settings change only while nominations are open."""
    require_manager(actor, rnd)
    if rnd.phase != rules.NOMINATION:
        raise rules.refuse(_("推荐阶段结束后不能再修改评选设置"))
    merged = {f: changes.get(f, getattr(rnd, f)) for f in ("nomination_ends", "evaluation_ends")}
    problem = rules.round_dates_problem(merged["nomination_ends"], merged["evaluation_ends"])
    if problem:
        raise ValidationFailed("；".join(problem.values()), fields=problem)
    apply_changes(actor=actor, obj=rnd, version=version, changes=changes, allowed=ROUND_FIELDS,
                  action=Action.ROUND_UPDATE)
    return rnd


def _nominating_unit(rnd: AwardRound, unit) -> Federation:
    if unit is None or unit.parent_id != rnd.unit_id:
        raise ValidationFailed(_("推荐单位应为{name}的直属下级妇联").format(name=rnd.unit.name), fields={"unit": _("不是直属下级妇联")})
    return unit


def quota_set(*, actor, rnd: AwardRound, unit, org_quota: int | None) -> RoundQuota | None:
    """The round's federation sets one child's org quota (None: back to the default)."""
    require_manager(actor, rnd)
    _nominating_unit(rnd, unit)
    if rnd.phase != rules.NOMINATION:
        raise rules.refuse(_("推荐阶段结束后不能再调整名额"))
    if org_quota is not None and not 0 <= org_quota <= 999:
        raise ValidationFailed(_("名额应为 0–999"), fields={"org_quota": _("应为 0–999")})
    with transaction.atomic():
        rnd = _lock(rnd)
        used = queries.org_used(rnd, unit)
        if org_quota is not None and org_quota < used:
            raise ValidationFailed(_("{name}已推荐 {used} 名，名额不能少于已推荐人数").format(name=unit.name, used=used),
                                   fields={"org_quota": _("不能少于已推荐的 {used} 名").format(used=used)})
        if org_quota is None:
            RoundQuota.objects.filter(round=rnd, unit=unit).delete()
            row = None
        else:
            row, _created = RoundQuota.objects.update_or_create(round=rnd, unit=unit, defaults={"org_quota": org_quota})
        audit.record(actor, Action.QUOTA_SET, rnd, summary=f"{unit.name} 组织推荐名额：{org_quota or '默认'}",
                     detail={"unit": unit.pk, "org_quota": org_quota})
    return row


# ---------------------------------------------------------------- nominations


def _nomination_open(rnd: AwardRound) -> None:
    if rnd.phase != rules.NOMINATION:
        raise rules.refuse(_("本次评选已进入“{phase_name}”阶段，不再接受推荐").format(phase_name=rnd.phase_name))
    if _today() > rnd.nomination_ends:
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
    _nominating_unit(rnd, unit)
    fields = _nominee_fields(nominee_name, nominee_place, deeds)
    phone = clean_phone(nominee_phone, "nominee_phone") if nominee_phone else ""
    with transaction.atomic():
        rnd = _lock(rnd)
        _nomination_open(rnd)
        problem = rules.org_quota_problem(unit.name, queries.org_quota_of(rnd, unit), queries.org_used(rnd, unit))
        if problem:
            raise Conflict(problem, fields={"unit": problem})
        nom = Nomination(round=rnd, kind=Nomination.Kind.ORG, day=_today(), created_by=_user(actor),
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
        locked = _lock(rnd)
        _nomination_open(locked)
        problem = rules.public_quota_problem(locked.public_quota, queries.public_used(locked))
        if problem:
            raise Conflict(problem)
        nom = Nomination(round=locked, kind=Nomination.Kind.PUBLIC, day=_today(), tracking_code=tracking_code(8),
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
        rnd = _lock(nomination.round)
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
    nom.consent_by = _user(actor)
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


# ---------------------------------------------------------------- shortlist and phases


def shortlist_set(*, actor, nomination: Nomination, on: bool) -> Nomination:
    """The round's federation puts a nominee on (or takes her off) the shortlist; consent first."""
    rnd = nomination.round
    require_manager(actor, rnd)
    with transaction.atomic():
        rnd = _lock(rnd)
        if rnd.phase != rules.NOMINATION:
            raise rules.refuse(_("只有推荐阶段可以调整入围名单"))
        nom = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if on:
            if nom.status != Nomination.Status.SUBMITTED:
                raise Conflict(_("该推荐当前为“{status}”，不能入围").format(status=nom.get_status_display()))
            if nom.consent != Nomination.Consent.GIVEN:
                raise Conflict(MSG_NO_CONSENT)
            nom.status = Nomination.Status.SHORTLISTED
        else:
            if nom.status != Nomination.Status.SHORTLISTED:
                raise Conflict(_("该推荐不在入围名单中"))
            nom.status = Nomination.Status.SUBMITTED
        nom.save(update_fields=["status"])
        audit.record(actor, Action("awards.shortlist." + ("add" if on else "remove")), nom, unit=rnd)
    nomination.status = nom.status
    return nom


def phase_advance(*, actor, rnd: AwardRound, to: str, version: int | None = None,
                  proposed_ids: list[int] | None = None) -> AwardRound:
    """Move the round to its next phase (only in order); entering the notice period names the proposed
    awardees (the evaluation's top `places`, unless the federation names them) and fixes its dates."""
    require_manager(actor, rnd)
    if to == rules.FINAL:
        return round_finalize(actor=actor, rnd=rnd, version=version)
    with transaction.atomic():
        locked = _lock(rnd)
        if version is not None and locked.version != version:
            raise StaleVersion()
        problem = rules.transition_problem(locked.phase, to)
        if problem:
            raise rules.refuse(problem)
        if to == rules.EVALUATION:
            _enter_evaluation(locked)
        elif to == rules.NOTICE:
            _enter_notice(locked, proposed_ids)
        locked.phase = to
        locked.version += 1
        locked.save()
        audit.record(actor, Action.AWARDS_PHASE, locked, summary=f"进入“{rules.PHASE_NAMES[to]}”阶段",
                     detail={"to": to})
    _copy(locked, rnd)
    return rnd


def _copy(src: AwardRound, dst: AwardRound) -> None:
    for f in ("phase", "version", "evaluation_started_on", "notice_starts", "notice_ends", "finalized_on",
              "finalized_by_id"):
        setattr(dst, f, getattr(src, f))


def _enter_evaluation(rnd: AwardRound) -> None:
    if not Nomination.objects.filter(round=rnd, status=Nomination.Status.SHORTLISTED).exists():
        raise rules.refuse(_("入围名单为空，不能开始群众评议"))
    rnd.evaluation_started_on = _today()
    Nomination.objects.filter(round=rnd, status=Nomination.Status.SUBMITTED).update(
        status=Nomination.Status.NOT_SHORTLISTED)


def _enter_notice(rnd: AwardRound, proposed_ids: list[int] | None) -> None:
    shortlisted = set(Nomination.objects.filter(round=rnd, status=Nomination.Status.SHORTLISTED)
                      .values_list("pk", flat=True))
    if proposed_ids is None:
        chosen = rules.proposed_from(rules.rank(rnd.mode, queries.tallies(rnd)), rnd.places)
    else:
        chosen = list(dict.fromkeys(int(i) for i in proposed_ids))
        if set(chosen) - shortlisted:
            raise ValidationFailed(_("拟表彰对象只能从入围名单中产生"), fields={"proposed": _("包含未入围的推荐")})
        if len(chosen) > rnd.places:
            raise ValidationFailed(_("拟表彰对象不能超过表彰名额 {places} 名").format(places=rnd.places), fields={"proposed": _("超过名额")})
    if not chosen:
        raise rules.refuse(_("没有拟表彰对象，不能进入公示"))
    Nomination.objects.filter(pk__in=chosen).update(status=Nomination.Status.PROPOSED)
    Nomination.objects.filter(pk__in=shortlisted - set(chosen)).update(status=Nomination.Status.NOT_SELECTED)
    rnd.notice_starts = _today()
    rnd.notice_ends = rules.notice_end(rnd.notice_starts, policies.resolve(rules.NOTICE_POLICY, rnd.unit))


def round_finalize(*, actor, rnd: AwardRound, version: int | None = None) -> AwardRound:
    """Make the result final: only after the notice period has ended and every objection is answered."""
    require_manager(actor, rnd)
    with transaction.atomic():
        locked = _lock(rnd)
        if version is not None and locked.version != version:
            raise StaleVersion()
        problems = rules.finalize_problems(locked.phase, _today(), locked.notice_ends,
                                           queries.unanswered_count(locked))
        if problems:
            raise rules.refuse(_("还不能确定结果：") + "；".join(problems))
        awarded = Nomination.objects.filter(round=locked, status=Nomination.Status.PROPOSED).update(
            status=Nomination.Status.AWARDED)
        locked.phase = rules.FINAL
        locked.finalized_on = _today()
        locked.finalized_by = _user(actor)
        locked.version += 1
        locked.save()
        audit.record(actor, Action.AWARDS_FINALIZE, locked, detail={"awarded": awarded})
    _copy(locked, rnd)
    return rnd


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
        locked = _lock(rnd)
        problem = rules.objection_problem(locked.phase, _today(), locked.notice_ends)
        if problem:
            raise rules.refuse(problem)
        obj = Objection(round=locked, nomination=nom, text=text.strip(), contact_name=(contact_name or "").strip()[:50],
                        tracking_code=tracking_code(8), day=_today())
        obj.place_in(locked.unit)
        assign_sealed(obj, "contact_phone", "phone", phone)
        full_clean_or_raise(obj)
        obj.save()
        audit.record(None, Action.OBJECTION_FILE, obj, detail={"nomination": nom.pk})
        summaries.bump(METRIC_OBJECTION, locked.unit, obj.day)
        notify.notify(notify.unit_officers(locked.unit, "awards.manage"), kind="awards.objection",
                      text=_("“{name}”公示收到对{nominee_name}的异议，请核实答复").format(name=locked.name, nominee_name=nom.nominee_name),
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
        locked = _lock(rnd)
        if locked.phase != rules.NOTICE:
            raise rules.refuse(_("只有公示阶段可以答复异议"))
        obj = Objection.objects.select_for_update().get(pk=objection.pk)
        if version is not None and obj.version != version:
            raise StaleVersion()
        if obj.outcome:
            raise Conflict(_("该异议已答复"))
        obj.outcome, obj.answer = outcome, answer
        obj.answered_by, obj.answered_at = _user(actor), periods.now()
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
    today = today or _today()
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
