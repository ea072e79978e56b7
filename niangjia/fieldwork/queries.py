"""Reads of field rules, stays and evidence, and the standings computed from them; always scoped.

Her own records are visible to a user with fieldwork.record; everyone's in her reach with
fieldwork.view. Standings are computed from fact rows (per person, per year); the subtree
field-days chart reads the summary table at city grain and above.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from niangjia.core import metrics as core_metrics
from niangjia.core import periods, summaries
from niangjia.core.access import get_for, reach_of, reach_within, scoped
from niangjia.core.errors import NotFound
from niangjia.core.pagination import keyset_page
from niangjia.core.roles import has_perm
from niangjia.core.scope import in_subtree, reach_q, under_q
from niangjia.org.models import Federation
from niangjia.people.models import Person, Post

from . import metrics, rules
from .models import Diary, FieldRule, FieldStay, Proposal, ResearchReport, RuleAdoption


def _visible(qs: QuerySet, user) -> QuerySet:
    qs = scoped(qs, user)
    if has_perm(user, "fieldwork.view"):
        return qs
    if has_perm(user, "fieldwork.record") and getattr(user, "person_id", None):
        return qs.filter(person_id=user.person_id)
    return qs.none()


def _in_unit(qs: QuerySet, unit) -> QuerySet:
    return in_subtree(qs, unit)


def _filtered(qs, *, unit=None, person=None, start=None, end=None, date_field="date", person_q: str = ""):
    qs = _in_unit(qs, unit)
    if person is not None:
        qs = qs.filter(person=person)
    if person_q:
        qs = qs.filter(person__name__contains=person_q.strip())
    if start:
        qs = qs.filter(**{f"{date_field}__gte": start})
    if end:
        qs = qs.filter(**{f"{date_field}__lte": end})
    return qs


def stays_for(user, *, unit=None, person=None, start=None, end=None, kind: str = "", status: str = "",
              person_q: str = "") -> QuerySet:
    """Stays touching [start, end] (a stay counts when any of its days falls inside)."""
    qs = _visible(FieldStay.objects.select_related("person", "place", "paired_with", "created_by"), user)
    qs = _filtered(qs, unit=unit, person=person, date_field="start", start=None, end=end, person_q=person_q)
    if start:
        qs = qs.filter(end__gte=start)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def get_stay_for(user, pk) -> FieldStay:
    return get_for(_visible(FieldStay.objects.select_related("person", "person__unit", "place"), user), user, pk)


def diaries_for(user, *, unit=None, person=None, start=None, end=None, person_q: str = "") -> QuerySet:
    return _filtered(_visible(Diary.objects.select_related("person", "place"), user), unit=unit, person=person,
                     start=start, end=end, person_q=person_q)


def get_diary_for(user, pk) -> Diary:
    return get_for(_visible(Diary.objects.select_related("person", "place"), user), user, pk)


def reports_for(user, *, unit=None, person=None, start=None, end=None, person_q: str = "") -> QuerySet:
    return _filtered(_visible(ResearchReport.objects.select_related("person"), user), unit=unit, person=person,
                     start=start, end=end, person_q=person_q)


def get_report_for(user, pk) -> ResearchReport:
    return get_for(_visible(ResearchReport.objects.select_related("person"), user), user, pk)


def proposals_for(user, *, unit=None, person=None, start=None, end=None, status: str = "",
                  person_q: str = "") -> QuerySet:
    qs = _filtered(_visible(Proposal.objects.select_related("person"), user), unit=unit, person=person,
                   start=start, end=end, person_q=person_q)
    return qs.filter(status=status) if status else qs


def get_proposal_for(user, pk) -> Proposal:
    return get_for(_visible(Proposal.objects.select_related("person", "person__unit"), user), user, pk)


def my_person(user) -> Person | None:
    return Person.visible.select_related("unit").filter(pk=user.person_id).first() if user.person_id else None


# ---------------------------------------------------------------- rules and adoptions

def adoptions_for(user, *, unit=None, active: bool | None = True) -> QuerySet:
    """Adoptions inside the reach and those above it that reach down into it (they apply here too)."""
    reach = reach_of(user)
    qs = RuleAdoption.objects.select_related("rule", "unit")
    if not reach.unrestricted:
        roots = Federation.objects.filter(pk__in=[s.unit_id for s in reach.subtrees])
        above = {i for r in roots for i in r.ancestor_ids}
        qs = qs.filter(reach_q(reach) | Q(unit_id__in=above))
    if unit is not None:
        qs = qs.filter(under_q(unit) | Q(unit_id__in=unit.ancestor_ids))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def get_adoption_for(user, pk) -> RuleAdoption:
    return get_for(RuleAdoption.objects.select_related("rule", "unit"), user, pk, perm="fieldwork.manage")


def rules_for(user) -> QuerySet:
    ids = adoptions_for(user, active=None).values("rule_id")
    return FieldRule.objects.filter(Q(pk__in=ids) | reach_q(reach_of(user))).select_related("unit")


def get_rule_for(user, pk) -> FieldRule:
    try:
        return rules_for(user).get(pk=pk)
    except (FieldRule.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def spec_of(rule: FieldRule) -> rules.RuleSpec:
    return rules.RuleSpec(rule.name, rule.kind, rule.params, rule.flags)


# ---------------------------------------------------------------- standings

def _applicable(posts: list[Post], adoptions: list[RuleAdoption]) -> dict[int, dict[int, FieldRule]]:
    """person id -> {rule id: rule} of the adoptions covering one of her posts (adoption above or at the post)."""
    out: dict[int, dict[int, FieldRule]] = defaultdict(dict)
    for post in posts:
        above = set(post.unit.ancestor_ids)
        for a in adoptions:
            if a.unit_id in above and rules.adoption_matches(
                    body=a.body, title_contains=a.title_contains, levels=a.levels, post_body=post.body,
                    post_title=post.title, post_level=post.unit.level):
                out[post.person_id][a.rule_id] = a.rule
    return out


def evidence_of(person_ids: list[int], year: int) -> dict[int, rules.Evidence]:
    """Stays, diary dates and report dates of these persons touching the year: three queries."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    ev: dict[int, rules.Evidence] = defaultdict(rules.Evidence)
    stays = (FieldStay.objects.filter(person_id__in=person_ids, start__lte=end, end__gte=start)
             .exclude(status=FieldStay.Status.CANCELLED)
             .values_list("person_id", "start", "end", "kind", "setting", "place_level", "paired_with_id", "status"))
    for pid, a, b, kind, setting, level, paired, status in stays:
        ev[pid].stays.append(rules.Stay(a, b, kind, setting, level, paired is not None, status))
    for pid, d in Diary.objects.filter(person_id__in=person_ids, date__range=(start, end)).values_list("person_id", "date"):
        ev[pid].diaries.append(d)
    for pid, d in ResearchReport.objects.filter(person_id__in=person_ids, date__range=(start, end)).values_list(
            "person_id", "date"):
        ev[pid].reports.append(d)
    return ev


