"""Writes of consultations: the questionnaire, publishing, answers (public, WeChat, paper),
phone check codes, one-time links, and turning free-text answers into needs or ideas."""

import hmac
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max

from niangjia.core import audit, onetime, periods, policies, summaries
from niangjia.core.access import ensure_unit_in_reach
from niangjia.core.crud import apply_changes
from niangjia.core.errors import Conflict, ErrorCode, NotFound, StaleVersion, ValidationFailed
from niangjia.core.idempotency import replayed, run_once
from niangjia.core.roles import require
from niangjia.core.sensitive import blind_index
from niangjia.core.sms import send_sms
from niangjia.core.validation import full_clean_or_raise, require_text
from niangjia.core.validators import clean_phone
from niangjia.core.versioning import bump_version

from .. import metrics, rules
from ..models import Answer, Channel, Consultation, Idea, Identity, PhoneCheck, Question, Response

RESPONSE_METRIC = metrics.RESPONSE.name
LINK_PURPOSE = "participation.answer"
MSG_NOT_OPEN = "该意见征集{state}，暂不接受答卷"
MSG_PHONE_USED = "此手机号已经提交过答卷，每人只能提交一份"
MSG_CODE_WRONG = "验证码不正确"
MSG_CODE_MISSING = "请先获取并填写手机验证码"
MSG_CODE_SOON = "验证码已发送，请稍后再重新获取"
MSG_LINK_NEEDED = "该意见征集只接受受邀链接答卷，请使用发给您的链接"
MSG_FROZEN = "已有答卷，问卷题目不能再修改"
MSG_NO_QUESTIONS = "问卷至少需要一道题才能发布"
MSG_AUDIENCE = "面向范围应为本组织或其下级组织"
MSG_DATES = "截止日期不能早于开始日期"
MSG_DIRECTION = "移动方向应为上移或下移"
MSG_SHEET = "答卷有未完成或填写有误的题目"
EDITABLE = {"title", "intro", "opens_on", "closes_on", "identity", "via_link", "via_wechat", "via_website",
            "via_paper"}


def today() -> date:
    return periods.today()


def state_of(c: Consultation, on: date | None = None) -> str:
    return rules.window_state(c.opens_on, c.closes_on, on or today(), c.published)


# ---------------------------------------------------------------- the consultation


def _check_audience(unit, audience) -> None:
    if audience is None or getattr(audience, f"l{unit.level}", None) != unit.pk:
        raise ValidationFailed(MSG_AUDIENCE, fields={"audience": MSG_AUDIENCE})


def _check_dates(opens_on, closes_on) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationFailed(MSG_DATES, fields={"closes_on": MSG_DATES})


def consultation_create(*, actor, unit, title: str, opens_on: date, closes_on: date, audience=None,
                        intro: str = "", identity: str = Identity.ANONYMOUS, via_link: bool = True,
                        via_wechat: bool = True, via_website: bool = False, via_paper: bool = False) -> Consultation:
    """Open a consultation (a draft until published) for `audience`, a subtree of `unit`."""
    require(actor, "participation.manage")
    ensure_unit_in_reach(actor, unit)
    audience = audience or unit
    _check_audience(unit, audience)
    _check_dates(opens_on, closes_on)
    c = Consultation(title=require_text(title, "title", "标题"), intro=(intro or "").strip(), audience=audience,
                     opens_on=opens_on, closes_on=closes_on, identity=identity, via_link=via_link,
                     via_wechat=via_wechat, via_website=via_website, via_paper=via_paper, created_by=actor)
    c.place_in(unit)
    full_clean_or_raise(c, exclude=["unit", "audience"])
    with transaction.atomic():
        c.save()
        audit.record(actor, "participation.consultation_create", c, detail={"identity": identity})
    return c


