"""Pure rules of the tree: levels and the ancestor columns of a new unit."""

from niangjia.core.errors import ValidationFailed
from niangjia.core.scope import LEVEL_NAMES

MSG_TOO_DEEP = "村/社区是最低一级，不能再设下级组织"


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
