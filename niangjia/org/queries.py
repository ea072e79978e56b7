"""Reads of the tree, sites and organisations; every one scoped to the caller's reach."""

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from niangjia.core import policies
from niangjia.core.access import get_for, reach_of, scoped
from niangjia.core.errors import NotFound
from niangjia.core.pinyin import is_pinyin_query
from niangjia.core.scope import in_subtree

from . import rules
from .models import (
    EstablishmentQuota,
    Federation,
    Organisation,
    Site,
    TownshipRegionalisation,
    VillageConversion,
)


def federations_for(user) -> QuerySet:
    return scoped(Federation.objects.all(), user)


def get_federation_for(user, pk, *, write: bool = False) -> Federation:
    return get_for(Federation.objects.select_related("parent"), user, pk, perm="org.edit" if write else "org.view")


def tree_roots_for(user) -> list[Federation]:
    """The top units a user sees: her scope units (or the national roots for a superuser)."""
    reach = reach_of(user)
    if reach.unrestricted:
        return list(Federation.objects.filter(parent__isnull=True))
    ids = [s.unit_id for s in reach.subtrees]
    roots = list(Federation.objects.filter(pk__in=ids).order_by("path"))
    # A scope inside another scope of the same user is shown once, under its ancestor.
    paths = [r.path for r in roots]
    return [r for r in roots if not any(r.path != p and r.path.startswith(p) for p in paths)]


def children_of(user, parent_id: int, *, include_inactive: bool = False) -> list[Federation]:
    parent = get_federation_for(user, parent_id)
    qs = Federation.objects.filter(parent=parent)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return list(qs.annotate(child_count=Count("children", filter=Q(children__is_active=True))).order_by("code"))


def search_federations(user, q: str, *, limit: int = 30) -> list[Federation]:
    """By name (contains), code (prefix), or pinyin: full (prefix) or initials (prefix)."""
    q = (q or "").strip()
    if not q:
        return []
    qs = federations_for(user)
    if q.isdigit():
        qs = qs.filter(code__startswith=q)
    elif is_pinyin_query(q):
        key = q.replace(" ", "").lower()
        qs = qs.filter(Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key))
    else:
        qs = qs.filter(name__contains=q)
    return list(qs.order_by("level", "code")[:limit])


def breadcrumbs(user, fed: Federation) -> list[Federation]:
    """Ancestors of `fed` inside the user's reach, root first (one query)."""
    ids = fed.ancestor_ids[:-1]
    by_id = {f.id: f for f in scoped(Federation.objects.filter(pk__in=ids), user)}
    return [by_id[i] for i in ids if i in by_id]


def subtree_of(user, unit_id: int | None):
    """The subtree filter for a list: a unit inside the reach, or the whole reach."""
    if unit_id is None:
        return None
    unit = get_federation_for(user, unit_id)
    return unit


def _in_unit(qs: QuerySet, unit: Federation | None) -> QuerySet:
    return in_subtree(qs, unit)


def sites_for(user, *, unit: Federation | None = None, kind: str = "", q: str = "", active: bool | None = True):
    qs = _in_unit(scoped(Site.objects.select_related("unit"), user), unit)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__contains=q)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def organisations_for(user, *, unit: Federation | None = None, kind: str = "", agency_type: str = "",
                      q: str = "", active: bool | None = True):
    qs = _in_unit(scoped(Organisation.objects.select_related("unit"), user), unit)
    if kind:
        qs = qs.filter(kind=kind)
    if agency_type:
        qs = qs.filter(agency_type=agency_type)
    if q:
        qs = qs.filter(name__contains=q)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def get_site_for(user, pk, *, write: bool = False) -> Site:
    return get_for(Site.objects.select_related("unit"), user, pk, perm="org.edit" if write else "org.view")


def get_organisation_for(user, pk, *, write: bool = False) -> Organisation:
    return get_for(Organisation.objects.select_related("unit"), user, pk, perm="org.edit" if write else "org.view")


def conversions_for(user, *, unit: Federation | None = None):
    return _in_unit(scoped(VillageConversion.objects.select_related("unit"), user), unit)


def regionalisations_for(user, *, unit: Federation | None = None):
    return _in_unit(scoped(TownshipRegionalisation.objects.select_related("unit"), user), unit)


def site_counts(user, unit: Federation) -> dict[str, int]:
    """Active sites by kind inside a unit's subtree."""
    rows = _in_unit(scoped(Site.objects.filter(is_active=True), user), unit).values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows}


def require_federation(user, pk) -> Federation:
    if pk in (None, ""):
        raise NotFound()
    return get_federation_for(user, pk)


def child_counts(parent_ids: list[int]) -> dict[int, int]:
    """Active children per parent, one grouped query (for tree nodes that came without counts)."""
    rows = (Federation.objects.filter(parent_id__in=parent_ids, is_active=True)
            .values("parent_id").annotate(n=Count("id")))
    return {r["parent_id"]: r["n"] for r in rows}


