"""Reads of persons, posts and composition; all scoped to the caller's reach."""

import re

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, policies
from niangjia.core.access import get_for, reach_of, scoped
from niangjia.core.errors import NotFound
from niangjia.core.pinyin import is_pinyin_query
from niangjia.core.roles import require
from niangjia.core.scope import in_subtree
from niangjia.core.search_terms import refuse_number_in_url
from niangjia.core.sensitive import blind_index
from niangjia.core.validators import (
    looks_like_id_number,
    looks_like_phone,
    normalize_id_number,
    normalize_phone,
)
from niangjia.org.queries import federations_for, search_federations

from .models import ImportJob, Person, Post
from .rules import BodyCounts, StaffingResult, evaluate_composition

# Need-to-know of case parties: apps that seal a person (cases) register a function(user) returning the
# ids of the case parties this user may see (a values() queryset), EVERY_CASE_PARTY when she may see them
# all (the cases app's administrators), or None when she may see none.
CASE_PARTY_ACCESS: list = []
EVERY_CASE_PARTY = "every"


def register_case_party_access(fn) -> None:
    if fn not in CASE_PARTY_ACCESS:
        CASE_PARTY_ACCESS.append(fn)


def persons_visible_to(user) -> QuerySet:
    """All persons the user may know of (before scope): everyone except case parties, who are visible
    only to those the registered access functions name (the admin, those on one of her cases)."""
    known = [ids for ids in (fn(user) for fn in CASE_PARTY_ACCESS) if ids is not None]
    if any(ids is EVERY_CASE_PARTY for ids in known):
        return Person.objects.all()
    if not known:
        return Person.visible.all()
    visible = Q(case_party=False)
    for ids in known:
        visible |= Q(case_party=True, pk__in=ids)
    return Person.objects.filter(visible)


def may_see_person(user, person: Person) -> bool:
    return not person.case_party or persons_visible_to(user).filter(pk=person.pk).exists()


def persons_for(user, *, unit=None, q: str = "", tag: str = "", body: str = "", active: bool | None = True,
                where: str = "people") -> QuerySet:
    qs = scoped(persons_visible_to(user).select_related("unit"), user)
    qs = in_subtree(qs, unit)
    if active is not None:
        qs = qs.filter(is_active=active)
    if tag:
        qs = qs.filter(tags__contains=[tag]) if _json_contains_ok() else qs.filter(tags__icontains=f'"{tag}"')
    if body:
        qs = qs.filter(posts__body=body, posts__is_active=True).distinct()
    return search_persons(qs, q, actor=user, where=where)


def _json_contains_ok() -> bool:
    return connection.vendor == "postgresql"


_HASHED = re.compile(r"^(phone|id_number):([0-9a-f]{64})$")


def exact_key(q: str) -> tuple[str, str] | None:
    """(kind, blind index) when `q` is a full ID number or phone, or already their hashed form
    `kind:<blind index>` (what search links carry, so no number reaches a URL, a log or the history)."""
    q = (q or "").strip()
    hashed = _HASHED.match(q)
    if hashed:
        return hashed.group(1), hashed.group(2)
    if looks_like_id_number(q):
        return "id_number", blind_index(normalize_id_number(q))
    if any(c.isdigit() for c in q) and looks_like_phone(q):
        return "phone", blind_index(normalize_phone(q))
    return None


def refuse_number_in_link(q: str) -> None:
    """A list's link carries a phone or ID number only as its keyed hash; a raw one is refused (400)."""
    q = (q or "").strip()
    if not _HASHED.match(q):
        refuse_number_in_url(q, "q")


def hashed_query(q: str) -> str:
    """The query as it may appear in a link: a phone or ID number becomes `kind:<blind index>`."""
    key = exact_key(q)
    return f"{key[0]}:{key[1]}" if key else (q or "").strip()


def search_persons(qs: QuerySet, q: str, *, actor=None, where: str = "people") -> QuerySet:
    """Name (contains), pinyin (full or initials, prefix), or an exact phone / ID number.

    A search by phone or ID number is a read of sensitive data: with an `actor` it is audited
    (its blind index, never the number), here where every person search passes."""
    q = (q or "").strip()
    if not q:
        return qs
    key = exact_key(q)
    if key:
        if actor is not None:
            audit.searched(actor, key[0], key[1], where=where)
        return qs.filter(**{f"{key[0]}_bidx": key[1]})
    if is_pinyin_query(q):
        key = q.replace(" ", "").lower()
        return qs.filter(Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key))
    return qs.filter(name__contains=q)


def get_person_for(user, pk, *, write: bool = False) -> Person:
    return get_for(persons_visible_to(user).select_related("unit", "merged_into"), user, pk,
                   perm="people.edit" if write else "people.view")


def possible_duplicates(user, person: Person) -> list[Person]:
    """Other active persons in reach with the same ID number or phone."""
    keys = Q()
    if person.id_number_bidx:
        keys |= Q(id_number_bidx=person.id_number_bidx)
    if person.phone_bidx:
        keys |= Q(phone_bidx=person.phone_bidx)
    if not keys:
        return []
    return list(scoped(persons_visible_to(user).filter(keys, is_active=True).exclude(pk=person.pk)
                       .select_related("unit"), user))


