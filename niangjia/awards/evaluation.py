"""Women's evaluation of the shortlist (群众评议): one ballot per person, immutable once submitted.

A woman proves she is one person either by a check code sent to her phone (the ballot is keyed by
the phone's blind index) or by a one-time link a federation handed her (keyed by the link). A
retried submission (same form key) returns the first ballot; a second ballot by the same person is
refused.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.awards.audit_actions import Action
from niangjia.core import audit, onetime, periods, policies, ratelimit, sms, summaries
from niangjia.core.errors import Conflict, NotFound, ValidationFailed
from niangjia.core.idempotency import link_key, replayed, run_once
from niangjia.core.models import IdempotencyKey
from niangjia.core.sensitive import blind_index, mask_phone
from niangjia.core.validation import require_text
from niangjia.core.validators import clean_phone

from . import metrics, queries, rules
from .models import AwardRound, Ballot, BallotMark, BallotVoid, CheckCode, Nomination
from .services import require_manager

METRIC_BALLOT = metrics.BALLOT.name
LINK_PURPOSE = "awards.evaluate"
CODE_PURPOSE = "awards.check_code"
LINK_SCOPE = "awards.ballot_link"
MSG_ALREADY = gettext_lazy("您已经参与过本次评议，每人只能评议一次")
MSG_CODE_WRONG = gettext_lazy("验证码不正确或已过期")


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def evaluation_open_problem(rnd: AwardRound) -> str:
    if rnd.phase != rules.EVALUATION:
        return _("当前不在群众评议阶段")
    if periods.today() > rnd.evaluation_ends:
        return _("群众评议已于 {evaluation_ends}截止").format(evaluation_ends=rules.cn_day(rnd.evaluation_ends))
    return ""


def _ensure_open(rnd: AwardRound) -> None:
    problem = evaluation_open_problem(rnd)
    if problem:
        raise rules.refuse(problem)


# ---------------------------------------------------------------- check codes by SMS


def code_send(*, rnd: AwardRound, phone: str) -> None:
    """Send a 6-digit check code to a phone (at most 3 per phone per 10 minutes)."""
    _ensure_open(rnd)
    phone = clean_phone(phone, "phone")
    bidx = blind_index(phone)
    ratelimit.check("awards.code", bidx, limit=3, per_seconds=600, message=_("验证码发送过于频繁，请 10 分钟后再试"))
    if Ballot.objects.filter(round=rnd, voter_key=f"sms:{bidx}").exists():
        raise Conflict(MSG_ALREADY)
    policy = policies.resolve(rules.EVALUATION_POLICY, rnd.unit)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        CheckCode.objects.create(round=rnd, phone_bidx=bidx, digest=_digest(code),
                                 expires_at=periods.now() + timedelta(minutes=int(policy["code_ttl_minutes"])))
        sms.send_sms(phone, _("【娘家】您参与“{name}”群众评议的验证码是 {code}，{minutes} 分钟内有效。").format(
            name=rnd.name, code=code, minutes=policy["code_ttl_minutes"]), purpose=CODE_PURPOSE)


def _check_code(rnd: AwardRound, bidx: str, code: str, *, consume: bool) -> None:
    """Accept the newest unused code for this phone. A wrong try is counted in its own transaction
    (so the refusal cannot roll it back); `consume` marks the code used inside the ballot's."""
    policy = policies.resolve(rules.EVALUATION_POLICY, rnd.unit)
    with transaction.atomic():
        row = CheckCode.objects.select_for_update().filter(round=rnd, phone_bidx=bidx, used_at__isnull=True).first()
        if row is None or row.expires_at <= periods.now() or row.attempts >= int(policy["code_attempts"]):
            raise ValidationFailed(MSG_CODE_WRONG, fields={"code": MSG_CODE_WRONG})
        good = secrets.compare_digest(row.digest, _digest((code or "").strip()))
        if not good:
            CheckCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
        elif consume:
            row.used_at = periods.now()
            row.save(update_fields=["used_at"])
    if not good:
        raise ValidationFailed(MSG_CODE_WRONG, fields={"code": MSG_CODE_WRONG})


