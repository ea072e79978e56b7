"""Composition rules (组成结构) as pure functions over counts, with the reform documents' presets.

Shares are compared in integers (part * 100 against threshold * whole), so 30 of 100 meets
a 30% floor exactly and no float rounding can flip a verdict at the threshold.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import policies

COMPOSITION = policies.register(
    "composition",
    gettext_lazy("领导机构组成结构"),
    {
        "standing_grassroots_min_pct": 30,
        "executive_grassroots_min_pct": 40,
        "delegates_grassroots_min_pct": 60,
        "leadership_full_time_max_pct": 50,
    },
    gettext_lazy("群团改革方案：常委中基层一线比例不低于30%，执委不低于40%，代表不低于60%；领导班子专职不超过一半"),
)


@dataclass(frozen=True)
class BodyCounts:
    """Distinct active members of one body, and how many are grassroots front-line / full-time."""

    members: int = 0
    grassroots: int = 0
    full_time: int = 0
    seconded: int = 0
    part_time: int = 0


@dataclass(frozen=True)
class RuleResult:
    code: str
    name: str
    part: int
    whole: int
    threshold_pct: int
    comparison: str  # ">=" floor or "<=" ceiling
    met: bool | None  # None: the body has no members yet

    @property
    def share_pct(self) -> float | None:
        return None if self.whole == 0 else round(100 * self.part / self.whole, 1)

    @property
    def text(self) -> str:
        if self.met is None:
            return _("{name}：暂无成员").format(name=self.name)
        verdict = _("达标") if self.met else _("未达标")
        return _("{name}：{part}/{whole}（{share_pct}%，要求{comparison}{threshold_pct}%）{verdict}").format(name=self.name, part=self.part, whole=self.whole, share_pct=self.share_pct, comparison=self.comparison, threshold_pct=self.threshold_pct, verdict=verdict)


def share_at_least(part: int, whole: int, pct: int) -> bool | None:
    if whole == 0:
        return None
    return part * 100 >= pct * whole


def share_at_most(part: int, whole: int, pct: int) -> bool | None:
    if whole == 0:
        return None
    return part * 100 <= pct * whole


def evaluate_composition(counts: dict[str, BodyCounts], policy: dict) -> list[RuleResult]:
    """Every composition rule against the body counts of one federation."""
    out = []
    for code, body, key, name in (
        ("standing_grassroots", "standing", "standing_grassroots_min_pct", _("常委中基层一线比例")),
        ("executive_grassroots", "executive", "executive_grassroots_min_pct", _("执委中基层一线比例")),
        ("delegates_grassroots", "delegates", "delegates_grassroots_min_pct", _("代表中基层一线比例")),
    ):
        c = counts.get(body, BodyCounts())
        pct = policy[key]
        out.append(RuleResult(code, name, c.grassroots, c.members, pct, ">=", share_at_least(c.grassroots, c.members, pct)))
    lead = counts.get("leadership", BodyCounts())
    pct = policy["leadership_full_time_max_pct"]
    out.append(RuleResult("leadership_full_time", _("领导班子专职比例"), lead.full_time, lead.members, pct, "<=",
                          share_at_most(lead.full_time, lead.members, pct)))
    return out


@dataclass(frozen=True)
class StaffingResult:
    quota: int
    full_time: int
    seconded: int
    volunteers: int

    @property
    def actual(self) -> int:
        """Staff counted against the quota (编制): full-time cadres; seconded and volunteers are the "+1"."""
        return self.full_time

    @property
    def within_quota(self) -> bool | None:
        return None if self.quota == 0 else self.actual <= self.quota

    @property
    def vacancies(self) -> int:
        return max(0, self.quota - self.actual)

    @property
    def two_plus_one(self) -> bool:
        """“2+1”: full-time and seconded cadres, plus organ volunteers, all present."""
        return self.full_time > 0 and self.seconded > 0 and self.volunteers > 0


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_and_gender_from_id(id_number: str) -> tuple[date | None, str | None]:
    """GB 11643: digits 7-14 are the birth date; the 17th digit is odd for men, even for women."""
    if len(id_number) != 18:
        return None, None
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None, None
    return born, ("M" if int(id_number[16]) % 2 else "F")
