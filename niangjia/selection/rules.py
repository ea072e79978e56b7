"""Pure rules of the open selection (PRODUCT §3): weights, part scores, totals, ranking, tie-breaks,
the status pipeline and the vetting/election order. No I/O; exact arithmetic (Decimal in, Fraction
through), rounded only for display.

Preset (policy `selection.scoring`, a federation may override it):
- weights: project review 40 %, expert panel 30 %, grassroots women's jury 30 % (must sum to 100);
- methods: project review = plain mean; expert panel and jury = mean after dropping one highest and
  one lowest score, which needs at least 3 scores (`trim_min`) — with 1 or 2 scores nothing is
  dropped and the plain mean is used (the sheet says so);
- ties on the total: higher jury score, then higher expert score, then higher project score, then
  the earlier application. The earlier application is always the last step, so every tie resolves.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core import policies
from niangjia.core.pipeline import Pipeline, Step

from .models import Status

POLICY = "selection.scoring"
PRESET = {
    "weight_project": 40, "weight_expert": 30, "weight_jury": 30,
    "method_project": "mean", "method_expert": "trimmed", "method_jury": "trimmed",
    "trim_min": 3, "tie_break": "jury,expert,project,applied", "score_max": 100,
}
policies.register(
    POLICY,
    _("公开选配评分规则"),
    PRESET,
    _("公开选配兼职副主席：不限年龄、学历、职级，看重妇女工作热情和服务妇女的项目。最终得分由项目评审、专家评议、"
    "群众评审团评分三部分加权组成（预设 40%、30%、30%）；专家和群众评审团去掉一个最高分和一个最低分（不少于 3 个"
    "评分时）后取平均；总分相同依次比较群众评审团得分、专家得分、项目得分，仍相同按报名先后。"),
)

POSTS_POLICY = "selection.posts"
policies.register(
    POSTS_POLICY,
    _("公开选配职务预设"),
    {"vice_chairs": 3, "standing_members": 2},
    _("公开选配：兼职副主席 3 名、兼职常委 2 名（新发起的选配以此预填职务和名额，各级妇联可调整）"),
)


def preset_posts(policy: dict) -> list[dict]:
    """The posts a new selection starts from: part-time vice-chairs and standing committee members."""
    out = []
    if policy.get("vice_chairs"):
        out.append({"body": "leadership", "title": gettext("兼职副主席"), "seats": int(policy["vice_chairs"])})
    if policy.get("standing_members"):
        out.append({"body": "standing", "title": gettext("兼职常委"), "seats": int(policy["standing_members"])})
    return out


KINDS = ("project", "expert", "jury")
KIND_NAMES = {"project": _("项目评审"), "expert": _("专家评议"), "jury": _("群众评审团")}
METHODS = ("mean", "trimmed")
TIE_STEPS = ("jury", "expert", "project", "applied")
TIE_STEP_NAMES = {"jury": _("群众评审团得分高者在前"), "expert": _("专家评议得分高者在前"),
                  "project": _("项目评审得分高者在前"), "applied": _("报名在先者在前")}
HUNDRED = Decimal(100)

MSG_WEIGHT_SUM = _("三部分权重之和必须等于 100%")
MSG_WEIGHT_RANGE = _("权重应在 0 到 100 之间")
MSG_WEIGHT_MISSING = _("缺少权重")
MSG_METHOD = _("计分方法无效")
MSG_TIE_BREAK = _("同分规则应为 jury、expert、project、applied 的排列，每项一次")
MSG_SCORE_RANGE = _("分数应在 0 到 {max} 之间，最多两位小数")


# ---------------------------------------------------------------- configuration checks


def weight_errors(weights: dict[str, object]) -> dict[str, str]:
    """Field → message for a weights mapping {project, expert, jury} in percent; {} when valid."""
    errors: dict[str, str] = {}
    values: dict[str, Decimal] = {}
    for kind in KINDS:
        raw = weights.get(kind)
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            errors[f"weight_{kind}"] = MSG_WEIGHT_MISSING if raw in (None, "") else MSG_WEIGHT_RANGE
            continue
        if not value.is_finite() or value < 0 or value > HUNDRED or value != value.quantize(Decimal("0.01")):
            errors[f"weight_{kind}"] = MSG_WEIGHT_RANGE
        values[kind] = value
    if not errors and sum(values.values()) != HUNDRED:
        total = sum(values.values())
        errors["weights"] = gettext("{MSG_WEIGHT_SUM}（现为 {normalize:f}%）").format(MSG_WEIGHT_SUM=MSG_WEIGHT_SUM, normalize=total.normalize())
    return errors


def parse_tie_break(text: str | list) -> list[str]:
    """'jury,expert,...' → ['jury', 'expert', ...]; 'applied' is appended when left out. Raises ValueError."""
    steps = [s.strip() for s in (text.split(",") if isinstance(text, str) else text) if s and s.strip()]
    if len(set(steps)) != len(steps) or any(s not in TIE_STEPS for s in steps):
        raise ValueError(MSG_TIE_BREAK)
    return steps + ([] if "applied" in steps else ["applied"])


def score_error(value, score_max: int = 100) -> str:
    """'' when `value` is a valid score (0..score_max, at most two decimals), else the message."""
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return MSG_SCORE_RANGE.format(max=score_max)
    if not d.is_finite() or d < 0 or d > score_max or d != d.quantize(Decimal("0.01")):
        return MSG_SCORE_RANGE.format(max=score_max)
    return ""


# ---------------------------------------------------------------- part scores


@dataclass(frozen=True)
class PartResult:
    """One candidate's scores in one part and how they were combined."""

    scores: tuple[Decimal, ...]  # every current score, in the order given
    dropped: tuple[Decimal, ...]  # (highest, lowest) when trimmed, else ()
    kept: tuple[Decimal, ...]
    mean: Fraction | None  # None when nobody scored
    method: str  # the method asked for
    trimmed: bool  # whether extremes were actually dropped

    @property
    def note(self) -> str:
        if self.method == "trimmed" and not self.trimmed and self.scores:
            return gettext("仅 {n} 个评分，未去掉最高最低分，取算术平均").format(n=len(self.scores))
        if self.trimmed:
            return gettext("去掉最高分 {dropped}、最低分 {dropped2}").format(dropped=fmt(self.dropped[0]), dropped2=fmt(self.dropped[1]))
        return ""