def consultation_update(*, actor, consultation: Consultation, version: int | None, changes: dict) -> Consultation:
    require(actor, "participation.manage")
    if "identity" in changes and changes["identity"] != consultation.identity and (
            consultation.response_count or consultation.responses.exists()):
        raise ValidationFailed("已有答卷，不能再改变防重复方式", fields={"identity": MSG_FROZEN})
    _check_dates(changes.get("opens_on", consultation.opens_on), changes.get("closes_on", consultation.closes_on))
    apply_changes(actor=actor, obj=consultation, version=version, changes=changes, allowed=EDITABLE,
                  action="participation.consultation_update")
    return consultation


def consultation_publish(*, actor, consultation: Consultation, version: int | None, published: bool = True):
    """Publish (answers are taken between the dates) or take back to draft."""
    require(actor, "participation.manage")
    if published and not consultation.questions.exists():
        raise ValidationFailed(MSG_NO_QUESTIONS, fields={"questions": MSG_NO_QUESTIONS})
    apply_changes(actor=actor, obj=consultation, version=version, changes={"published": published},
                  allowed={"published"}, action="participation.consultation_publish")
    return consultation


# ---------------------------------------------------------------- questions (the builder)


def _require_editable(actor, consultation: Consultation) -> None:
    require(actor, "participation.manage")
    if consultation.response_count or consultation.responses.exists():
        raise Conflict(MSG_FROZEN, code=ErrorCode.TRANSITION)


def _clean_question(kind, text, options, required, max_choices, scale) -> dict:
    options = [str(o).strip() for o in (options or []) if str(o).strip()]
    problems = rules.question_problem(kind, text, options, max_choices, scale)
    if problems:
        raise ValidationFailed("；".join(problems.values()), fields=problems)
    choice = kind in ("single", "multiple")
    return {"kind": kind, "text": text.strip(), "options": options if choice else [], "required": bool(required),
            "max_choices": max_choices if kind == "multiple" else None, "scale": scale if kind == "rating" else 5}


def question_add(*, actor, consultation: Consultation, kind: str, text: str, options=None, required: bool = True,
                 max_choices: int | None = None, scale: int = 5) -> Question:
    _require_editable(actor, consultation)
    fields = _clean_question(kind, text, options, required, max_choices, scale)
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        count = consultation.questions.count()
        if count >= rules.MAX_QUESTIONS:
            raise ValidationFailed(f"问卷最多{rules.MAX_QUESTIONS}道题")
        last = consultation.questions.aggregate(m=Max("position"))["m"] or 0
        q = Question.objects.create(consultation=consultation, position=last + 1, **fields)
        audit.record(actor, "participation.question_add", consultation, detail={"question": q.pk, "kind": kind})
    return q


def question_update(*, actor, question: Question, version: int | None, kind: str, text: str, options=None,
                    required: bool = True, max_choices: int | None = None, scale: int = 5) -> Question:
    """Rewrite a question, only if it is still the version the editor read (a stale edit answers 409)."""
    _require_editable(actor, question.consultation)
    fields = _clean_question(kind, text, options, required, max_choices, scale)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(question, name, value)
        bump_version(question, version, list(fields))
        audit.record(actor, "participation.question_update", question.consultation, detail={"question": question.pk})
    return question


def _locked_questions(consultation: Consultation, question: Question, version: int | None) -> list[Question]:
    """The questionnaire in order, its rows locked (PostgreSQL) so two builders' moves and removals queue;
    refused as stale when `question` is no longer the version the caller read (or is gone)."""
    siblings = list(consultation.questions.select_for_update().order_by("position", "id"))
    current = next((q for q in siblings if q.pk == question.pk), None)
    if current is None or (version is not None and current.version != version):
        raise StaleVersion()
    return siblings


def _renumber(ordered: list[Question]) -> None:
    """Positions 1..n in this order; a row whose position changes gets a new version (what its editor
    read is no longer the questionnaire's order)."""
    for pos, q in enumerate(ordered, start=1):
        if q.position != pos:
            Question.objects.filter(pk=q.pk).update(position=pos, version=F("version") + 1)


