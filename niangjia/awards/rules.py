"""Pure rules of award rounds (评选表彰): phases, quotas, the notice period, evaluation tallies.

No I/O: services and queries feed counts and dates in and get verdicts (or Chinese refusals) out.
Figures are policies with shipped presets (see `register_policies`).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import policies
from niangjia.core.pipeline import Pipeline, Step

# ---------------------------------------------------------------- phases

NOMINATION, EVALUATION, NOTICE, FINAL = "nomination", "evaluation", "notice", "final"
PHASES = (NOMINATION, EVALUATION, NOTICE, FINAL)
PHASE_NAMES = {NOMINATION: gettext_lazy("推荐提名"), EVALUATION: gettext_lazy("群众评议"), NOTICE: gettext_lazy("公示"), FINAL: gettext_lazy("结果确定")}

NOTICE_POLICY = "awards.notice"
QUOTA_POLICY = "awards.quota"
EVALUATION_POLICY = "awards.evaluation"


def register_policies() -> None:
    policies.register(
        NOTICE_POLICY, _("评选表彰公示期"),
        {"days": 5, "working_days": True},
        _("表彰奖励公示惯例：拟表彰对象公示不少于 5 个工作日（周六、周日不计；法定节假日未计入，需要时延长天数）"),
    )
    policies.register(
        QUOTA_POLICY, _("评选表彰推荐名额（新建评选的默认值）"),
        {"org_per_federation": 3, "public_per_round": 5},
        _("PRODUCT.md §9：组织推荐名额按下级妇联分配，另设社会（群众）推荐名额"),
    )
    policies.register(
        EVALUATION_POLICY, _("评选表彰群众评议"),
        {"mode": "votes", "max_choices": 3, "code_ttl_minutes": 10, "code_attempts": 5},
        _("PRODUCT.md §9：妇女群众参与评议入围人选（投票或 1–5 分评分），每人一次"),
    )


#: The round's phases as a pipeline (core/pipeline.py): one step forward at a time, by the round's
#: federation. A refused step — and any write the phase no longer allows — raises `refuse(...)`
#: (TransitionRefused, 409 `invalid_transition`, no field named: the phase is not a form field).
PIPELINE = Pipeline("awards.round", noun=gettext_lazy("评选"), statuses=PHASE_NAMES, field="phase", refusal_fields={}, steps=(
    Step("evaluate", gettext_lazy("开始群众评议"), frozenset({NOMINATION}), EVALUATION, "awards.manage"),
    Step("notice", gettext_lazy("进入公示"), frozenset({EVALUATION}), NOTICE, "awards.manage"),
    Step("finalize", gettext_lazy("确定结果"), frozenset({NOTICE}), FINAL, "awards.manage"),
))
refuse = PIPELINE.refuse


def next_phase(phase: str) -> str | None:
    targets = PIPELINE.targets_from(phase)
    return targets[0] if targets else None


def transition_problem(current: str, target: str) -> str:
    """Why `current` → `target` is refused ('' when the pipeline has that step)."""
    if target not in PHASES:
        return _("未知的评选阶段")
    if PIPELINE.may_move(current, target):
        return ""
    if current == FINAL:
        return _("评选结果已确定，不能再变更阶段")
    return _("评选阶段只能依次推进：当前为“{current}”，下一步是“{next}”，不能直接进入“{target}”").format(
        current=PHASE_NAMES[current], next=PHASE_NAMES[next_phase(current)], target=PHASE_NAMES[target])


# ---------------------------------------------------------------- quotas


def org_quota_problem(unit_name: str, quota: int, used: int) -> str:
    """'东县的组织推荐名额为 3 名，已推荐 3 名' when one more would exceed the quota, else ''."""
    if quota <= 0:
        return _("{unit_name}没有组织推荐名额").format(unit_name=unit_name)
    if used >= quota:
        return _("{unit_name}的组织推荐名额为 {quota} 名，已推荐 {used} 名").format(unit_name=unit_name, quota=quota, used=used)
    return ""


def public_quota_problem(quota: int, used: int) -> str:
    if quota <= 0:
        return _("本次评选不接受社会推荐")
    if used >= quota:
        return _("本次评选的社会推荐名额为 {quota} 名，已推荐 {used} 名，名额已满").format(quota=quota, used=used)
    return ""


# ---------------------------------------------------------------- the notice period (公示)


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of `days` working days (Mon–Fri) beginning on `start` (or the next
    working day when `start` falls on a weekend)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    d = start
    while d.weekday() >= 5:
        d += timedelta(days=1)
    counted = 1
    while counted < days:
        d += timedelta(days=1)
        if d.weekday() < 5:
            counted += 1
    return d


def notice_end(start: date, policy: dict) -> date:
    """The last day of the notice period that begins on `start` under the policy."""
    days = int(policy.get("days", 5))
    if policy.get("working_days", True):
        return add_working_days(start, days)
    return start + timedelta(days=max(1, days) - 1)


def cn_day(d: date) -> str:
    return _("{month}月{day}日").format(month=d.month, day=d.day)


def objection_problem(phase: str, today: date, notice_ends: date | None) -> str:
    """Objections are taken only during the notice period (its last day included)."""
    if phase != NOTICE or notice_ends is None:
        return _("当前不在公示期，不能提出异议")
    if today > notice_ends:
        return _("公示期已于 {notice_ends}结束，不能再提出异议").format(notice_ends=cn_day(notice_ends))
    return ""


def finalize_problems(phase: str, today: date, notice_ends: date | None, unanswered: int) -> list[str]:
    """Everything that still stands between the notice period and the final result ([] = may finalize)."""
    if phase == FINAL:
        return [_("评选结果已确定")]
    if phase != NOTICE or notice_ends is None:
        return [_("只有公示期结束后才能确定结果（当前为“{phase}”阶段）").format(phase=PHASE_NAMES.get(phase, phase))]
    out = []
    if today <= notice_ends:
        out.append(_("公示期至 {notice_ends}结束").format(notice_ends=cn_day(notice_ends)))
    if unanswered:
        out.append(_("还有 {unanswered} 条异议未答复").format(unanswered=unanswered))
    return out


# ---------------------------------------------------------------- evaluation


VOTES, RATINGS = "votes", "ratings"
MODE_NAMES = {VOTES: gettext_lazy("投票（最多选 N 人）"), RATINGS: gettext_lazy("评分（1–5 分）")}


def ballot_problem(mode: str, marks: dict[int, int], shortlist: set[int], max_choices: int) -> dict[str, str]:
    """What is wrong with one ballot ({} when valid). `marks` maps nomination id → 1 (a vote) or 1–5."""
    if not marks:
        return {"marks": _("请至少选择一位") if mode == VOTES else _("请至少为一位打分")}
    strangers = set(marks) - shortlist
    if strangers:
        return {"marks": _("只能评议入围人选")}
    if mode == VOTES:
        if any(v != 1 for v in marks.values()):
            return {"marks": _("投票只能是“选”或“不选”")}
        if max_choices and len(marks) > max_choices:
            return {"marks": _("最多选 {max_choices} 位，您选了 {n} 位").format(max_choices=max_choices, n=len(marks))}
    elif mode == RATINGS:
        if any(not 1 <= v <= 5 for v in marks.values()):
            return {"marks": _("评分应为 1–5 分")}
    else:
        return {"mode": _("未知的评议方式")}
    return {}


@dataclass(frozen=True)
class Tally:
    nomination_id: int
    ballots: int  # how many ballots marked this nominee
    points: int  # votes, or the sum of ratings

    @property
    def mean(self) -> float:
        return self.points / self.ballots if self.ballots else 0.0

    def score(self, mode: str) -> float:
        return float(self.points) if mode == VOTES else round(self.mean, 2)


def rank(mode: str, tallies: list[Tally]) -> list[Tally]:
    """Best first. Votes: most votes. Ratings: highest mean. Ties: more ballots, then the earlier
    nomination (lower id) — stated so every reader reaches the same order."""
    return sorted(tallies, key=lambda t: (-_key(mode, t), -t.ballots, t.nomination_id))


def rank_rule(mode: str) -> str:
    """The ranking rule in words, as `rank` applies it (shown on the results pages and sheets)."""
    first = _("得票多者在前") if mode == VOTES else _("平均分高者在前（按精确分数比较，不按四舍五入后的显示值）")
    same = _("票数") if mode == VOTES else _("平均分")
    return _("{first}；{same}相同时，参与评议人数多者在前；再相同时，推荐在先（推荐编号小）者在前。").format(first=first, same=same)


def tie_notes(mode: str, ranked: list[Tally]) -> dict[int, str]:
    """For each nominee whose score equals her neighbour's, which step of the rule put her where she is."""
    notes: dict[int, list[str]] = {}
    word = _("票数") if mode == VOTES else _("平均分")
    for i in range(1, len(ranked)):
        above, below = ranked[i - 1], ranked[i]
        if _key(mode, above) != _key(mode, below):
            continue
        step = _("评议人数多者在前") if above.ballots != below.ballots else _("推荐在先者在前")
        notes.setdefault(above.nomination_id, []).append(_("与下一名{word}相同，按“{step}”排前").format(word=word, step=step))
        notes.setdefault(below.nomination_id, []).append(_("与上一名{word}相同，按“{step}”排后").format(word=word, step=step))
    return {k: "；".join(v) for k, v in notes.items()}


def _key(mode: str, t: Tally) -> int | Fraction:
    """What `rank` compares first: the votes, or the mean compared exactly (as a fraction, never the
    rounded figure shown)."""
    if mode == VOTES:
        return t.points
    return Fraction(t.points, t.ballots) if t.ballots else Fraction(0)


def proposed_from(ranked: list[Tally], places: int) -> list[int]:
    """The top `places` nominees of the ranking become the proposed awardees."""
    return [t.nomination_id for t in ranked[:max(0, places)]]


# ---------------------------------------------------------------- dates of a round


def round_dates_problem(nomination_ends: date | None, evaluation_ends: date | None) -> dict[str, str]:
    if nomination_ends is None:
        return {"nomination_ends": _("请填写推荐截止日期")}
    if evaluation_ends is None:
        return {"evaluation_ends": _("请填写评议截止日期")}
    if evaluation_ends < nomination_ends:
        return {"evaluation_ends": _("评议截止日期不能早于推荐截止日期")}
    return {}
