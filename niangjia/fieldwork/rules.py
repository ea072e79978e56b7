"""Pure rules of going down to the grassroots (PRODUCT.md §6): day counting, windows, standings.

Counting, stated once:
- Only stays that are done count; planned stays are shown apart, cancelled ones never.
- A day is counted once, whatever stays cover it (the union of the date ranges), and only
  inside the period asked about (a stay from Dec 30 to Jan 2 gives 2 days to each year).
- Kinds stay (蹲点), work_week (基层工作周) and cadre_day (当一天基层干部) always count; trips,
  inspections, home visits and holidays count only where the rule's flags allow them.
- A stay counts only at a place at or below the rule's `min_place_level` (4 = county, so
  county, township and village federations and the women's homes under them).
- Window rule (双月下基层工作周): a window is met by at least `min_days` (5) counted days
  inside the two-month window; the days need not be consecutive. Windows start in January
  (Jan–Feb, Mar–Apr, …), so Feb 28/29 closes the first window in every year.
- Status: met (达标) once the figure reaches the target; a period (or window) that has ended
  without reaching it is broken (未完成); otherwise in progress, or upcoming for a window
  that has not started.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core import policies
from niangjia.core.periods import Period, period_of, periods_between

ALWAYS_COUNTED = frozenset({"stay", "work_week", "cadre_day"})
FLAG_KINDS = ("trip", "inspection", "home_visit", "holiday")

MET, IN_PROGRESS, BROKEN, UPCOMING = "met", "in_progress", "broken", "upcoming"
STATUS_NAMES = {MET: _("达标"), IN_PROGRESS: _("进行中"), BROKEN: _("未完成"), UPCOMING: _("未开始")}
CHIP_WORDS = {MET: _("已完成"), IN_PROGRESS: _("进行中"), BROKEN: _("缺"), UPCOMING: _("未开始")}

COMMON = {"count_trip": False, "count_inspection": False, "count_home_visit": False, "count_holiday": False}
SOURCE = _("全国妇联改革方案及各地下基层制度（PRODUCT.md §6）")
PRESETS = {
    "fieldwork.national_leaders": (_("全国妇联领导每年下基层约3个月"), {
        "kind": "days_per_year", "min_days": 90, "min_place_level": 4, "body": "leadership", "levels": [1], **COMMON}),
    "fieldwork.provincial_leaders": (_("省妇联领导每年下基层不少于60天"), {
        "kind": "days_per_year", "min_days": 60, "min_place_level": 4, "body": "leadership", "levels": [2], **COMMON}),
    "fieldwork.organ_cadres": (_("机关干部双月下基层工作周"), {
        "kind": "window_week", "min_days": 5, "min_place_level": 4, "body": "organ_staff", "levels": [], **COMMON}),
    "fieldwork.city_pairing": (_("城乡各蹲点一周“六个一”"), {
        "kind": "city_pairing", "urban_days": 5, "rural_days": 5, "paired": 1, "cadre_days": 1, "diaries": 1,
        "reports": 1, "min_place_level": 1, "body": "organ_staff", "levels": [], **COMMON}),  # 机关干部, as the source rule says
}
for _key, (_name, _preset) in PRESETS.items():
    policies.register(_key, _name, _preset, SOURCE)

RULE_FIELDS = {"kind", "body", "levels", *COMMON}  # the rest of a preset is the rule's parameters

# What each parameter and flag is called on a page (unit after the figure).
PARAM_LABELS = {
    "min_days": (_("天数要求"), _("天")), "urban_days": (_("城市社区蹲点"), _("天")), "rural_days": (_("农村蹲点"), _("天")),
    "paired": (_("结对妇女"), _("人")), "cadre_days": (_("当基层干部"), _("天")), "diaries": (_("妇情日记"), _("篇")),
    "reports": (_("研究问题（调研报告）"), _("篇")), "min_place_level": (_("计入的地点"), ""),
}
FLAG_LABELS = {"count_trip": _("出差计入"), "count_inspection": _("调研检查计入"), "count_home_visit": _("入户走访计入"),
               "count_holiday": _("节假日计入")}
PLACE_LEVELS = {1: _("不限层级"), 2: _("省级及以下"), 3: _("市级及以下"), 4: _("县级及以下"), 5: _("乡镇及以下"), 6: _("村（社区）")}


def params_of(kind: str) -> list[str]:
    """The parameters a rule of this kind has (from the presets of that kind), in a stable order."""
    keys: list[str] = []
    for _name, preset in PRESETS.values():
        if preset["kind"] == kind:
            keys += [k for k in preset if k not in RULE_FIELDS and k not in keys]
    return keys


def params_text(params: dict, flags: dict | None = None) -> str:
    """'天数要求 60 天 · 计入的地点：县级及以下 · 出差计入' — a rule's figures in words."""
    parts = []
    for key, value in params.items():
        label, unit = PARAM_LABELS.get(key, (key, ""))
        if key == "min_place_level":
            parts.append(f"{label}：{PLACE_LEVELS.get(int(value), value)}")
        else:
            parts.append(f"{label} {value}{(' ' + unit) if unit else ''}")
    parts += [FLAG_LABELS[k] for k, on in (flags or {}).items() if on and k in FLAG_LABELS]
    return " · ".join(parts)