def duplicate_groups(user, *, unit=None, limit: int = 100) -> list[dict]:
    """Groups of active persons in reach sharing an ID number or a phone."""
    base = persons_for(user, unit=unit)
    groups = []
    for field, label in (("id_number_bidx", _("身份证号相同")), ("phone_bidx", _("电话相同"))):
        keys = (base.exclude(**{field: ""}).values(field).annotate(n=Count("id")).filter(n__gt=1)
                .order_by("-n").values_list(field, flat=True)[:limit])
        keys = list(keys)
        members = base.filter(**{f"{field}__in": keys}).order_by("id")
        by_key: dict[str, list] = {}
        for p in members:
            by_key.setdefault(getattr(p, field), []).append(p)
        groups += [{"reason": label, "persons": ps} for ps in by_key.values()]
    return groups[:limit]


def posts_for(user, *, unit=None, body: str = "", active: bool | None = True, person=None) -> QuerySet:
    qs = scoped(Post.objects.select_related("person", "unit"), user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if body:
        qs = qs.filter(body=body)
    if active is not None:
        qs = qs.filter(is_active=active)
    if person is not None:
        qs = qs.filter(person=person)
    return qs


def get_post_for(user, pk, *, write: bool = False) -> Post:
    return get_for(Post.objects.select_related("person", "unit"), user, pk, perm="people.edit" if write else "people.view")


def body_counts(unit) -> dict[str, BodyCounts]:
    """Distinct active members per body of one federation, in one grouped query."""
    rows = (
        Post.objects.filter(unit=unit, is_active=True, person__is_active=True)
        .values("body")
        .annotate(
            members=Count("person", distinct=True),
            grassroots=Count("person", distinct=True, filter=Q(person__grassroots_frontline=True)),
            full_time=Count("person", distinct=True, filter=Q(tenure=Post.Tenure.FULL_TIME)),
            seconded=Count("person", distinct=True, filter=Q(tenure=Post.Tenure.SECONDED)),
            part_time=Count("person", distinct=True, filter=Q(tenure=Post.Tenure.PART_TIME)),
        )
    )
    return {r.pop("body"): BodyCounts(**r) for r in rows}


def composition_report(unit) -> dict:
    """The federation's composition against the rules, and its staffing against the quota."""
    counts = body_counts(unit)
    policy = policies.resolve("composition", unit)
    staff = counts.get("organ_staff", BodyCounts())
    volunteers = counts.get("organ_volunteer", BodyCounts())
    staffing = StaffingResult(unit.staffing_quota, staff.full_time, staff.seconded, volunteers.members)
    return {
        "unit": unit,
        "counts": counts,
        "policy": policy,
        "rules": evaluate_composition(counts, policy),
        "staffing": staffing,
    }


# ---------------------------------------------------------------- lists, exports, import jobs

PERSON_EXPORT_HEADERS = ["ID", gettext_lazy("姓名"), gettext_lazy("性别"), gettext_lazy("出生年份"), gettext_lazy("电话"), gettext_lazy("身份证号"), gettext_lazy("地址"), gettext_lazy("工作单位"), gettext_lazy("标签"), gettext_lazy("基层一线"),
                         gettext_lazy("所属组织"), gettext_lazy("组织代码"), gettext_lazy("有效")]
POST_EXPORT_HEADERS = ["ID", gettext_lazy("姓名"), gettext_lazy("组织"), gettext_lazy("组织代码"), gettext_lazy("机构"), gettext_lazy("职务"), gettext_lazy("任职方式"), gettext_lazy("任职开始"), gettext_lazy("任职结束"), gettext_lazy("在任")]
EXPORT_MAX_ROWS = 100_000


def person_export_rows(qs: QuerySet):
    """Rows for Excel: sensitive values only ever masked."""
    for p in qs.select_related("unit").iterator(chunk_size=2000):
        yield [p.pk, p.name, p.get_gender_display(), p.birth_year, p.phone_mask, p.id_number_mask, p.address_mask,
               p.workplace, p.tag_names, p.grassroots_frontline, p.unit.name, p.unit.code, p.is_active]


def post_export_rows(qs: QuerySet):
    for p in qs.select_related("person", "unit").iterator(chunk_size=2000):
        yield [p.pk, p.person.name, p.unit.name, p.unit.code, p.get_body_display(), p.title, p.get_tenure_display(),
               p.start_date, p.end_date, p.is_active]


def units_to_pick(user, *, selected=None, depth: int = 2, limit: int = 400) -> list:
    """Units offered in a picker: the reach's top units and `depth` levels below them (search finds the rest)."""
    reach = reach_of(user)
    if reach.is_empty:
        return []
    top = 1 if reach.unrestricted else min(s.level for s in reach.subtrees)
    units = list(federations_for(user).filter(is_active=True, level__lte=top + depth).order_by("path")[:limit])
    if selected is not None and all(u.pk != selected.pk for u in units):
        units.insert(0, selected)
    return units


def search_units(user, q: str, *, limit: int = 30) -> list:
    return [u for u in search_federations(user, q, limit=limit) if u.is_active]


def get_import_job_for(user, pk):
    """An import job of this user (jobs hold clear personal data until committed: the uploader only)."""
    require(user, "people.import")
    try:
        return ImportJob.objects.get(pk=pk, created_by=user)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def import_jobs_for(user, limit: int = 20) -> list:
    return list(ImportJob.objects.filter(created_by=user).defer("state", "errors")[:limit])