# ---------------------------------------------------------------- one-time links


def links_issue(*, actor, rnd: AwardRound, phones: list[str] | None = None, count: int = 0) -> list[str]:
    """Issue evaluation links: sent by SMS to each phone given, and/or `count` links handed back
    (to print or pass on). Returns the raw tokens of the links not sent by SMS."""
    require_manager(actor, rnd)
    if rnd.phase not in (rules.NOMINATION, rules.EVALUATION):
        raise rules.refuse(_("评议已结束，不能再发放评议链接"))
    cleaned = []
    for n, raw in enumerate(phones or [], start=1):
        try:
            cleaned.append(clean_phone(raw, "phones"))
        except ValidationFailed as exc:
            raise ValidationFailed(_("第 {n} 个手机号无效：{raw}").format(n=n, raw=raw), fields={"phones": exc.message}) from exc
    if not 0 <= count <= 500:
        raise ValidationFailed(_("链接数应为 0–500"), fields={"count": _("应为 0–500")})
    if not cleaned and not count:
        raise ValidationFailed(_("请填写手机号或链接数"), fields={"phones": _("请填写手机号或链接数")})
    ttl = timedelta(days=max(1, (rnd.evaluation_ends - periods.today()).days + 1))
    handed = []
    with transaction.atomic():
        for phone in cleaned:
            raw = onetime.issue(LINK_PURPOSE, rnd, ttl=ttl)
            sms.send_sms(phone, _("【娘家】邀请您参与“{name}”群众评议：/p/awards/evaluate/{raw}/").format(name=rnd.name, raw=raw),
                         purpose=LINK_PURPOSE)
        for _i in range(count):
            handed.append(onetime.issue(LINK_PURPOSE, rnd, ttl=ttl))
        audit.record(actor, Action.EVALUATION_LINKS, rnd, detail={"sms": len(cleaned), "handed": count})
    return handed


def round_of_link(token: str) -> AwardRound:
    t = onetime.peek(LINK_PURPOSE, token)
    try:
        return AwardRound.objects.select_related("unit").get(pk=t.subject_id)
    except AwardRound.DoesNotExist as exc:
        raise NotFound(onetime.MSG_INVALID) from exc


# ---------------------------------------------------------------- ballots


def _clean_marks(rnd: AwardRound, marks: dict) -> dict[int, int]:
    try:
        out = {int(k): int(v) for k, v in (marks or {}).items() if str(v).strip() not in ("", "0")}
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("评议内容无效"), fields={"marks": _("应为数字")}) from exc
    shortlist = set(Nomination.objects.filter(round=rnd, status=Nomination.Status.SHORTLISTED)
                    .values_list("pk", flat=True))
    problem = rules.ballot_problem(rnd.mode, out, shortlist, rnd.max_choices)
    if problem:
        raise ValidationFailed("；".join(problem.values()), fields=problem)
    return out


def _write_ballot(rnd: AwardRound, voter_key: str, voter_mask: str, channel: str, marks: dict[int, int]) -> Ballot:
    ballot = Ballot(round=rnd, voter_key=voter_key, voter_mask=voter_mask, channel=channel,
                    day=periods.today())
    ballot.place_in(rnd.unit)
    try:
        with transaction.atomic():
            ballot.save()
    except IntegrityError as exc:
        raise Conflict(MSG_ALREADY) from exc
    BallotMark.objects.bulk_create([BallotMark(ballot=ballot, nomination_id=k, score=v) for k, v in marks.items()])
    audit.record(None, Action.AWARDS_BALLOT, ballot, detail={"channel": channel, "marks": len(marks)})
    summaries.bump(METRIC_BALLOT, rnd.unit, ballot.day)
    return ballot