@dataclass(frozen=True)
class Stay:
    start: date
    end: date  # inclusive
    kind: str = "stay"
    setting: str = "other"
    place_level: int = 6
    paired: bool = False
    status: str = "done"


@dataclass(frozen=True)
class RuleSpec:
    name: str
    kind: str
    params: dict
    flags: dict = field(default_factory=dict)  # {"trip": bool, "inspection": ..., "home_visit": ..., "holiday": ...}


@dataclass
class Evidence:
    stays: list[Stay] = field(default_factory=list)
    diaries: list[date] = field(default_factory=list)
    reports: list[date] = field(default_factory=list)


@dataclass
class Chip:
    label: str
    status: str
    figure: str = ""

    @property
    def text(self) -> str:
        return f"{self.label}：{CHIP_WORDS[self.status]}"


@dataclass
class Standing:
    rule: str
    kind: str
    period: str
    headline: str
    status: str
    done: int
    target: int
    chips: list[Chip] = field(default_factory=list)
    note: str = ""

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


# ---------------------------------------------------------------- counting

def counted_kinds(flags: dict) -> frozenset[str]:
    return ALWAYS_COUNTED | {k for k in FLAG_KINDS if flags.get(k)}


def union_days(ranges: Iterable[tuple[date, date]], start: date | None = None, end: date | None = None) -> int:
    """Days covered by the union of inclusive ranges, clipped to [start, end]."""
    clipped = []
    for a, b in ranges:
        a, b = max(a, start) if start else a, min(b, end) if end else b
        if a <= b:
            clipped.append((a, b))
    total, cur_end = 0, None
    for a, b in sorted(clipped):
        if cur_end is not None and a <= cur_end:
            if b > cur_end:
                total += (b - cur_end).days
                cur_end = b
            continue
        total += (b - a).days + 1
        cur_end = b
    return total


def find_overlap(start: date, end: date, others: Iterable[tuple[object, date, date]]):
    """The key of the first other range sharing at least one day with [start, end], or None."""
    for key, a, b in others:
        if a <= end and start <= b:
            return key
    return None


def days_in(stays: Iterable[Stay], start: date, end: date, *, kinds: frozenset[str], min_place_level: int = 1,
            setting: str | None = None, status: str = "done") -> int:
    """Counted days of `stays` inside [start, end] (see the module docstring)."""
    return union_days(((s.start, s.end) for s in stays
                       if s.status == status and s.kind in kinds and s.place_level >= min_place_level
                       and (setting is None or s.setting == setting)), start, end)


def setting_for(name: str, level: int) -> str:
    """Urban or rural from a place's name: 社区/街道/区 urban, 村/镇/乡 rural; city and above urban."""
    if "社区" in name or "街道" in name:
        return "urban"
    if "村" in name or "镇" in name or "乡" in name:
        return "rural"
    if name.removesuffix("妇联").endswith("区") or level <= 3:
        return "urban"
    return "other"


def status_of(done: int, target: int, period_end: date, today: date, period_start: date | None = None) -> str:
    if done >= target:
        return MET
    if period_end < today:
        return BROKEN
    if period_start is not None and period_start > today:
        return UPCOMING
    return IN_PROGRESS


# ---------------------------------------------------------------- standings

def evaluate(rule: RuleSpec, evidence: Evidence, year: int, today: date) -> Standing:
    """One person's standing against one rule for one year."""
    period = period_of(date(year, 1, 1), "year")
    fn = {"days_per_year": _days_per_year, "window_week": _window_week, "city_pairing": _city_pairing}[rule.kind]
    return fn(rule, evidence, period, today)