def unit_options_for(user, *, selected: Federation | None = None, limit: int = 300) -> list[Federation]:
    """Units offered in a filter or picker: the user's roots and their children (bounded), plus the selection."""
    roots = tree_roots_for(user)
    out = list(roots)
    if roots:
        kids = (federations_for(user).filter(parent__in=roots, is_active=True)
                .order_by("path")[: max(0, limit - len(roots))])
        out += list(kids)
    if selected is not None and selected.pk not in {u.pk for u in out}:
        out.append(selected)
    return sorted(out, key=lambda u: u.path)


def federation_search_q(q: str) -> Q:
    """Name (contains), code (prefix) or pinyin full/initials (prefix): the tree's search box."""
    q = (q or "").strip()
    if q.isdigit():
        return Q(code__startswith=q)
    if is_pinyin_query(q):
        key = q.replace(" ", "").lower()
        return Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key)
    return Q(name__contains=q)


def federations_list(user, *, level: int | None = None, parent: Federation | None = None, q: str = "",
                     active: bool | None = None, within: Federation | None = None) -> QuerySet:
    """Federations in reach, filtered; `within` keeps a unit's descendants (not the unit itself)."""
    qs = federations_for(user)
    if within is not None:
        qs = in_subtree(qs, within).exclude(pk=within.pk)
    if level is not None:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if (q or "").strip():
        qs = qs.filter(federation_search_q(q))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def tree_nodes_for(user, parent_id: int | None = None, *, include_inactive: bool = False) -> list[Federation]:
    """The caller's tree roots (no parent) or a unit's children, each with `child_count`."""
    if parent_id is not None:
        return children_of(user, parent_id, include_inactive=include_inactive)
    roots = tree_roots_for(user)
    counts = child_counts([r.id for r in roots])
    for r in roots:
        r.child_count = counts.get(r.id, 0)
    return roots


# ---------------------------------------------------------------- 机构编制核定 (quotas and their cut)

QUOTA_CUT = policies.register(
    "org.quota_cut",
    _("机构编制精简目标"),
    {"cut_pct": 20},
    _("PRODUCT.md §4：一个市妇联机关编制、内设机构、直属事业单位各精简20%（预设：各项精简不少于 20%）"),
)


def quota_history(unit) -> list[tuple]:
    """The unit's quotas as (effective_on, rules.Quota), oldest first."""
    rows = EstablishmentQuota.objects.filter(unit=unit).order_by("effective_on")
    return [(r.effective_on, rules.Quota(r.staff, r.departments, r.institutions)) for r in rows]


def quotas_of(user, unit) -> list[EstablishmentQuota]:
    """A unit's quota rows, newest first (the caller has fetched the unit through her reach)."""
    return list(scoped(EstablishmentQuota.objects.filter(unit=unit), user).order_by("-effective_on", "-id"))


def get_quota_for(user, pk, *, write: bool = False) -> EstablishmentQuota:
    return get_for(EstablishmentQuota.objects.select_related("unit"), user, pk,
                   perm="org.edit" if write else "org.view")


def quota_cut_board(user, unit, *, base, on) -> dict:
    """The unit and its active children side by side: each one's own quota in force on `base` and on
    `on`, the cut of staffing, departments and institutions and whether each met the target (the
    unit's policy org.quota_cut); the totals of the units that have both quotas."""
    target = policies.resolve(QUOTA_CUT.key, unit)["cut_pct"]
    units = [unit, *federations_for(user).filter(parent=unit, is_active=True).order_by("code")]
    history: dict[int, list] = {u.pk: [] for u in units}
    for r in (scoped(EstablishmentQuota.objects.filter(unit_id__in=list(history), effective_on__lte=max(base, on)),
                     user).order_by("effective_on")):
        history[r.unit_id].append((r.effective_on, rules.Quota(r.staff, r.departments, r.institutions)))
    rows = []
    for u in units:
        before, after = rules.quota_in_force(history[u.pk], base), rules.quota_in_force(history[u.pk], on)
        rows.append({"unit": u, "own": u.pk == unit.pk, "before": before, "after": after,
                     "cut": rules.quota_cut(before, after, target)})
    both = [r for r in rows if r["cut"] is not None]
    total = None
    if both:
        sums = [rules.Quota(*(sum(getattr(r[k], d) for r in both) for d in rules.QUOTA_DIMENSIONS))
                for k in ("before", "after")]
        total = {"before": sums[0], "after": sums[1], "cut": rules.quota_cut(sums[0], sums[1], target)}
    return {"target_pct": target, "base": base, "on": on, "rows": rows, "total": total,
            "assessed": sum(1 for r in both if r["cut"].met is not None),
            "met": sum(1 for r in both if r["cut"].met), "missed": [r for r in both if r["cut"].met is False]}


def quota_first_day(unit):
    """The earliest day a quota of the unit or its children took effect (the default base of the cut)."""
    return (EstablishmentQuota.objects.filter(Q(unit=unit) | Q(unit__parent=unit))
            .aggregate(d=Min("effective_on"))["d"])