def part_result(scores, method: str, trim_min: int = 3) -> PartResult:
    """Combine one part's scores: plain mean, or mean after dropping one highest and one lowest.

    Dropping needs at least `trim_min` (≥ 3) scores, so one score always stays; with fewer the
    plain mean is used. With all scores equal, dropping changes nothing but is still shown.
    """
    if method not in METHODS:
        raise ValueError(MSG_METHOD)
    values = tuple(Decimal(v) for v in scores)
    if not values:
        return PartResult((), (), (), None, method, False)
    trim = method == "trimmed" and len(values) >= max(3, trim_min)
    kept = list(values)
    dropped: tuple[Decimal, ...] = ()
    if trim:
        high, low = max(values), min(values)
        kept.remove(high)
        kept.remove(low)
        dropped = (high, low)
    mean = sum((Fraction(v) for v in kept), Fraction(0)) / len(kept)
    return PartResult(values, dropped, tuple(kept), mean, method, trim)


def contribution(mean: Fraction | None, weight) -> Fraction:
    """A part's share of the total: mean × weight% (a part nobody scored contributes 0)."""
    if mean is None:
        return Fraction(0)
    return mean * Fraction(Decimal(weight)) / 100


def weighted_total(means: dict[str, Fraction | None], weights: dict[str, object]) -> Fraction:
    return sum((contribution(means.get(k), weights[k]) for k in weights), Fraction(0))


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Entry:
    """What ranking needs of one candidate."""

    candidate_id: int
    applied_at: datetime
    means: dict[str, Fraction | None]