def _days_per_year(rule: RuleSpec, ev: Evidence, period: Period, today: date) -> Standing:
    kinds, level = counted_kinds(rule.flags), int(rule.params.get("min_place_level", 1))
    target = int(rule.params.get("min_days", 0))
    done = days_in(ev.stays, period.start, period.end, kinds=kinds, min_place_level=level)
    planned = days_in(ev.stays, period.start, period.end, kinds=kinds, min_place_level=level, status="planned")
    return Standing(rule.name, rule.kind, period.label, gettext("{done} / {target} 天").format(done=done, target=target),
                    status_of(done, target, period.end, today), done, target,
                    note=gettext("另有计划 {planned} 天").format(planned=planned) if planned else "")


def window_label(p: Period) -> str:
    return gettext("{month}–{month2}月").format(month=p.start.month, month2=p.end.month)


def _window_week(rule: RuleSpec, ev: Evidence, period: Period, today: date) -> Standing:
    kinds, level = counted_kinds(rule.flags), int(rule.params.get("min_place_level", 1))
    need = int(rule.params.get("min_days", 5))
    chips = []
    for w in periods_between(period.start, period.end, "bimonth"):
        d = days_in(ev.stays, w.start, w.end, kinds=kinds, min_place_level=level)
        chips.append(Chip(window_label(w), status_of(d, need, w.end, today, w.start), gettext("{d} 天").format(d=d)))
    met = sum(c.status == MET for c in chips)
    if any(c.status == BROKEN for c in chips):
        status = BROKEN
    else:
        status = MET if met == len(chips) else IN_PROGRESS
    return Standing(rule.name, rule.kind, period.label, gettext("{met} / {n} 个窗口").format(met=met, n=len(chips)), status, met, len(chips), chips)


def _city_pairing(rule: RuleSpec, ev: Evidence, period: Period, today: date) -> Standing:
    p, kinds = rule.params, counted_kinds(rule.flags)
    level = int(p.get("min_place_level", 1))
    inside = [s for s in ev.stays if s.status == "done" and s.kind in kinds and s.place_level >= level
              and s.start <= period.end and s.end >= period.start]
    parts = [
        (gettext("城市社区一周"), days_in(inside, period.start, period.end, kinds=kinds, setting="urban"), p.get("urban_days", 5), gettext("天")),
        (gettext("农村一周"), days_in(inside, period.start, period.end, kinds=kinds, setting="rural"), p.get("rural_days", 5), gettext("天")),
        (gettext("结对一名妇女"), sum(1 for s in inside if s.paired), p.get("paired", 1), gettext("人")),
        (gettext("当一天基层干部"), days_in(inside, period.start, period.end, kinds=frozenset({"cadre_day"})),
         p.get("cadre_days", 1), gettext("天")),
        (gettext("写一篇日记"), sum(1 for d in ev.diaries if period.contains(d)), p.get("diaries", 1), gettext("篇")),
        (gettext("研究一个问题"), sum(1 for d in ev.reports if period.contains(d)), p.get("reports", 1), gettext("篇")),
    ]
    chips = [Chip(label, status_of(n, int(target), period.end, today), f"{n}/{target} {unit}")
             for label, n, target, unit in parts]
    met = sum(c.status == MET for c in chips)
    status = MET if met == len(chips) else (BROKEN if period.end < today else IN_PROGRESS)
    return Standing(rule.name, rule.kind, period.label, gettext("{met} / {n} 项").format(met=met, n=len(chips)), status, met, len(chips), chips)


def adoption_matches(*, body: str, title_contains: str, levels: list[int], post_body: str, post_title: str,
                     post_level: int) -> bool:
    """Does an adoption's applies-to (body, title, levels) cover one post?"""
    return (body == post_body and (not title_contains or title_contains in post_title)
            and (not levels or post_level in levels))


def split_preset(values: dict) -> tuple[dict, dict]:
    """A resolved preset split into model fields and the rule's parameters."""
    fields = {k: v for k, v in values.items() if k in RULE_FIELDS}
    params = {k: v for k, v in values.items() if k not in RULE_FIELDS}
    return fields, params


def stay_days(start: date, end: date) -> int:
    return (end - start).days + 1