def question_move(*, actor, question: Question, version: int | None, direction: str) -> None:
    """Swap a question with its neighbour ('up' or 'down'); at an end it stays."""
    if direction not in ("up", "down"):
        raise ValidationFailed(MSG_DIRECTION, fields={"direction": MSG_DIRECTION})
    _require_editable(actor, question.consultation)
    with transaction.atomic():
        siblings = _locked_questions(question.consultation, question, version)
        i = next(n for n, q in enumerate(siblings) if q.pk == question.pk)
        j = i - 1 if direction == "up" else i + 1
        if not 0 <= j < len(siblings):
            return
        siblings[i], siblings[j] = siblings[j], siblings[i]
        _renumber(siblings)
        audit.record(actor, "participation.question_move", question.consultation,
                     detail={"question": question.pk, "direction": direction})
    question.refresh_from_db(fields=["position", "version"])


def question_remove(*, actor, question: Question, version: int | None) -> None:
    consultation = question.consultation
    _require_editable(actor, consultation)
    with transaction.atomic():
        siblings = _locked_questions(consultation, question, version)
        audit.record(actor, "participation.question_remove", consultation,
                     detail={"question": question.pk, "text": question.text})
        gone = question.pk
        question.delete()
        _renumber([q for q in siblings if q.pk != gone])


# ---------------------------------------------------------------- one answer per woman


def _code_digest(consultation_id: int, phone_bidx: str, code: str) -> str:
    msg = f"{consultation_id}:{phone_bidx}:{code}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), msg, "sha256").hexdigest()


def _require_open(c: Consultation) -> None:
    state = state_of(c)
    if state != "open":
        raise Conflict(MSG_NOT_OPEN.format(state=rules.WINDOW_LABELS[state]), code=ErrorCode.TRANSITION)


def send_check_code(*, consultation: Consultation, phone: str) -> PhoneCheck:
    """Text a 6-digit code to the phone; only its blind index and the code's keyed hash are kept."""
    _require_open(consultation)
    if consultation.identity != Identity.PHONE:
        raise ValidationFailed("该意见征集不需要手机验证", fields={"phone": "无需验证"})
    phone = clean_phone(phone, "phone")
    bidx = blind_index(phone)
    if Response.objects.filter(consultation=consultation, phone_bidx=bidx, voided_at__isnull=True).exists():
        raise Conflict(MSG_PHONE_USED, fields={"phone": MSG_PHONE_USED})
    policy = policies.resolve("participation.check_code", consultation.unit)
    now = periods.now()
    last = PhoneCheck.objects.filter(consultation=consultation, phone_bidx=bidx).first()
    if last and (now - last.created_at).total_seconds() < policy["resend_seconds"]:
        raise ValidationFailed(MSG_CODE_SOON, fields={"phone": MSG_CODE_SOON})
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        check = PhoneCheck.objects.create(consultation=consultation, phone_bidx=bidx,
                                          code_digest=_code_digest(consultation.pk, bidx, code),
                                          expires_at=now + timedelta(minutes=policy["ttl_minutes"]))
        send_sms(phone, f"【娘家】您参与“{consultation.title[:20]}”的验证码是 {code}，"
                        f"{policy['ttl_minutes']}分钟内有效。", purpose="participation.check_code")
        audit.record(None, "participation.check_code_send", consultation, detail={"check": check.pk})
    return check