def standing_of(person: Person, *, year: int, today: date | None = None) -> list[rules.Standing]:
    """Her standing against every rule that applies to her through her active posts."""
    today = today or periods.today()
    posts = list(Post.objects.filter(person=person, is_active=True).select_related("unit"))
    ids = {i for p in posts for i in p.unit.ancestor_ids}
    adoptions = list(RuleAdoption.objects.filter(unit_id__in=ids, is_active=True).select_related("rule"))
    rules_by_id = _applicable(posts, adoptions).get(person.pk, {})
    ev = evidence_of([person.pk], year).get(person.pk, rules.Evidence())
    return [rules.evaluate(spec_of(r), ev, year, today) for _, r in sorted(rules_by_id.items())]


def my_standing(user, *, year: int, today: date | None = None) -> list[rules.Standing]:
    person = my_person(user)
    return standing_of(person, year=year, today=today) if person else []


EXPORT_MAX_PERSONS = 5000


STANDING_SORTS = {
    "name": (_("姓名（拼音）"), ("name_pinyin", "id")),
    "unit": (_("所在组织"), ("unit_id", "name_pinyin", "id")),
    "status": (_("未完成在前（本页内）"), ("name_pinyin", "id")),
}
STATUS_ORDER = {rules.BROKEN: 0, rules.IN_PROGRESS: 1, rules.UPCOMING: 2, rules.MET: 3}


