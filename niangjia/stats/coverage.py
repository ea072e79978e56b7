"""覆盖与达标: the standing figures of a subtree — what exists now, not what happened in a span of months.

Grassroots reform as coverage (会改联 share of villages, "completed" per county or province, members
added beside the register, townships regionalised counted once), sites by kind with the 12338 hotline
rule, composition compliance, staffing against quota, and distinct women reached (persons, not
person-times). One function per figure, each one grouped query over the ancestor-column indexes
(`l<level> IN (…)`, grouped by that column), so every unit below is a row — zeros included — and
every page and the API read the same numbers from here.

The units side by side are the children of the chosen unit, or a pilot's members (試点 as a filter).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from niangjia.contacts.models import ContactEvent
from niangjia.core import policies
from niangjia.core.access import scoped
from niangjia.org.models import Federation, Site, TownshipRegionalisation, VillageConversion
from niangjia.org.queries import federations_for
from niangjia.people.models import Post
from niangjia.people.rules import BodyCounts, evaluate_composition
from niangjia.reform.queries import pilot_reach

TARGETS = policies.register(
    "stats.coverage_targets",
    _("覆盖与达标目标"),
    {"village_conversion_pct": 100, "township_regionalisation_pct": 100, "hotline_pct": 100,
     "composition_pct": 100, "staffing_within_quota_pct": 100},
    _("群团改革方案：村（社区）妇代会全部改建为妇联（会改联），乡镇（街道）妇联区域化建设全覆盖；县级以上妇联均开通"
    "12338妇女维权公益服务热线；领导机构组成结构符合比例要求；机关人员不超编制"),
)

SITE_KINDS = ("contact_point", "intake_point", "rights_post", "womens_home", "micro_home", "hotline")
HOTLINE_MAX_LEVEL = 4  # county level and above (1 national … 4 county) must have a 12338 hotline
LIST_LIMIT = 200


def pct(part: int, whole: int) -> float | None:
    """A share in percent, one decimal (None when there is nothing to share)."""
    return None if not whole else round(100 * part / whole, 1)


def meets(part: int, whole: int, target_pct: int) -> bool | None:
    """Whether part/whole reaches the target (integers, so 30 of 100 meets 30% exactly)."""
    return None if not whole else part * 100 >= target_pct * whole


@dataclass(frozen=True)
class Group:
    """One unit shown as a row, and the subtree it stands for (`l<level> = id`)."""

    id: int
    name: str
    code: str
    level: int


def units_for(user, *, unit, pilot=None) -> list[Group]:
    """The rows: a pilot's members in the caller's reach (a member under another member left out, so
    nothing counts twice), else the active children of `unit`."""
    if pilot is not None:
        ids = [s.unit_id for s in pilot_reach(user, pilot).subtrees]
        feds = list(federations_for(user).filter(pk__in=ids).only("id", "name", "code", "level", "path"))
        paths = [f.path for f in feds]
        feds = [f for f in feds if not any(p != f.path and f.path.startswith(p) for p in paths)]
    else:
        feds = list(federations_for(user).filter(parent=unit, is_active=True).only("id", "name", "code", "level"))
    return sorted((Group(f.id, f.name, f.code, f.level) for f in feds), key=lambda g: (g.code, g.id))


def _grouped(qs, groups: list[Group], **aggregates) -> dict[int, dict]:
    """{group id: {aggregate: value}} — one GROUP BY per level among the groups (children share one)."""
    out: dict[int, dict] = {}
    for level in sorted({g.level for g in groups}):
        ids = [g.id for g in groups if g.level == level]
        col = f"l{level}"
        for r in qs.filter(**{f"{col}__in": ids}).values(col).annotate(**aggregates).order_by():
            out[r.pop(col)] = r
    return out


def _subtrees_q(groups: list[Group]) -> Q:
    q = Q(pk__in=[])
    for level in {g.level for g in groups}:
        q |= Q(**{f"l{level}__in": [g.id for g in groups if g.level == level]})
    return q


# ------------------------------------------------------------------------- the figures


def grassroots(user, groups: list[Group]) -> dict[int, dict]:
    """会改联 and 区域化 per group: villages, converted (a village federation), share, completed (every
    village converted), members added beside the executive register, townships and regionalised ones."""
    feds = scoped(Federation.objects.filter(is_active=True), user)
    villages = _grouped(feds.filter(level=6), groups, villages=Count("id"),
                        converted=Count("id", filter=Q(form=Federation.Form.FEDERATION)))
    towns = _grouped(feds.filter(level=5), groups, townships=Count("id"))
    regional = _grouped(scoped(TownshipRegionalisation.objects.all(), user), groups,
                        regionalised=Count("unit", distinct=True))
    added = _grouped(scoped(VillageConversion.objects.all(), user), groups, added=Sum("executive_members_added"))
    register = _grouped(scoped(Post.objects.filter(body=Post.Body.EXECUTIVE, is_active=True, unit__level=6,
                                                   unit__form=Federation.Form.FEDERATION), user)
                        .filter(unit__in=VillageConversion.objects.values("unit")), groups,
                        in_register=Count("person", distinct=True))
    out = {}
    for g in groups:
        v = villages.get(g.id, {})
        n, c = v.get("villages", 0), v.get("converted", 0)
        t, r = towns.get(g.id, {}).get("townships", 0), regional.get(g.id, {}).get("regionalised", 0)
        a, reg = added.get(g.id, {}).get("added") or 0, register.get(g.id, {}).get("in_register", 0)
        out[g.id] = {"villages": n, "converted": c, "conversion_pct": pct(c, n), "completed": bool(n) and c == n,
                     "townships": t, "regionalised": r, "regionalisation_pct": pct(r, t),
                     "added": a, "in_register": reg, "added_diff": a - reg}
    return out


def added_mismatches(user, groups: list[Group], limit: int = LIST_LIMIT) -> list[dict]:
    """Converted villages whose typed "members added" differs from their executive register."""
    convs = list(scoped(VillageConversion.objects.filter(_subtrees_q(groups)), user)
                 .values_list("unit_id", "unit__name", "executive_members_added").order_by("unit__code"))
    counts = dict(Post.objects.filter(unit_id__in=[c[0] for c in convs], body=Post.Body.EXECUTIVE, is_active=True)
                  .values_list("unit_id").annotate(n=Count("person", distinct=True)).order_by())
    out = [{"id": uid, "name": name, "added": added, "in_register": counts.get(uid, 0),
            "diff": added - counts.get(uid, 0)} for uid, name, added in convs if added != counts.get(uid, 0)]
    return out[:limit]


def sites(user, groups: list[Group]) -> dict[int, dict]:
    """Active sites per kind per group ({kind: n}, every kind present, zeros included)."""
    out = {g.id: dict.fromkeys(SITE_KINDS, 0) for g in groups}
    for level in sorted({g.level for g in groups}):
        col = f"l{level}"
        ids = [g.id for g in groups if g.level == level]
        rows = (scoped(Site.objects.filter(is_active=True, **{f"{col}__in": ids}), user)
                .values_list(col, "kind").annotate(n=Count("id")).order_by())
        for gid, kind, n in rows:
            out[gid][kind] = out[gid].get(kind, 0) + n
    return out


def _hotline_q() -> Q:
    """A federation has a 12338 hotline: flagged on the federation or an active hotline site of its own."""
    return Q(has_hotline=True) | Q(pk__in=Site.objects.filter(kind=Site.Kind.HOTLINE, is_active=True).values("unit"))


def hotlines(user, groups: list[Group]) -> dict[int, dict]:
    """Per group: federations of county level and above, how many have a 12338 hotline, the share."""
    feds = scoped(Federation.objects.filter(is_active=True, level__lte=HOTLINE_MAX_LEVEL), user)
    rows = _grouped(feds, groups, required=Count("id"), with_hotline=Count("id", filter=_hotline_q()))
    out = {}
    for g in groups:
        r = rows.get(g.id, {})
        req, has = r.get("required", 0), r.get("with_hotline", 0)
        out[g.id] = {"required": req, "with_hotline": has, "missing": req - has, "hotline_pct": pct(has, req)}
    return out


def hotline_missing(user, groups: list[Group], limit: int = LIST_LIMIT) -> list[dict]:
    """The federations of county level and above in the groups' subtrees with no 12338 hotline."""
    qs = (scoped(Federation.objects.filter(_subtrees_q(groups), is_active=True, level__lte=HOTLINE_MAX_LEVEL), user)
          .exclude(_hotline_q()).order_by("code"))
    return [{"id": f.id, "name": f.name, "code": f.code, "level": f.level_name} for f in qs[:limit]]


