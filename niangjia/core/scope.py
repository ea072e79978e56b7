"""Scope by ancestor columns.

Every federation and every scoped record carries its ancestors' ids in `l1`..`l6` (its own
unit's id at the unit's level). A user's reach is a set of subtrees, each (level, id); one
function turns it into `l<level> = <id>` filters. No tree walks, no recursive queries, no
join to the tree when filtering.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .errors import NotFound

LEVELS = (1, 2, 3, 4, 5, 6)
LEVEL_NAMES = {1: _("全国"), 2: _("省"), 3: _("市"), 4: _("县/区"), 5: _("乡镇/街道"), 6: _("村/社区")}
ANCESTOR_FIELDS = tuple(f"l{n}" for n in LEVELS)


@dataclass(frozen=True)
class Subtree:
    level: int
    unit_id: int


@dataclass(frozen=True)
class Reach:
    """Where a user may see and act: the union of some subtrees (empty reach sees nothing)."""

    subtrees: tuple[Subtree, ...] = field(default_factory=tuple)
    unrestricted: bool = False  # superusers: the whole tree, whatever its roots

    @property
    def is_empty(self) -> bool:
        return not self.subtrees and not self.unrestricted

    def covers(self, ancestors: dict[str, int | None]) -> bool:
        """Is a record with these ancestor columns inside the reach?"""
        if self.unrestricted:
            return True
        return any(ancestors.get(f"l{s.level}") == s.unit_id for s in self.subtrees)

    def covers_obj(self, obj) -> bool:
        return self.covers({f: getattr(obj, f) for f in ANCESTOR_FIELDS})

    @classmethod
    def of_unit(cls, unit) -> "Reach":
        """The reach of one unit's subtree."""
        return cls((Subtree(unit.level, unit.pk),))


def reach_q(reach: Reach, prefix: str = "") -> Q:
    """The filter for everything inside a reach; an empty reach matches nothing."""
    if reach.unrestricted:
        return Q()
    if reach.is_empty:
        return Q(pk__in=[])
    q = Q()
    for s in reach.subtrees:
        q |= Q(**{f"{prefix}l{s.level}": s.unit_id})
    return q


def scope_queryset(qs: models.QuerySet, reach: Reach, prefix: str = "") -> models.QuerySet:
    return qs.filter(reach_q(reach, prefix))


def subtree_q(level: int, unit_id: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}l{level}": unit_id})


def under_q(unit, prefix: str = "") -> Q:
    """Rows owned by `unit` or anything below it."""
    return subtree_q(unit.level, unit.id, prefix)


def in_subtree(qs: models.QuerySet, unit) -> models.QuerySet:
    """Narrow a (usually already scoped) queryset to one unit's subtree; None leaves it as is."""
    return qs if unit is None else qs.filter(under_q(unit))


def get_in_reach(qs: models.QuerySet, reach: Reach, **lookup):
    """Fetch one record inside the reach, or the same 404 a missing record gives."""
    try:
        return scope_queryset(qs, reach).get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise NotFound() from exc


def ancestors_of(unit) -> dict[str, int | None]:
    """The ancestor columns a record owned by `unit` must carry (the unit's own columns)."""
    return {f: getattr(unit, f) for f in ANCESTOR_FIELDS}


class AncestorColumns(models.Model):
    """l1..l6: the ids of the owning unit's ancestors, its own id at its own level."""

    l1 = models.BigIntegerField(null=True, blank=True, editable=False)
    l2 = models.BigIntegerField(null=True, blank=True, editable=False)
    l3 = models.BigIntegerField(null=True, blank=True, editable=False)
    l4 = models.BigIntegerField(null=True, blank=True, editable=False)
    l5 = models.BigIntegerField(null=True, blank=True, editable=False)
    l6 = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def ancestors(self) -> dict[str, int | None]:
        return {f: getattr(self, f) for f in ANCESTOR_FIELDS}


class ScopedModel(AncestorColumns):
    """A record owned by one federation; services set the columns with `place_in(unit)`."""

    unit = models.ForeignKey("org.Federation", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织"))

    class Meta:
        abstract = True

    def place_in(self, unit) -> None:
        self.unit = unit
        for f, value in ancestors_of(unit).items():
            setattr(self, f, value)


def ancestors_match_unit_check(model_name: str) -> models.CheckConstraint:
    """Backstop: a scoped row must at least carry its root ancestor."""
    return models.CheckConstraint(condition=Q(l1__isnull=False), name=f"{model_name}_has_l1")
