"""Direct-contact rules (直接联系制度) as pure functions, with the reform documents' presets.

- 五个一: each leadership member contacts one county federation, one group member, one
  workplace women's committee, one non-public firm or social organisation with many women,
  and one provincial executive member.
- 三个一: each organ cadre contacts one township federation, one village federation and one
  representative woman.
- 十名普通妇女: each leader keeps contact with at least 10 ordinary women, at least one of
  them poor and one from a new economic or social organisation.
- Not heard from: a target with no contact for more than N days (preset 90) is flagged. The
  clock runs from the last contact, or — never contacted — from the later of the plan's
  start and the day the target joined the plan.

Every check works on counts, so the same rule judges one plan on its page and thousands of
plans in one grouped query (queries.py builds the counts and the SQL form of "has gaps").
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import policies

from .models import Kind, Slot

FIVE_ONES_SLOTS = (Slot.COUNTY_FEDERATION, Slot.GROUP_MEMBER, Slot.WORKPLACE_COMMITTEE, Slot.FIRM_OR_SOCIAL_ORG,
                   Slot.PROVINCIAL_EXECUTIVE)
THREE_ONES_SLOTS = (Slot.TOWNSHIP_FEDERATION, Slot.VILLAGE_FEDERATION, Slot.REPRESENTATIVE_WOMAN)
TEN_WOMEN_SLOTS = (Slot.ORDINARY_WOMAN,)
KIND_SLOTS = {Kind.FIVE_ONES: FIVE_ONES_SLOTS, Kind.THREE_ONES: THREE_ONES_SLOTS, Kind.TEN_WOMEN: TEN_WOMEN_SLOTS}

FIVE_ONES = policies.register(
    "contacts.five_ones",
    gettext_lazy("直接联系：领导班子成员“五个一”"),
    {str(s): 1 for s in FIVE_ONES_SLOTS},
    gettext_lazy("每名领导班子成员直接联系一个县级妇联、一个团体会员、一个机关企事业单位妇委会、"
    "一个女性较多的非公企业或社会组织、一名省妇联执委"),
)
THREE_ONES = policies.register(
    "contacts.three_ones",
    gettext_lazy("直接联系：机关干部“三个一”"),
    {str(s): 1 for s in THREE_ONES_SLOTS},
    gettext_lazy("每名机关干部联系一个乡镇（街道）妇联、一个村（社区）妇联、一名代表性妇女"),
)
TEN_WOMEN = policies.register(
    "contacts.ten_women",
    gettext_lazy("直接联系：领导干部联系普通妇女"),
    {"ordinary_women_min": 10, "poor_min": 1, "new_org_min": 1},
    gettext_lazy("每名领导干部直接联系不少于10名普通妇女，其中包括困难妇女和新经济组织、新社会组织中的妇女"),
)
NOT_HEARD_FROM = policies.register(
    "contacts.not_heard_from",
    gettext_lazy("直接联系：久未联系提醒"),
    {"days": 90},
    gettext_lazy("联系对象超过规定天数没有联系记录的，予以提醒（预设90天）"),
)
POLICY_OF_KIND = {Kind.FIVE_ONES: FIVE_ONES.key, Kind.THREE_ONES: THREE_ONES.key, Kind.TEN_WOMEN: TEN_WOMEN.key}

# Who a kind of plan is for: the bodies in which the person must hold an active post.
KIND_BODIES = {Kind.FIVE_ONES: ("leadership",), Kind.THREE_ONES: ("organ_staff",), Kind.TEN_WOMEN: ("leadership",)}
KIND_FOR = {Kind.FIVE_ONES: gettext_lazy("领导班子成员"), Kind.THREE_ONES: gettext_lazy("机关干部"), Kind.TEN_WOMEN: gettext_lazy("领导班子成员")}

# What each slot links to: ("federation", level), ("organisation", kinds) or ("person", None).
SLOT_LINKS: dict[str, tuple[str, object]] = {
    Slot.COUNTY_FEDERATION: ("federation", 4),
    Slot.TOWNSHIP_FEDERATION: ("federation", 5),
    Slot.VILLAGE_FEDERATION: ("federation", 6),
    Slot.GROUP_MEMBER: ("organisation", ("group_member",)),
    Slot.WORKPLACE_COMMITTEE: ("organisation", ("workplace_committee",)),
    Slot.FIRM_OR_SOCIAL_ORG: ("organisation", ("new_org_women", "social_org")),
    Slot.PROVINCIAL_EXECUTIVE: ("person", None),
    Slot.REPRESENTATIVE_WOMAN: ("person", None),
    Slot.ORDINARY_WOMAN: ("person", None),
}
LEVEL_WORDS = {4: gettext_lazy("县级"), 5: gettext_lazy("乡镇（街道）"), 6: gettext_lazy("村（社区）")}
LINK_NAMES = {"federation": gettext_lazy("妇联组织"), "organisation": gettext_lazy("组织"), "person": gettext_lazy("人员")}
PERSON_SLOTS = frozenset(s for s, (t, _) in SLOT_LINKS.items() if t == "person")
WOMEN_SLOTS = frozenset({Slot.REPRESENTATIVE_WOMAN, Slot.ORDINARY_WOMAN})
# Tags of an ordinary woman that the ten-women rule counts.
POOR_TAG, NEW_ORG_TAG = "poor", "new_org"


# ---------------------------------------------------------------- who a plan is for, what a slot takes


def eligibility_problem(kind: str, bodies: set[str]) -> str | None:
    """Why a person holding active posts in `bodies` may not have a plan of `kind` (None: she may)."""
    if kind not in KIND_BODIES:
        return _("未知的联系制度")
    if not set(KIND_BODIES[kind]) & set(bodies):
        return _("“{label}”适用于{KIND_FOR}：该人员没有在任的相应职务").format(label=Kind(kind).label, KIND_FOR=KIND_FOR[kind])
    return None


def slot_problem(kind: str, slot: str) -> str | None:
    if slot not in SLOT_LINKS:
        return _("未知的联系对象类别")
    if slot not in KIND_SLOTS.get(kind, ()):
        return _("“{label}”计划中没有“{label2}”这一类联系对象").format(label=Kind(kind).label, label2=Slot(slot).label)
    return None


@dataclass(frozen=True)
class LinkFacts:
    """What a service knows about the record a slot is being filled with."""

    type: str  # federation | organisation | person
    level: int | None = None  # a federation's level
    org_kind: str = ""  # an organisation's kind
    gender: str = ""  # a person's gender
    provincial_executive: bool = False  # the person holds an active executive post in a provincial federation
    active: bool = True


def link_problem(slot: str, link: LinkFacts) -> str | None:
    """Why `link` cannot fill `slot` (None: it can). Messages name what the slot needs."""
    want, detail = SLOT_LINKS[slot]
    label = Slot(slot).label
    if link.type != want:
        return _("“{label}”应选择{LINK_NAMES}").format(label=label, LINK_NAMES=LINK_NAMES[want])
    if not link.active:
        return _("所选记录已停用")
    if want == "federation" and link.level != detail:
        return _("“{label}”应选择{LEVEL_WORDS}妇联").format(label=label, LEVEL_WORDS=LEVEL_WORDS[detail])
    if want == "organisation" and link.org_kind not in detail:
        return _("所选组织不是{label}").format(label=label)
    if slot == Slot.PROVINCIAL_EXECUTIVE and not link.provincial_executive:
        return _("所选人员不是在任的省妇联执委")
    if slot in WOMEN_SLOTS and link.gender != "F":
        return _("“{label}”应选择女性").format(label=label)
    return None


# ---------------------------------------------------------------- the check: what is missing


@dataclass(frozen=True)
class Requirement:
    key: str  # a slot, or "poor" / "new_org" (ordinary women carrying that tag)
    minimum: int
    noun: str
    measure: str  # 个 or 名

    def shortfall(self, counts: dict[str, int]) -> int:
        return max(0, self.minimum - counts.get(self.key, 0))

    def missing_text(self, counts: dict[str, int]) -> str:
        short, have = self.shortfall(counts), counts.get(self.key, 0)
        if self.key == Slot.ORDINARY_WOMAN:
            return _("还需 {n} 名{noun}").format(n=short, noun=self.noun)
        if self.key in (POOR_TAG, NEW_ORG_TAG):
            return _("缺少{noun}").format(noun=self.noun) if have == 0 else _("还需 {n} 名{noun}").format(n=short, noun=self.noun)
        # the measure word (个/名) belongs to the Chinese sentence only; the English one leaves it out
        if short == 1:
            return _("缺：一{measure}{noun}").format(measure=self.measure, noun=self.noun)
        return _("缺：{n} {measure}{noun}").format(n=short, measure=self.measure, noun=self.noun)


def requirements(kind: str, policy: dict) -> list[Requirement]:
    """The counts a plan of `kind` must reach under `policy` (the resolved preset)."""
    if kind == Kind.TEN_WOMEN:
        return [Requirement(Slot.ORDINARY_WOMAN, int(policy["ordinary_women_min"]), _("普通妇女"), "名"),
                Requirement(POOR_TAG, int(policy["poor_min"]), _("困难妇女"), "名"),
                Requirement(NEW_ORG_TAG, int(policy["new_org_min"]), _("新经济新社会组织中的妇女"), "名")]
    return [Requirement(str(slot), int(policy.get(str(slot), 0)), slot.label,
                        "名" if slot in PERSON_SLOTS else "个")
            for slot in KIND_SLOTS[kind] if int(policy.get(str(slot), 0)) > 0]


@dataclass(frozen=True)
class CheckResult:
    kind: str
    complete: bool
    missing: list[str] = field(default_factory=list)
    have: int = 0  # requirement units met
    need: int = 0  # requirement units in all

    @property
    def text(self) -> str:
        return _("齐全") if self.complete else "；".join(self.missing)


def check(kind: str, counts: dict[str, int], policy: dict) -> CheckResult:
    """Judge a plan from its counts: active targets per slot, plus ordinary women tagged poor / new_org."""
    reqs = requirements(kind, policy)
    missing = [r.missing_text(counts) for r in reqs if r.shortfall(counts)]
    need = sum(r.minimum for r in reqs)
    have = sum(min(r.minimum, counts.get(r.key, 0)) for r in reqs)
    return CheckResult(kind=kind, complete=not missing, missing=missing, have=have, need=need)


def counts_of(targets) -> dict[str, int]:
    """Counts for `check` from (slot, tags) pairs of a plan's active targets."""
    counts: dict[str, int] = {}
    for slot, tags in targets:
        counts[slot] = counts.get(slot, 0) + 1
        if slot == Slot.ORDINARY_WOMAN:
            for tag in (POOR_TAG, NEW_ORG_TAG):
                if tag in (tags or ()):
                    counts[tag] = counts.get(tag, 0) + 1
    return counts


# ---------------------------------------------------------------- not heard from


def clock_from(last_contact_on: date | None, since: date) -> date:
    """The day the not-heard-from clock runs from: the last contact, else when the target joined."""
    return last_contact_on or since


def days_silent(last_contact_on: date | None, since: date, today: date) -> int:
    return max(0, (today - clock_from(last_contact_on, since)).days)


def overdue_cutoff(today: date, days: int) -> date:
    """A target whose clock runs from before this day is overdue (SQL: clock < cutoff)."""
    return today - timedelta(days=days)


def is_overdue(last_contact_on: date | None, since: date, today: date, days: int) -> bool:
    """Flagged once more than `days` days have passed: at exactly `days` days it is still fine."""
    return clock_from(last_contact_on, since) < overdue_cutoff(today, days)


def target_since(plan_started_on: date, added_on: date) -> date:
    """A target joining after the plan started is not overdue for the time before it joined."""
    return max(plan_started_on, added_on)


def event_day_problem(day: date, plan_started_on: date, today: date) -> str | None:
    if day > today:
        return _("联系日期不能晚于今天")
    if day < plan_started_on:
        return _("联系日期早于计划开始日期（{plan_started_on:%Y-%m-%d}）").format(plan_started_on=plan_started_on)
    return None