def composition(user, groups: list[Group], limit: int = LIST_LIMIT) -> tuple[dict[int, dict], list[dict]]:
    """Per group: federations whose bodies have members, how many meet every composition rule (the
    preset ratios as each federation's policy sets them), the share; and the federations that do not."""
    rows = (scoped(Post.objects.filter(_subtrees_q(groups), is_active=True, person__is_active=True,
                                       body__in=["leadership", "standing", "executive", "delegates"]), user)
            .values("unit_id", "body").annotate(
                members=Count("person", distinct=True),
                grassroots=Count("person", distinct=True, filter=Q(person__grassroots_frontline=True)),
                full_time=Count("person", distinct=True, filter=Q(tenure=Post.Tenure.FULL_TIME)),
                seconded=Count("person", distinct=True, filter=Q(tenure=Post.Tenure.SECONDED)),
                part_time=Count("person", distinct=True, filter=Q(tenure=Post.Tenure.PART_TIME))).order_by())
    bodies: dict[int, dict] = {}
    for r in rows:
        uid, body = r.pop("unit_id"), r.pop("body")
        bodies.setdefault(uid, {})[body] = BodyCounts(**r)
    feds = {f.id: f for f in Federation.objects.filter(pk__in=bodies)}
    by_level = {g.level for g in groups}
    out = {g.id: {"assessed": 0, "compliant": 0} for g in groups}
    failing = []
    for uid in sorted(bodies, key=lambda i: feds[i].code):
        fed = feds[uid]
        results = evaluate_composition(bodies[uid], policies.resolve("composition", fed))
        verdicts = [r.met for r in results if r.met is not None]
        gid = next((getattr(fed, f"l{lv}") for lv in sorted(by_level) if getattr(fed, f"l{lv}") in out), None)
        if gid is None or not verdicts:
            continue
        out[gid]["assessed"] += 1
        if all(verdicts):
            out[gid]["compliant"] += 1
        elif len(failing) < limit:
            failing.append({"id": uid, "name": fed.name, "rules": [r.text for r in results if r.met is False]})
    for v in out.values():
        v["composition_pct"] = pct(v["compliant"], v["assessed"])
    return out, failing


