"""Subtree dashboards: city grain and above from summaries, county and below from facts."""

from datetime import date

from django.core.cache import cache
from django.db.models import Count, DateField, Sum
from django.db.models.functions import Cast, TruncMonth
from django.utils.translation import gettext as _

from niangjia.core import metrics, prepared, summaries
from niangjia.core.access import reach_of, reach_within, scoped
from niangjia.core.errors import NotFound
from niangjia.core.pagination import Listing
from niangjia.core.scope import LEVEL_NAMES, scope_queryset, subtree_q
from niangjia.org.models import Federation, Site
from niangjia.people.models import Person, Post
from niangjia.reform.queries import get_pilot_for, pilots_for

from .metrics import ACTIVITY
from .models import ActivityLog, SavedPivot


def activity_counts(user, *, unit=None, start: date, end: date) -> list[dict]:
    """Activities and women reached by month and category, for a unit's subtree or the whole reach.

    Returns rows {period, category, n, t} ordered by period then category.
    """
    reach = reach_within(user, unit)
    if summaries.covers(reach):
        rows = metrics.read({ACTIVITY.name: None}, reach=reach, group=("period", "category"), start=start, end=end)[ACTIVITY.name]
        return [{"period": r["period"], "category": r["category"], "n": r["n"], "t": r["t"]} for r in rows]
    # fact rows of the reach (the unit's subtree, fetched inside the user's reach), compiled once per shape
    values = {**prepared.reach_values(reach), "start": start, "end": end}
    rows = prepared.rows("stats.activity_counts", _activity_month_counts, values)
    return [{"period": _as_date(r["period"]), "category": r["category"], "n": r["n"], "t": r["t"] or 0} for r in rows]


def _unit_values(unit) -> dict:
    return {"unit_level": None, "unit_id": None} if unit is None else {"unit_level": (unit.level,), "unit_id": unit.pk}


def _under(qs, unit_level, unit_id):
    return qs if unit_level is None else qs.filter(subtree_q(unit_level[0], unit_id))


def _activity_month_counts(**values):
    reach, v = prepared.reach_from_values(values)
    qs = scope_queryset(ActivityLog.objects.filter(day__gte=v["start"], day__lte=v["end"]), reach)
    # the month as a date in SQL, as the hand-written floor has it: rows load as dates, not parsed timestamps
    return (qs.annotate(period=Cast(TruncMonth("day"), DateField())).values("period", "category")
            .annotate(n=Count("id"), t=Sum("women_reached")).order_by("period", "category"))


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


LIST_FIELDS = ("id", "day", "category", "title", "women_reached", "unit_id", "unit__id", "unit__name",
               "unit__level")


def activities_for(user, *, unit=None, category: str = "", start: date | None = None, end: date | None = None):
    return activities_listing(user, unit=unit, category=category, start=start, end=end).queryset()


def activities_listing(user, *, unit=None, category: str = "", start: date | None = None,
                       end: date | None = None) -> Listing:
    """The user's activities (under `unit`, fetched inside her reach), as a list whose page compiles once
    per shape (core.pagination.Listing)."""
    return Listing("stats.activities", _activities, reach_of(user),
                   {**_unit_values(unit), "category": category or "", "start": start, "end": end})


def _activities(reach, *, unit_level, unit_id, category, start, end):
    # Only what lists, exports and the API show: a list page stays close to hand-written SQL.
    qs = scope_queryset(ActivityLog.objects.select_related("unit").only(*LIST_FIELDS), reach)
    qs = _under(qs, unit_level, unit_id)
    if category:
        qs = qs.filter(category=category)
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    return qs


def reach_counts(user) -> dict:
    """Counts for a home page: units by level, sites by kind, persons and posts in the user's reach.

    Cached for a few minutes per reach, so a national home page does not count millions of rows
    on every visit.
    """
    reach = reach_of(user)
    key = "reach_counts:" + ("all" if reach.unrestricted else ",".join(
        f"{s.level}.{s.unit_id}" for s in sorted(reach.subtrees, key=lambda s: (s.level, s.unit_id))))
    return cache.get_or_set(key, lambda: _reach_counts(user), 300)


def _reach_counts(user) -> dict:
    levels = dict(scoped(Federation.objects.filter(is_active=True), user).values_list("level")
                  .annotate(n=Count("id")).order_by())
    kinds = dict(scoped(Site.objects.filter(is_active=True), user).values_list("kind").annotate(n=Count("id"))
                 .order_by())
    return {
        "units": [(LEVEL_NAMES[lv], levels[lv]) for lv in sorted(levels)],
        "sites": [(label, kinds.get(kind, 0)) for kind, label in Site.Kind.choices],
        "persons": scoped(Person.visible.filter(is_active=True), user).count(),
        "posts": scoped(Post.objects.filter(is_active=True), user).count(),
    }


def pilot_of(user, raw):
    """The pilot named by `?pilot=` inside the caller's reach (404 otherwise), or None."""
    if not raw:
        return None
    return get_pilot_for(user, raw)


def pilots_of(user) -> list:
    return list(pilots_for(user))
def pivot_views_for(user) -> list:
    """The user's own saved pivot views, by name."""
    return list(SavedPivot.objects.filter(owner=user).order_by("name", "id"))
def get_pivot_view_for(user, pk) -> SavedPivot:
    """One of the user's own saved views; anyone else's answers 404, as a view that does not exist."""
    view = SavedPivot.objects.filter(pk=pk, owner=user).first() if str(pk).isdigit() else None
    if view is None:
        raise NotFound(_("没有这个透视表"))
    return view