def verify_check_code(*, consultation: Consultation, phone: str, code: str) -> str:
    """The phone's blind index when the latest code matches; a wrong try is counted (and kept)."""
    phone = clean_phone(phone, "phone")
    bidx = blind_index(phone)
    check = PhoneCheck.objects.filter(consultation=consultation, phone_bidx=bidx).first()
    if check is None or not (code or "").strip():
        raise ValidationFailed(MSG_CODE_MISSING, fields={"code": MSG_CODE_MISSING})
    policy = policies.resolve("participation.check_code", consultation.unit)
    refusal = rules.code_usable(check.expires_at, check.attempts, periods.now(), policy["max_attempts"])
    if refusal:
        raise ValidationFailed(refusal, fields={"code": refusal})
    if not hmac.compare_digest(check.code_digest, _code_digest(consultation.pk, bidx, code.strip())):
        PhoneCheck.objects.filter(pk=check.pk).update(attempts=F("attempts") + 1)
        left = policy["max_attempts"] - check.attempts - 1
        msg = f"{MSG_CODE_WRONG}，还可尝试 {left} 次" if left > 0 else "验证码错误次数过多，请重新获取"
        raise ValidationFailed(msg, fields={"code": msg})
    return bidx


def issue_links(*, actor, consultation: Consultation, count: int, ttl_days: int = 30) -> list[str]:
    """One-time answer links for invitees (raw tokens, shown once; only hashes are kept)."""
    require(actor, "participation.manage")
    if consultation.identity != Identity.LINK:
        raise ValidationFailed("只有“一次性链接”方式的意见征集才能生成受邀链接", fields={"identity": "方式不符"})
    if not 1 <= count <= 500:
        raise ValidationFailed("每次可生成 1 到 500 个链接", fields={"count": "数量应在 1 到 500 之间"})
    with transaction.atomic():
        tokens = [onetime.issue(LINK_PURPOSE, consultation, ttl=timedelta(days=ttl_days)) for _ in range(count)]
        audit.record(actor, "participation.links_issue", consultation, detail={"count": count, "ttl_days": ttl_days})
    return tokens


# ---------------------------------------------------------------- answers


def specs_of(consultation: Consultation) -> list[rules.QuestionSpec]:
    return [rules.QuestionSpec(q.pk, q.kind, q.required, len(q.options), q.max_choices, q.scale)
            for q in consultation.questions.all()]


def check_sheet(consultation: Consultation, values: dict[int, object]) -> None:
    problems = rules.sheet_problems(specs_of(consultation), values)
    if problems:
        raise ValidationFailed(MSG_SHEET, fields={f"q{k}": v for k, v in problems.items()})


def submit_response(*, consultation: Consultation, values: dict[int, object], channel: str, key: str,
                    phone: str = "", code: str = "", token: str = "", actor=None) -> tuple[Response, bool]:
    """Store one answer sheet. Public and WeChat sheets need the window open and the identity the
    consultation asks for; a paper sheet is entered by a cadre with participation.manage.
    A retry with the same key returns the first sheet (never two)."""
    if channel not in Channel.values:
        raise ValidationFailed("来源渠道无效", fields={"channel": "来源渠道无效"})
    if not (key or "").strip():
        raise ValidationFailed("缺少提交标识，请刷新页面后重试", fields={"key": "缺少"})
    scope = f"participation.response.{consultation.pk}"
    first = replayed(scope, key.strip())
    if first is not None:
        return first, False
    paper = channel == Channel.PAPER
    if paper:
        require(actor, "participation.manage")
        ensure_unit_in_reach(actor, consultation)
        if not consultation.published:
            raise Conflict(MSG_NOT_OPEN.format(state="未发布"), code=ErrorCode.TRANSITION)
    else:
        _require_open(consultation)
    _require_channel(consultation, channel, invited=consultation.identity == Identity.LINK and bool(token))
    check_sheet(consultation, values)
    bidx = _identity(consultation, paper, phone, code, token)

    def create() -> Response:
        if consultation.identity == Identity.LINK and not paper:
            used = onetime.consume(LINK_PURPOSE, token)
            if used.subject_id != str(consultation.pk):
                raise NotFound(onetime.MSG_INVALID)
        return _store(consultation, values, channel, bidx, actor if paper else None)

    return run_once(scope, key.strip(), create)