def staffing(user, groups: list[Group]) -> dict[int, dict]:
    """Per group: the staffing quota (编制) of its federations, full-time organ staff against it, and
    how many federations are over their quota."""
    quota = _grouped(scoped(Federation.objects.filter(is_active=True), user), groups, quota=Sum("staffing_quota"),
                     with_quota=Count("id", filter=Q(staffing_quota__gt=0)))
    staff_rows = (scoped(Post.objects.filter(_subtrees_q(groups), body=Post.Body.ORGAN_STAFF, is_active=True,
                                             tenure=Post.Tenure.FULL_TIME), user)
                  .values("unit_id", "unit__staffing_quota").annotate(n=Count("person", distinct=True)).order_by())
    ids = {r["unit_id"] for r in staff_rows}
    fed_cols = {f.id: f for f in Federation.objects.filter(pk__in=ids).only(*[f"l{i}" for i in range(1, 7)])}
    out = {g.id: {"quota": quota.get(g.id, {}).get("quota") or 0, "staff": 0, "over": 0} for g in groups}
    levels = sorted({g.level for g in groups})
    for r in staff_rows:
        fed = fed_cols[r["unit_id"]]
        gid = next((getattr(fed, f"l{lv}") for lv in levels if getattr(fed, f"l{lv}") in out), None)
        if gid is None:
            continue
        out[gid]["staff"] += r["n"]
        if r["unit__staffing_quota"] and r["n"] > r["unit__staffing_quota"]:
            out[gid]["over"] += 1
    for v in out.values():
        v["staffing_pct"] = pct(v["staff"], v["quota"])
    return out


