"""Pure rules of consultations, check codes, registration and ratings (no I/O; tested at edges).

Figures are policies with presets (PRODUCT.md §9 names none, so the presets are the
platform's defaults and a federation may override them).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core import policies
from niangjia.core.pipeline import BY_TARGET, SHORT, Pipeline, Step

CHECK_CODE = policies.register(
    "participation.check_code",
    _("意见征集：手机验证码"),
    {"ttl_minutes": 10, "max_attempts": 5, "resend_seconds": 60},
    _("平台默认值：验证码10分钟内有效，最多尝试5次，60秒后可重发"),
)
RATING_SCALE = (1, 5)
MAX_OPTIONS = 20
MAX_QUESTIONS = 50
QUESTION_SCALES = range(2, 11)

MSG_REQUIRED = _("此题为必答题")
MSG_ONE_CHOICE = _("请选择一项")
MSG_CHOICE_RANGE = _("所选选项不存在")
MSG_TOO_MANY = _("最多选择 {n} 项")
MSG_RATING_RANGE = _("评分应在 1 到 {n} 之间")
MSG_TEXT_LONG = _("内容不能超过1000字")


# ---------------------------------------------------------------- window


def window_state(opens_on: date, closes_on: date, today: date, published: bool) -> str:
    """'draft' until published; then 'not_yet' before opens_on, 'open' through closes_on
    (both days included), 'closed' after."""
    if not published:
        return "draft"
    if today < opens_on:
        return "not_yet"
    if today > closes_on:
        return "closed"
    return "open"


WINDOW_LABELS = {"draft": _("未发布"), "not_yet": _("尚未开始"), "open": _("进行中"), "closed": _("已结束")}


# ---------------------------------------------------------------- channels

MSG_NO_PUBLIC = _("该意见征集未开放公开链接答卷")
MSG_NO_WECHAT = _("该意见征集未开放微信答卷")
MSG_NO_PAPER = _("该意见征集未开启纸质问卷录入")


def channel_problem(channel: str, *, via_link: bool, via_wechat: bool, via_website: bool, via_paper: bool,
                    invited: bool = False) -> str | None:
    """Why an answer sheet may not come in through `channel` (None when it may).

    The public answer page is reached through the public link or the website notice, so either
    switch opens it; WeChat answers need the WeChat switch (the QR code); paper sheets need the
    paper switch. An invitation link (one-time link identity) is its own channel: always open.
    """
    if channel == "paper":
        return None if via_paper else MSG_NO_PAPER
    if invited:
        return None
    if channel == "wechat":
        return None if via_wechat else MSG_NO_WECHAT
    return None if (via_link or via_website) else MSG_NO_PUBLIC


# ---------------------------------------------------------------- questions


@dataclass(frozen=True)
class QuestionSpec:
    """What a question accepts (the model row reduced to what the rules need)."""

    id: int
    kind: str
    required: bool
    n_options: int = 0
    max_choices: int | None = None
    scale: int = 5


def question_problem(kind: str, text: str, options: list[str], max_choices: int | None, scale: int) -> dict:
    """Field problems of a question as the builder defines it ({} when fine)."""
    problems = {}
    if not (text or "").strip():
        problems["text"] = gettext("题目不能为空")
    elif len(text) > 300:
        problems["text"] = gettext("题目不能超过300字")
    if kind not in ("single", "multiple", "rating", "text"):
        problems["kind"] = gettext("题型无效")
    if kind in ("single", "multiple"):
        clean = [o for o in options if (o or "").strip()]
        if len(clean) < 2:
            problems["options"] = gettext("选择题至少需要两个选项")
        elif len(clean) > MAX_OPTIONS:
            problems["options"] = gettext("选项不能超过{MAX_OPTIONS}个").format(MAX_OPTIONS=MAX_OPTIONS)
        elif len(set(clean)) != len(clean):
            problems["options"] = gettext("选项不能重复")
        elif any(len(o) > 100 for o in clean):
            problems["options"] = gettext("每个选项不能超过100字")
        if kind == "multiple" and max_choices is not None and not (1 <= max_choices <= max(len(clean), 1)):
            problems["max_choices"] = gettext("最多选几项应在 1 到选项数之间")
    if kind == "rating" and scale not in QUESTION_SCALES:
        problems["scale"] = gettext("评分满分应在 2 到 10 之间")
    return problems


def _choices_problem(q: QuestionSpec, choices: list) -> str | None:
    if not all(isinstance(c, int) and not isinstance(c, bool) for c in choices):
        return MSG_CHOICE_RANGE
    if any(c < 0 or c >= q.n_options for c in choices) or len(set(choices)) != len(choices):
        return MSG_CHOICE_RANGE
    if q.kind == "single" and len(choices) != 1:
        return MSG_ONE_CHOICE
    if q.kind == "multiple" and q.max_choices and len(choices) > q.max_choices:
        return MSG_TOO_MANY.format(n=q.max_choices)
    return None


def is_blank(kind: str, value) -> bool:
    if kind in ("single", "multiple"):
        return not value
    if kind == "rating":
        return value in (None, "")
    return not (value or "").strip()


def answer_problem(q: QuestionSpec, value) -> str | None:
    """The problem with one answer, or None. `value`: list of option indexes (choice kinds),
    int (rating) or str (text); None/[]/"" means unanswered."""
    if is_blank(q.kind, value):
        return MSG_REQUIRED if q.required else None
    if q.kind in ("single", "multiple"):
        return _choices_problem(q, list(value))
    if q.kind == "rating":
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= q.scale
        return None if ok else MSG_RATING_RANGE.format(n=q.scale)
    return MSG_TEXT_LONG if len(value) > 1000 else None


def sheet_problems(questions: list[QuestionSpec], values: dict[int, object]) -> dict[int, str]:
    """Problems of a whole answer sheet keyed by question id ({} when it may be stored)."""
    out = {}
    for q in questions:
        problem = answer_problem(q, values.get(q.id))
        if problem:
            out[q.id] = problem
    return out


# ---------------------------------------------------------------- check codes


def code_usable(expires_at: datetime, attempts: int, now: datetime, max_attempts: int) -> str | None:
    """Why a check code may not be tried any more, or None."""
    if now >= expires_at:
        return gettext("验证码已过期，请重新获取")
    if attempts >= max_attempts:
        return gettext("验证码错误次数过多，请重新获取")
    return None


# ---------------------------------------------------------------- registration and waiting list


def registration_closed(day: date, start_time, today: date, now_time) -> str | None:
    """Why registration is over by the clock (None while it is not): the day has passed, or it is
    the day and the start time (when one is set) has come."""
    if today > day:
        return gettext("活动已于{month}月{day}日举办，报名已结束").format(month=day.month, day=day.day)
    if today == day and start_time is not None and now_time >= start_time:
        return gettext("活动已于今天{start_time:%H:%M}开始，报名已结束").format(start_time=start_time)
    return None


# ---------------------------------------------------------------- registration pipeline

CONFIRMED, WAITING, CANCELLED, ATTENDED, ABSENT = "confirmed", "waiting", "cancelled", "attended", "absent"
REGISTRATION_STATUS_NAMES = {CONFIRMED: _("已报名"), WAITING: _("候补"), CANCELLED: _("已取消"), ATTENDED: _("已到场"),
                             ABSENT: _("未到场")}
#: A registration's status machine (core/pipeline.py). `promote` is the waiting list moving up (no one
#: presses it); the woman herself may cancel with her code, a cadre with participation.manage. A refused
#: step raises `refuse(...)`: TransitionRefused, 409 `invalid_transition`, no field named.
REGISTRATION_PIPELINE = Pipeline(
    "participation.registration", noun=_("报名"), statuses=REGISTRATION_STATUS_NAMES, refusal=SHORT, refusal_fields={},
    steps=(
        Step("promote", _("候补转正"), frozenset({WAITING}), CONFIRMED, "participation.manage"),
        Step("cancel", _("取消报名"), frozenset({CONFIRMED, WAITING}), CANCELLED, "participation.manage"),
        Step("attend", _("登记到场"), frozenset({CONFIRMED, ABSENT}), ATTENDED, "participation.manage"),
        Step("absent", _("登记未到场"), frozenset({CONFIRMED, ATTENDED}), ABSENT, "participation.manage"),
    ))
refuse = REGISTRATION_PIPELINE.refuse


# ---------------------------------------------------------------- activity pipeline

A_PLANNED, A_OPEN, A_CLOSED, A_DONE, A_CANCELLED = "planned", "open", "closed", "done", "cancelled"
ACTIVITY_STATUS_NAMES = {A_PLANNED: _("筹备中"), A_OPEN: _("报名中"), A_CLOSED: _("报名截止"), A_DONE: _("已举办"),
                         A_CANCELLED: _("已取消")}
#: An activity's status machine. A manager moves it by editing its status (the edit names the target, so
#: `check_move`); the nightly job closes registration after the day (`close`). A held or cancelled activity
#: stays so: its registrations, attendance and ratings are the record of what happened.
ACTIVITY_PIPELINE = Pipeline(
    "participation.activity", noun=_("活动"), statuses=ACTIVITY_STATUS_NAMES, refusal=BY_TARGET, steps=(
        Step("open", _("开放报名"), frozenset({A_PLANNED, A_CLOSED}), A_OPEN, "participation.manage"),
        Step("replan", _("退回筹备"), frozenset({A_OPEN}), A_PLANNED, "participation.manage"),
        Step("close", _("截止报名"), frozenset({A_OPEN}), A_CLOSED, "participation.manage"),
        Step("hold", _("已举办"), frozenset({A_OPEN, A_CLOSED}), A_DONE, "participation.manage"),
        Step("cancel", _("取消活动"), frozenset({A_PLANNED, A_OPEN, A_CLOSED}), A_CANCELLED, "participation.manage"),
    ))

#: A letter to the suggestion box: answered once, and the answer may be rewritten (the audit keeps each).
SUGGESTION_PIPELINE = Pipeline(
    "participation.suggestion", noun=_("来信"), statuses={"new": _("待答复"), "replied": _("已答复")}, steps=(
        Step("reply", _("答复"), frozenset({"new", "replied"}), "replied", "participation.manage"),
    ))


def registration_step_problem(step: str, status: str, message: str) -> str:
    """`message` when the table refuses `step` from `status` ('' when it is allowed, or when the step
    would leave the status where it is — marking an attended woman attended again changes nothing)."""
    if status == REGISTRATION_PIPELINE[step].target or not REGISTRATION_PIPELINE.problem(step, status):
        return ""
    return message


def status_on_register(capacity: int, taken: int, waiting: int) -> str:
    """A new registration is confirmed while places remain and nobody waits ahead; else waiting."""
    return "confirmed" if taken < capacity and waiting == 0 else "waiting"


def to_promote(capacity: int, taken: int, waiting_in_order: list[int]) -> list[int]:
    """Who moves from the waiting list to a place: the first in line, as many as free places."""
    free = max(0, capacity - taken)
    return list(waiting_in_order[:free])


# ---------------------------------------------------------------- ratings


def rating_problem(status: str, already_rated: bool, activity_day: date, today: date, score) -> str | None:
    """Only a participant marked as attended rates, once, on or after the activity day, 1–5."""
    if status != "attended":
        return gettext("只有到场参加活动的妇女才能评价")
    if already_rated:
        return gettext("您已经评价过这次活动")
    if today < activity_day:
        return gettext("活动举办后才能评价")
    if not score_ok(score):
        return _("评分应在 {lo} 到 {hi} 之间").format(lo=RATING_SCALE[0], hi=RATING_SCALE[1])
    return None


def score_ok(score) -> bool:
    lo, hi = RATING_SCALE
    return isinstance(score, int) and not isinstance(score, bool) and lo <= score <= hi


def mean(total: int, count: int) -> float | None:
    """Mean rating from the summary's sum and count (never a stored average)."""
    return round(total / count, 2) if count else None
