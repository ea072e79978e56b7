"""Pure rules of duty checklists: item targets, progress, schedule, and the shipped presets.

No I/O here: the services and queries feed counts and dates in and get verdicts out.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext, gettext_lazy

from niangjia.core import policies, uploads

AT_LEAST, BETWEEN, EXACTLY = "at_least", "between", "exactly"
TARGET_KINDS = (AT_LEAST, BETWEEN, EXACTLY)

DONE, PARTLY, NOT_STARTED, OVER = "done", "partly", "not_started", "over"
STATE_NAMES = {DONE: gettext_lazy("已完成"), PARTLY: gettext_lazy("部分完成"), NOT_STARTED: gettext_lazy("未开始"), OVER: gettext_lazy("已超额完成")}

ON_TRACK, BEHIND, COMPLETE = "on_track", "behind", "complete"
SCHEDULE_NAMES = {ON_TRACK: gettext_lazy("进度正常"), BEHIND: gettext_lazy("进度落后"), COMPLETE: gettext_lazy("全部完成")}

SCHEDULE_POLICY = "duties.schedule"
PRESET_POLICY = "duties.preset.executive"


# ---------------------------------------------------------------- targets


def target_problem(kind: str, low: int | None, high: int | None) -> dict[str, str]:
    """What is wrong with a target, by field ({} when it is valid)."""
    if kind not in TARGET_KINDS:
        return {"target_kind": gettext("目标方式应为至少、介于或恰好")}
    if low is None or low < 1:
        return {"target_min": gettext("目标数至少为 1")}
    if kind == BETWEEN:
        if high is None:
            return {"target_max": gettext("“介于”需要填写上限")}
        if high < low:
            return {"target_max": gettext("上限不能小于目标数")}
    return {}


def target_text(kind: str, low: int, high: int | None) -> str:
    """'5–7', '至少 1', '1' — how a target reads after the count ('3/5–7 名代表')."""
    if kind == BETWEEN and high is not None and high != low:
        return f"{low}–{high}"
    if kind == AT_LEAST:
        return gettext("至少 {low}").format(low=low)
    return str(low)


@dataclass(frozen=True)
class ItemProgress:
    count: int
    needed: int  # the count that makes the item done
    state: str

    @property
    def done(self) -> bool:
        return self.state in (DONE, OVER)

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def pct(self) -> int:
        """Bar width: share of the count needed, capped at 100."""
        return min(100, round(100 * self.count / self.needed)) if self.needed else 100


def item_progress(count: int, kind: str, low: int, high: int | None = None) -> ItemProgress:
    """Done, partly done (k of N), not started, or over (done, beyond a range or an exact number)."""
    count = max(0, int(count))
    if count == 0:
        return ItemProgress(0, low, NOT_STARTED)
    if count < low:
        return ItemProgress(count, low, PARTLY)
    ceiling = high if kind == BETWEEN and high is not None else (low if kind == EXACTLY else None)
    if ceiling is not None and count > ceiling:
        return ItemProgress(count, low, OVER)
    return ItemProgress(count, low, DONE)


@dataclass(frozen=True)
class AssignmentProgress:
    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def pct(self) -> int:
        return round(100 * self.share)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def assignment_progress(items: list[ItemProgress]) -> AssignmentProgress:
    return AssignmentProgress(sum(1 for i in items if i.done), len(items))


# ---------------------------------------------------------------- summary keys
# The city-grain summaries (duties/standing.py) file members by their "done/total" standing and
# items by a key built from the item's order and title, so a subtree's checklists read as one.

ITEM_KEY_LENGTH = 48  # core.SummaryCount.category
CANCELLED = "cancelled"  # the item rows of a cancelled assignment (kept apart from the live ones)
SLOTS = (DONE, PARTLY, NOT_STARTED)


def item_key(order: int, title: str) -> str:
    """'03 一个网上妇女群': sorts by order, names the item, fits a summary category."""
    return f"{int(order):02d} {title}"[:ITEM_KEY_LENGTH]


def item_key_title(key: str) -> str:
    head, _, rest = key.partition(" ")
    return rest if head.isdigit() else key


def completion_slot(progress: ItemProgress) -> str:
    """Done (over counts as done), partly or not started: the columns of the per-item table."""
    return DONE if progress.done else progress.state


def standing_key(done: int, total: int) -> str:
    return f"{int(done)}/{int(total)}"


def parse_standing(key: str) -> tuple[int, int]:
    done, _, total = key.partition("/")
    return int(done), int(total)


def bucket_state(done: int, total: int, threshold: float) -> str:
    """A member's schedule state exactly as queries.counts_by_state decides it in SQL."""
    if total > 0 and done >= total:
        return COMPLETE
    if done < total and done < total * float(threshold):
        return BEHIND
    return ON_TRACK