def women_reached(user, groups: list[Group], *, start: date, end: date) -> tuple[dict[int, int], int]:
    """Distinct women directly contacted in [start, end] per group, and over all the groups together
    (a woman contacted in two counties is one woman in their total): persons, not person-times."""
    qs = scoped(ContactEvent.objects.filter(day__gte=start, day__lte=end, target__person__isnull=False), user)
    per = _grouped(qs, groups, women=Count("target__person", distinct=True))
    whole = qs.filter(_subtrees_q(groups)).aggregate(n=Count("target__person", distinct=True))["n"] or 0
    return {g.id: per.get(g.id, {}).get("women", 0) for g in groups}, whole


# ------------------------------------------------------------------------- the page's table

SORT_KEYS = ("code", "conversion_pct", "regionalisation_pct", "hotline_pct", "composition_pct", "staffing_pct",
             "women", "sites")


def board(user, *, unit, pilot=None, start: date, end: date, sort: str = "code") -> dict:
    """Every coverage figure for the units side by side and their total, with the targets (policy of
    `unit`, else the preset) and what breaks the rules."""
    groups = units_for(user, unit=unit, pilot=pilot)
    g_roots, g_sites, g_hot = grassroots(user, groups), sites(user, groups), hotlines(user, groups)
    g_comp, failing = composition(user, groups)
    g_staff = staffing(user, groups)
    g_women, women_total = women_reached(user, groups, start=start, end=end)
    rows = []
    for g in groups:
        rows.append({"id": g.id, "name": g.name, "code": g.code, **g_roots[g.id], **g_hot[g.id], **g_comp[g.id],
                     **g_staff[g.id], "sites": g_sites[g.id], "site_total": sum(g_sites[g.id].values()),
                     "women": g_women[g.id]})
    total = _total(rows)
    total["women"] = women_total
    missing = hotline_missing(user, groups)
    if pilot is None and unit is not None and unit.level <= HOTLINE_MAX_LEVEL:  # the unit itself is held to it too

        has = Federation.objects.filter(_hotline_q(), pk=unit.pk).exists()
        total["required"] += 1
        total["with_hotline"] += int(has)
        total["missing"] += int(not has)
        total["hotline_pct"] = pct(total["with_hotline"], total["required"])
        if not has:
            missing.insert(0, {"id": unit.id, "name": unit.name, "code": unit.code, "level": unit.level_name})
    targets = policies.resolve(TARGETS.key, unit)
    for r in [*rows, total]:
        r["conversion_met"] = meets(r["converted"], r["villages"], targets["village_conversion_pct"])
        r["regionalisation_met"] = meets(r["regionalised"], r["townships"], targets["township_regionalisation_pct"])
        r["hotline_met"] = meets(r["with_hotline"], r["required"], targets["hotline_pct"])
        r["composition_met"] = meets(r["compliant"], r["assessed"], targets["composition_pct"])
    if sort in SORT_KEYS and sort != "code":
        key = (lambda r: r["site_total"]) if sort == "sites" else (lambda r: r[sort] if r[sort] is not None else -1)
        rows.sort(key=lambda r: (-key(r), r["code"]))
    return {"rows": rows, "total": total, "targets": targets, "hotline_missing": missing,
            "composition_failing": failing, "added_mismatches": added_mismatches(user, groups),
            "site_kinds": SITE_KINDS}


_SUMMED = ("villages", "converted", "townships", "regionalised", "added", "in_register", "required", "with_hotline",
           "missing", "assessed", "compliant", "quota", "staff", "over")


def _total(rows: list[dict]) -> dict:
    t = {k: sum(r[k] for r in rows) for k in _SUMMED}
    t["sites"] = {k: sum(r["sites"][k] for r in rows) for k in SITE_KINDS}
    t["site_total"] = sum(t["sites"].values())
    t["added_diff"] = t["added"] - t["in_register"]
    t["conversion_pct"], t["completed"] = pct(t["converted"], t["villages"]), bool(t["villages"]) and \
        t["converted"] == t["villages"]
    t["regionalisation_pct"] = pct(t["regionalised"], t["townships"])
    t["hotline_pct"], t["composition_pct"] = pct(t["with_hotline"], t["required"]), pct(t["compliant"], t["assessed"])
    t["staffing_pct"] = pct(t["staff"], t["quota"])
    return t