@dataclass
class Ranked:
    candidate_id: int
    rank: int
    total: Fraction
    means: dict[str, Fraction | None]
    ties: list[tuple[int, str, str]] = field(default_factory=list)  # (other id, step, "ahead"/"behind")


def _step_key(entry: Entry, step: str):
    """Smaller sorts first: negated part means (higher first), application time (earlier first)."""
    if step == "applied":
        return (entry.applied_at, entry.candidate_id)
    mean = entry.means.get(step)
    return -(mean if mean is not None else Fraction(-1))


def rank(entries: list[Entry], weights: dict[str, object], tie_break) -> list[Ranked]:
    """Order by weighted total (higher first), ties broken by `tie_break` steps in order.

    Every rank is distinct: 'applied' (then the candidate id) ends every tie. For each pair of
    neighbours with equal totals, both rows record which step separated them.
    """
    steps = parse_tie_break(tie_break)
    totals = {e.candidate_id: weighted_total(e.means, weights) for e in entries}
    ordered = sorted(entries, key=lambda e: (-totals[e.candidate_id], *(_step_key(e, s) for s in steps)))
    rows = [Ranked(e.candidate_id, i + 1, totals[e.candidate_id], e.means) for i, e in enumerate(ordered)]
    for i in range(1, len(ordered)):
        above, below = ordered[i - 1], ordered[i]
        if totals[above.candidate_id] != totals[below.candidate_id]:
            continue
        step = next(s for s in steps if _step_key(above, s) != _step_key(below, s))
        rows[i - 1].ties.append((below.candidate_id, step, "ahead"))
        rows[i].ties.append((above.candidate_id, step, "behind"))
    return rows


# ---------------------------------------------------------------- pipeline and order rules

STATUS_NAMES = dict(Status.choices)
PIPELINE = Pipeline("selection.selection", noun=_("公开选配"), statuses=STATUS_NAMES,
                    refusal=_("当前状态“{status}”不能进入下一步"), steps=(
    Step("close_call", _("截止报名"), {"open"}, "scoring", "selection.manage"),
    Step("scoring_done", _("结束评分（最后一个评分环节结束时）"), {"scoring"}, "vetting", "selection.manage"),
    Step("start_election", _("提交选举"), {"vetting"}, "election", "selection.manage"),
    Step("finish", _("完成"), {"election"}, "done", "selection.manage"),
))
can_move = PIPELINE.may_move


def all_parts_closed(closed: list[bool]) -> bool:
    return bool(closed) and all(closed)


def election_refusal(*, status: str, vetting: str, elected_now: int, seats: int, result: str) -> str:
    """'' when an election result may be recorded, else why not (PRODUCT §3: vetting, then election)."""
    if status != "election":
        return gettext("只有在选举阶段才能录入选举结果")
    if vetting != "passed":
        return gettext("考察合格的人选才能参加选举")
    if result == "elected" and elected_now >= seats:
        return gettext("该职务名额为 {seats} 名，已满").format(seats=seats)
    return ""


def call_open(status: str, opens, closes, today) -> bool:
    return status == "open" and opens <= today <= closes


# ---------------------------------------------------------------- display


def fmt(value, places: int = 2) -> str:
    """Round half up for display only (ranking uses the exact values)."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        d = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        d = Decimal(value)
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:f}"


def exact(value: Fraction | None) -> str:
    """A fraction as written on the sheet when it is not a finite decimal (e.g. 1/3)."""
    if value is None:
        return ""
    return f"{value.numerator}/{value.denominator}" if value.denominator not in _DECIMAL_DENOMS else ""


_DECIMAL_DENOMS = {2**a * 5**b for a in range(12) for b in range(12)}