def channel_refusal(consultation: Consultation, channel: str, *, invited: bool = False) -> str | None:
    """Why the consultation does not take sheets through `channel` now (its channel switches)."""
    return rules.channel_problem(channel, via_link=consultation.via_link, via_wechat=consultation.via_wechat,
                                 via_website=consultation.via_website, via_paper=consultation.via_paper,
                                 invited=invited)


def _require_channel(consultation: Consultation, channel: str, *, invited: bool) -> None:
    refusal = channel_refusal(consultation, channel, invited=invited)
    if refusal:
        raise Conflict(refusal, code=ErrorCode.TRANSITION)


def _identity(consultation: Consultation, paper: bool, phone: str, code: str, token: str) -> str:
    """The phone's blind index when the consultation counts phones ('' otherwise)."""
    if consultation.identity == Identity.PHONE:
        if paper:
            return blind_index(clean_phone(phone, "phone")) if (phone or "").strip() else ""
        return verify_check_code(consultation=consultation, phone=phone, code=code)
    if consultation.identity == Identity.LINK and not paper:
        if not token:
            raise Conflict(MSG_LINK_NEEDED)
        onetime.peek(LINK_PURPOSE, token)
    return ""


def _store(consultation, values, channel, bidx, actor, corrects: Response | None = None) -> Response:
    r = Response(consultation=consultation, day=today(), channel=channel, phone_bidx=bidx, entered_by=actor,
                 corrects=corrects)
    r.place_in(consultation.unit)
    try:
        with transaction.atomic():
            r.save()
    except IntegrityError as exc:  # the unique (consultation, phone) index: a concurrent second sheet
        raise Conflict(MSG_PHONE_USED, fields={"phone": MSG_PHONE_USED}) from exc
    Answer.objects.bulk_create([_answer(r, q, values.get(q.pk)) for q in consultation.questions.all()
                                if not rules.is_blank(q.kind, values.get(q.pk))])
    Consultation.objects.filter(pk=consultation.pk).update(response_count=F("response_count") + 1)
    summaries.bump(RESPONSE_METRIC, consultation.unit, r.day, category=channel)
    audit.record(actor, "participation.response_submit", r, detail={"consultation": consultation.pk,
                                                                    "channel": channel, "phone_checked": bool(bidx),
                                                                    "corrects": getattr(corrects, "pk", None)})
    return r


def _answer(response, q, value) -> Answer:
    if q.kind in ("single", "multiple"):
        return Answer(response=response, question=q, choices=sorted(value))
    if q.kind == "rating":
        return Answer(response=response, question=q, rating=value)
    return Answer(response=response, question=q, text=value.strip())


# ---------------------------------------------------------------- voiding and correcting a paper sheet

MSG_PAPER_ONLY = "只有干部录入的纸质问卷可以作废或更正"
MSG_VOIDED = "该答卷已作废"


def _void_checks(actor, response: Response, reason: str) -> str:
    require(actor, "participation.manage")
    ensure_unit_in_reach(actor, response)
    reason = require_text(reason, "reason", "原因")[:200]
    if response.channel != Channel.PAPER:
        raise Conflict(MSG_PAPER_ONLY, code=ErrorCode.TRANSITION)
    return reason