def unit_standings(user, unit: Federation, *, year: int, today: date | None = None, rule_id: int | None = None,
                   status: str = "", cursor: str | None = None, limit: int = 50, all_pages: bool = False,
                   sort: str = "name"):
    """Standings of the people holding posts in `unit`'s subtree: one page of persons (keyset on id).

    Returns (rows, next_cursor); each row {person, unit, rule, standing}. The status filter
    applies within the page, so a filtered page may hold fewer rows than `limit`. With
    `all_pages` (the Excel export) it walks the pages up to EXPORT_MAX_PERSONS persons.
    """
    if all_pages:
        rows, seen = [], 0
        while True:
            page_rows, cursor = _standings_page(user, unit, year, today, rule_id, status, cursor, 200, sort)
            rows += page_rows
            seen += 200
            if not cursor or seen >= EXPORT_MAX_PERSONS:
                return rows, None
    return _standings_page(user, unit, year, today, rule_id, status, cursor, limit, sort)


def _standings_page(user, unit, year, today, rule_id, status, cursor, limit, sort="name"):
    today = today or periods.today()
    adoptions = list(adoptions_for(user, unit=unit))
    if rule_id:
        adoptions = [a for a in adoptions if a.rule_id == rule_id]
    if not adoptions:
        return [], None
    posts_qs = Post.objects.filter(under_q(unit), is_active=True,
                                   body__in={a.body for a in adoptions})
    persons = Person.visible.filter(pk__in=posts_qs.values("person_id"), is_active=True).select_related("unit")
    order = STANDING_SORTS.get(sort, STANDING_SORTS["name"])[1]
    page = keyset_page(persons, order=order, cursor=cursor, limit=limit)
    ids = [p.pk for p in page.items]
    posts = list(posts_qs.filter(person_id__in=ids).select_related("unit"))
    applicable = _applicable(posts, adoptions)
    evidence = evidence_of(ids, year)
    rows = []
    for person in page.items:
        for _key, rule in sorted(applicable.get(person.pk, {}).items()):
            st = rules.evaluate(spec_of(rule), evidence.get(person.pk, rules.Evidence()), year, today)
            if not status or st.status == status:
                rows.append({"person": person, "unit": person.unit, "rule": rule, "standing": st})
    if sort == "status":  # broken first, within the page (standings are computed per page)
        rows.sort(key=lambda r: STATUS_ORDER.get(r["standing"].status, 9))
    return rows, page.next_cursor


def field_days_by_month(user, unit: Federation | None, start: date, end: date) -> list[dict]:
    """Done field days and stays by month for a subtree (whole months): summaries at city grain and
    above, else facts (core.metrics chooses)."""
    rows = metrics.FIELD_DAYS.counts(user, unit=unit, start=start, end=end, group=("period",),
                                     where=metrics.FIELD_DAYS.headline())
    return [{"period": r["period"], "n": r["n"], "t": r["t"]} for r in rows]


WORK_METRICS = ("field_days", "diary", "research_report", "proposal")


def work_counts(user, unit: Federation | None, year: int) -> dict[str, dict]:
    """{metric: {"n": records, "t": days or women met}} of a subtree's year: done stays, diaries,
    research reports, proposals. City grain and above: one GROUP BY over the summary rows the
    services bump; county and below: the fact rows (four indexed counts)."""
    reach = reach_within(user, unit)
    start, end = date(year, 1, 1), date(year, 12, 31)
    out = {m: {"n": 0, "t": 0} for m in WORK_METRICS}
    if summaries.covers(reach):
        # what the figures pages count (each metric's headline: field stays only when done)
        wanted = {m: core_metrics.get(m).headline() or None for m in WORK_METRICS}
        for m, rows in core_metrics.read(wanted, reach=reach, start=start, end=end).items():
            out[m] = {"n": rows[0]["n"], "t": rows[0]["t"]}
        return out
    stays = _in_unit(scoped(FieldStay.objects.filter(status="done", start__gte=start, start__lte=end), user), unit)
    out["field_days"] = _nt(stays.aggregate(n=Count("id"), t=Sum("days")))
    out["diary"] = _nt(diaries_for(user, unit=unit).filter(date__gte=start, date__lte=end)
                       .aggregate(n=Count("id"), t=Sum("women_met")))
    out["research_report"] = _nt(reports_for(user, unit=unit).filter(date__gte=start, date__lte=end)
                                 .aggregate(n=Count("id")))
    out["proposal"] = _nt(proposals_for(user, unit=unit).filter(date__gte=start, date__lte=end)
                          .aggregate(n=Count("id")))
    return out


def _nt(agg: dict) -> dict:
    return {"n": agg.get("n") or 0, "t": agg.get("t") or 0}


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