def ballot_by_code(*, rnd: AwardRound, phone: str, code: str, marks: dict, form_key: str = "") -> tuple[Ballot, bool]:
    """A ballot proven by a phone check code. Returns (ballot, created)."""
    phone = clean_phone(phone, "phone")
    bidx = blind_index(phone)
    cleaned = _clean_marks(rnd, marks)
    if not _seen(form_key):  # a retry of a stored ballot goes straight to run_once, which returns it
        if Ballot.objects.filter(round=rnd, voter_key=f"sms:{bidx}").exists():
            raise Conflict(MSG_ALREADY)
        _check_code(rnd, bidx, code, consume=False)  # outside the ballot's transaction: a wrong try stays counted

    def create():
        locked = AwardRound.objects.select_for_update().get(pk=rnd.pk)
        _ensure_open(locked)
        if Ballot.objects.filter(round=locked, voter_key=f"sms:{bidx}").exists():
            raise Conflict(MSG_ALREADY)
        _check_code(locked, bidx, code, consume=True)
        return _write_ballot(locked, f"sms:{bidx}", mask_phone(phone), Ballot.Channel.SMS, cleaned)

    return run_once("awards.ballot", form_key, create)


def ballot_by_link(*, token: str, marks: dict, form_key: str = "", rnd: AwardRound | None = None) -> tuple[Ballot, bool]:
    """A ballot through a one-time link (the link is used up by it); `rnd`, when given, must be the
    link's round. A resend with the same form key after the ballot was saved returns it
    (created=False) instead of "link already used"."""
    idem = link_key(token, form_key)
    first = replayed(LINK_SCOPE, idem)
    if first is not None:
        return first, False
    link_round = round_of_link(token)
    if rnd is not None and link_round.pk != rnd.pk:
        raise NotFound(onetime.MSG_INVALID)
    cleaned = _clean_marks(link_round, marks)

    def create():
        locked = AwardRound.objects.select_for_update().get(pk=link_round.pk)
        _ensure_open(locked)
        t = onetime.consume(LINK_PURPOSE, token)
        return _write_ballot(locked, f"link:{t.pk}", _("评议链接"), Ballot.Channel.LINK, cleaned)

    return run_once(LINK_SCOPE, idem, create)


def _seen(form_key: str) -> bool:
    return bool(form_key) and IdempotencyKey.objects.filter(scope="awards.ballot", key=form_key).exists()


# ---------------------------------------------------------------- voiding a fraudulent ballot


MSG_VOID_PHASE = gettext_lazy("只有群众评议阶段可以作废评议票（进入公示后拟表彰名单已确定）")


def ballot_void(*, actor, ballot: Ballot, reason: str) -> BallotVoid:
    """The round's federation voids a ballot found fraudulent: a new audited record (who, when, why);
    the ballot stays as it was, and tallies leave it out. Only while the evaluation is under way."""
    rnd = ballot.round
    require_manager(actor, rnd)
    reason = require_text(reason, "reason", _("作废原因"))[:200]
    with transaction.atomic():
        locked = AwardRound.objects.select_for_update().get(pk=rnd.pk)
        if locked.phase != rules.EVALUATION:
            raise rules.refuse(MSG_VOID_PHASE)
        if BallotVoid.objects.filter(ballot=ballot).exists():
            raise Conflict(_("该评议票已作废"))
        void = BallotVoid(ballot=ballot, round=locked, reason=reason, voided_by=actor)
        void.place_in(locked.unit)
        void.save()
        audit.record(actor, Action.BALLOT_VOID, ballot, unit=locked,
                     detail={"reason": reason, "marks": dict(ballot.marks.values_list("nomination_id", "score"))})
    return void


def shortlist_for_ballot(rnd: AwardRound) -> list[Nomination]:
    return [n for n in queries.shortlist(rnd) if n.status == Nomination.Status.SHORTLISTED]