def _void(actor, response: Response, reason: str) -> Response:
    """Mark the sheet voided under a row lock (inside the caller's transaction); never edits its answers."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.voided_at:
        raise Conflict(MSG_VOIDED, code=ErrorCode.TRANSITION)
    locked.voided_at, locked.voided_by, locked.void_reason = periods.now(), actor, reason
    locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    Consultation.objects.filter(pk=locked.consultation_id).update(response_count=F("response_count") - 1)
    return locked


def response_void(*, actor, response: Response, reason: str) -> Response:
    """Void a mistyped paper sheet (who, when, why are kept; the sheet and its answers stay as typed,
    results leave it out). Audited."""
    reason = _void_checks(actor, response, reason)
    with transaction.atomic():
        voided = _void(actor, response, reason)
        audit.record(actor, "participation.response_void", voided, detail={"reason": reason})
    return voided


def response_correct(*, actor, response: Response, values: dict[int, object], reason: str, key: str,
                     phone: str = "") -> tuple[Response, bool]:
    """Correct a mistyped paper sheet: the old one is voided and a new sheet that points at it is
    stored, in one transaction (never an edit in place). The phone stays the old sheet's unless a
    new one is typed. A retry with the same key returns the first correction."""
    reason = _void_checks(actor, response, reason)
    if not (key or "").strip():
        raise ValidationFailed("缺少提交标识，请刷新页面后重试", fields={"key": "缺少"})
    scope = f"participation.correct.{response.pk}"
    first = replayed(scope, key.strip())
    if first is not None:
        return first, False
    consultation = response.consultation
    check_sheet(consultation, values)
    bidx = blind_index(clean_phone(phone, "phone")) if (phone or "").strip() else response.phone_bidx

    def create() -> Response:
        old = _void(actor, response, reason)
        new = _store(consultation, values, Channel.PAPER, bidx, actor, corrects=old)
        audit.record(actor, "participation.response_correct", old, detail={"reason": reason, "new": new.pk})
        return new

    return run_once(scope, key.strip(), create)


# ---------------------------------------------------------------- free text → needs, ideas


def answer_to_need(*, actor, answer: Answer, category: str, urgency: str = "normal"):
    """Register a free-text answer as a need in the ledger (once)."""
    from niangjia.needs.services import need_register

    require(actor, "participation.manage")
    if answer.question.kind != Question.Kind.TEXT or not answer.text:
        raise ValidationFailed("只有填空题的回答可以转为需求")
    if answer.need_id:
        raise Conflict("这条回答已经转入需求台账")
    if answer.response.voided_at:
        raise Conflict(MSG_VOIDED)
    channel = "wechat" if answer.response.channel == Channel.WECHAT else "website"
    with transaction.atomic():
        need = need_register(actor=actor, unit=answer.response.consultation.unit, category=category,
                             urgency=urgency, description=answer.text[:500], channel=channel,
                             source=("participation.Answer", answer.pk))
        # conditional: of two parallel conversions one registers the need, the other rolls back
        if Answer.objects.filter(pk=answer.pk, need_id__isnull=True).update(need_id=need.pk) != 1:
            raise Conflict("这条回答已经转入需求台账")
        audit.record(actor, "participation.answer_to_need", answer.response, detail={"answer": answer.pk,
                                                                                    "need": need.pk})
    answer.need_id = need.pk
    return need


def idea_add(*, actor, unit, text: str, activity=None, consultation=None, answer: Answer | None = None) -> Idea:
    """An idea for an activity, typed in or taken from a free-text answer."""
    require(actor, "participation.manage")
    ensure_unit_in_reach(actor, unit)
    if answer is not None and answer.idea_id:
        raise Conflict("这条回答已经转为活动点子")
    idea = Idea(activity=activity, consultation=consultation, created_by=actor,
                text=require_text(text, "text", "点子内容")[:1000])
    idea.place_in(unit)
    with transaction.atomic():
        idea.save()
        if answer is not None:
            if Answer.objects.filter(pk=answer.pk, idea__isnull=True).update(idea=idea) != 1:
                raise Conflict("这条回答已经转为活动点子")
            answer.idea = idea
        audit.record(actor, "participation.idea_add", idea, detail={"activity": getattr(activity, "pk", None),
                                                                   "answer": getattr(answer, "pk", None)})
    return idea


def answer_to_idea(*, actor, answer: Answer, activity=None) -> Idea:
    if answer.question.kind != Question.Kind.TEXT or not answer.text:
        raise ValidationFailed("只有填空题的回答可以转为活动点子")
    c = answer.response.consultation
    unit = activity.unit if activity is not None else c.unit
    return idea_add(actor=actor, unit=unit, text=answer.text, activity=activity, consultation=c, answer=answer)