# ---------------------------------------------------------------- schedule


SCHEDULE_PRESET = {
    "grace_days": 31,  # nobody is behind in the first month of the year
    "tolerance_pct": 15,  # behind when the done share is below the expected share by more than this
    "list_from_month": 10,  # the "behind before year end" list and the automatic reminders open on 1 October
    "list_from_day": 1,
}
policies.register(
    SCHEDULE_POLICY,
    gettext_lazy("履职清单进度规则"),
    SCHEDULE_PRESET,
    gettext_lazy("按全年时间过半完成过半的原则：到某日应完成的事项比例 = 已过天数（扣除宽限期）÷ 全年天数；"
    "实际完成比例低于应完成比例减去容差即为进度落后；每年 10 月 1 日起列出年底前仍落后的执委并提醒。"),
)


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def elapsed_fraction(day: date, year: int) -> float:
    """Share of `year` gone by the end of `day`: 0 before it starts, 1 on 31 December and after."""
    if day.year < year:
        return 0.0
    if day.year > year:
        return 1.0
    return day.timetuple().tm_yday / days_in_year(year)


def expected_share(day: date, year: int, policy: dict = SCHEDULE_PRESET) -> float:
    """Share of items a member should have done by `day`: elapsed days after the grace, over the year."""
    if day.year < year:
        return 0.0
    if day.year > year:
        return 1.0
    grace = max(0, int(policy.get("grace_days", 0)))
    elapsed = day.timetuple().tm_yday - grace
    span = days_in_year(year) - grace
    if elapsed <= 0 or span <= 0:
        return 0.0 if elapsed <= 0 else 1.0
    return min(1.0, elapsed / span)


def behind_threshold(day: date, year: int, policy: dict = SCHEDULE_PRESET) -> float:
    """The done share below which a member is behind on `day`."""
    return max(0.0, expected_share(day, year, policy) - int(policy.get("tolerance_pct", 0)) / 100)


def schedule_state(done: int, total: int, day: date, year: int, policy: dict = SCHEDULE_PRESET) -> str:
    if total > 0 and done >= total:
        return COMPLETE
    share = done / total if total else 0.0
    return BEHIND if share < behind_threshold(day, year, policy) else ON_TRACK


def min_done_to_be_on_track(total: int, day: date, year: int, policy: dict = SCHEDULE_PRESET) -> int:
    """The fewest items done that is not behind (so a query can filter `items_done < this`)."""
    threshold = behind_threshold(day, year, policy)
    for k in range(total + 1):
        if k / total >= threshold if total else True:
            return k
    return total


def list_window_opens(year: int, policy: dict = SCHEDULE_PRESET) -> date:
    month = min(12, max(1, int(policy.get("list_from_month", 10))))
    day = int(policy.get("list_from_day", 1))
    last = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(max(1, day), last))


def in_list_window(day: date, year: int, policy: dict = SCHEDULE_PRESET) -> bool:
    """Is `day` inside the year's "behind before year end" window (opening day to 31 December)?"""
    return list_window_opens(year, policy) <= day <= date(year, 12, 31)


def days_left(day: date, year: int) -> int:
    return max(0, (date(year, 12, 31) - day).days)


# ---------------------------------------------------------------- presets


# The preset is content: "使用预设清单" writes these names into the federation's new checklist (stored as written).
EXECUTIVE_PRESET = {
    "name": "执委履职清单",
    "description": "市妇联执委年度履职清单：联系代表、困难家庭、网上妇女群、社会组织、调研报告、建议案",
    "items": [
        {"title": "经常联系妇女代表", "target_kind": BETWEEN, "target_min": 5, "target_max": 7, "noun": "名代表",
         "evidence_kind": "contact_delegate", "description": "经常联系 5 至 7 名妇女代表，听取意见建议"},
        {"title": "联系一户困难家庭", "target_kind": AT_LEAST, "target_min": 1, "target_max": None, "noun": "户",
         "evidence_kind": "poor_family", "description": "结对联系一户困难家庭"},
        {"title": "帮助困难家庭解决一个实际问题", "target_kind": AT_LEAST, "target_min": 1, "target_max": None,
         "noun": "个问题", "evidence_kind": "problem_solved", "description": "帮助结对家庭解决一个实际困难"},
        {"title": "凝聚一个网上妇女群", "target_kind": AT_LEAST, "target_min": 1, "target_max": None, "noun": "个群",
         "evidence_kind": "online_group", "description": "建立或带领一个正能量的网上妇女群（如微信群）"},
        {"title": "联系指导一个社会组织", "target_kind": AT_LEAST, "target_min": 1, "target_max": None,
         "noun": "个组织", "evidence_kind": "social_org", "description": "联系并指导一个社会组织"},
        {"title": "参加公益活动", "target_kind": AT_LEAST, "target_min": 1, "target_max": None, "noun": "次",
         "evidence_kind": "public_service", "description": "至少参加一次公益活动"},
        {"title": "撰写一篇调研报告", "target_kind": AT_LEAST, "target_min": 1, "target_max": None, "noun": "篇",
         "evidence_kind": "research_report", "description": "深入基层调研，形成一篇有分量的调研报告"},
        {"title": "提交一份建议案", "target_kind": AT_LEAST, "target_min": 1, "target_max": None, "noun": "份",
         "evidence_kind": "proposal", "description": "提交一份有针对性的建议案"},
    ],
}
policies.register(
    PRESET_POLICY,
    gettext_lazy("执委履职清单（预设）"),
    EXECUTIVE_PRESET,
    gettext_lazy("某市妇联执委履职清单，每年向 43 名执委下发：经常联系 5 至 7 名妇女代表；联系一户困难家庭并帮助解决一个"
    "实际问题；凝聚一个正能量网上妇女群；联系指导一个社会组织并至少参加一次公益活动；深入调研形成一篇有分量的"
    "调研报告；提交一份有针对性的建议案。"),
)


# ---------------------------------------------------------------- evidence files


# the upload check lives in core (core/uploads.py: duty evidence and fieldwork's reports share it)
MAX_FILE_BYTES, ALLOWED_FILES, MAGIC = uploads.MAX_FILE_BYTES, uploads.ALLOWED_FILES, uploads.MAGIC
file_problem = uploads.file_problem


# Items whose target is a number of people (or organisations): 5 entries about one delegate are one
# delegate. Other items count entries (a report is a report).
PEOPLE_KINDS = frozenset({"contact_delegate", "poor_family", "social_org"})
_NAME_SPLIT = re.compile(r"[、，,；;/\s]+")


def whom_keys(pk: int, person_id: int | None, organisation_id: int | None, with_whom: str) -> frozenset[str]:
    """Who one entry is about: the linked person or organisation, else each name typed in 和谁
    ("王芳、李梅" is two people), else the entry itself (nobody named: it counts once)."""
    if person_id:
        return frozenset({f"p:{person_id}"})
    if organisation_id:
        return frozenset({f"o:{organisation_id}"})
    names = {n.strip() for n in _NAME_SPLIT.split(with_whom or "") if n.strip()}
    return frozenset(f"n:{n}" for n in names) if names else frozenset({f"e:{pk}"})
