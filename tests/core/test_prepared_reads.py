"""A warm list page or dashboard neither looks the reach up again nor compiles its SQL again (issue 16,
reads near the floor), and the statement compiled for one user answers another only with her own rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from niangjia.accounts.models import User
from niangjia.core import prepared
from niangjia.core.pagination import keyset_page
from niangjia.core.periods import month_start
from niangjia.stats import services
from niangjia.stats.models import ActivityLog
from niangjia.stats.queries import activities_for, activities_listing, activity_counts

WINDOW = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


@pytest.fixture
def logged(tree, admin_user):
    """Activities in two villages of two counties (east, west) and one on the east county itself."""
    for unit, day, category, women in [(tree.east_village, date(2025, 3, 2), "visit", 10),
                                       (tree.east_village, date(2025, 3, 9), "visit", 5),
                                       (tree.east, date(2025, 4, 1), "training", 7),
                                       (tree.west_village, date(2025, 5, 5), "visit", 3)]:
        services.activity_log(actor=admin_user, unit=unit, day=day, category=category, title="走访", women_reached=women)


def _fresh(user):
    """The user as the next request loads her: nothing remembered on the instance."""
    return User.objects.get(pk=user.pk)


def _page(user, **filters):
    return keyset_page(activities_listing(user, **filters), order=("-day", "-id"), cursor=None, limit=50)


def _warm_second_call(fn, user, monkeypatch):
    """(queries, compiles, reach lookups) of `fn(user)` for the same user in a second request."""
    fn(_fresh(user))
    looked_up = []
    original = User._reach_from_db
    monkeypatch.setattr(User, "_reach_from_db", lambda self: looked_up.append(self.pk) or original(self))
    compiles, again = prepared.Stats.compiles, _fresh(user)
    with CaptureQueriesContext(connection) as ctx:
        fn(again)
    return len(ctx.captured_queries), prepared.Stats.compiles - compiles, len(looked_up)


@pytest.mark.parametrize("question", ["list", "facts dashboard", "summary dashboard"])
def test_a_warm_second_call_runs_one_statement_and_compiles_nothing(personas, logged, monkeypatch, question):
    # given a county user (facts) and a province user (summary rows) who asked once already
    prepared.forget()
    user, fn = {
        "list": (personas.east, lambda u: _page(u, category="visit")),
        "facts dashboard": (personas.east, lambda u: activity_counts(u, **WINDOW)),
        "summary dashboard": (personas.province, lambda u: activity_counts(u, **WINDOW)),
    }[question]
    # when she asks again in a new request
    queries, compiles, lookups = _warm_second_call(fn, user, monkeypatch)
    # then only the question's own statement reaches the database: no reach query, no new compile
    assert (queries, compiles, lookups) == (1, 0, 0)


def test_the_statement_compiled_for_one_county_answers_the_other_with_her_own_rows(personas, logged):
    # given the east county's list compiled and cached
    prepared.forget()
    east = _page(_fresh(personas.east), category="visit")
    compiles = prepared.Stats.compiles
    # when the west county's user (the same shape: one county subtree) asks
    west = _page(_fresh(personas.west), category="visit")
    # then no new compile, and each saw exactly what the ORM gives her
    assert prepared.Stats.compiles == compiles
    assert [a.id for a in west.items] == list(
        activities_for(personas.west, category="visit").order_by("-day", "-id").values_list("id", flat=True))
    assert {a.unit.name for a in west.items} == {"西村妇联"}
    assert {a.unit.name for a in east.items} == {"东村妇联"}
    assert [(a.women_reached, a.get_category_display()) for a in east.items] == [(5, "走访"), (10, "走访")]
    # a column the list did not select still loads on demand, as on any deferred instance
    assert (west.items[0].created_at is not None, west.items[0].unit.code) == (True, "110102001001")


def test_the_dashboard_compiled_for_one_county_answers_the_other_with_her_own_counts(personas, logged):
    prepared.forget()
    east = activity_counts(_fresh(personas.east), **WINDOW)
    west = activity_counts(_fresh(personas.west), **WINDOW)
    assert [(r["period"], r["category"], r["n"], r["t"]) for r in east] == [
        (date(2025, 3, 1), "visit", 2, 15), (date(2025, 4, 1), "training", 1, 7)]
    assert [(r["period"], r["category"], r["n"], r["t"]) for r in west] == [(date(2025, 5, 1), "visit", 1, 3)]


def test_the_next_page_through_a_cached_shape_continues_where_the_first_ended(personas, logged):
    prepared.forget()
    user = _fresh(personas.province)
    first = keyset_page(activities_listing(user), order=("-day", "-id"), cursor=None, limit=2)
    rest = keyset_page(activities_listing(user), order=("-day", "-id"), cursor=first.next_cursor, limit=2)
    again = keyset_page(activities_listing(_fresh(user)), order=("-day", "-id"), cursor=first.next_cursor, limit=2)
    everything = list(activities_for(user).order_by("-day", "-id").values_list("id", flat=True))
    assert [a.id for a in first.items + rest.items] == everything
    assert [a.id for a in again.items] == [a.id for a in rest.items]


def test_a_shape_that_transforms_its_value_is_never_cached(logged):
    # given a query that moves its start to the first of the month (the stand-in check must refuse it)
    prepared.forget()

    def build(*, start):
        return ActivityLog.objects.filter(day__gte=month_start(start)).order_by("day").values_list("day", flat=True)

    # when it is asked with the first of a month, then with a later day of the same month
    first = prepared.rows("test.transforms", build, {"start": date(2025, 3, 1)})
    later = prepared.rows("test.transforms", build, {"start": date(2025, 3, 20)})
    # then both answers are the ORM's own: the March rows are not lost to the 20th
    assert first == later == list(build(start=date(2025, 3, 20)))
    assert date(2025, 3, 2) in later


def test_a_changed_scope_reaches_her_next_request_through_the_kept_reach(tree, personas, logged, admin_user):
    # given the east county user whose reach this process keeps after one list page
    from niangjia.accounts.services import user_update_access

    before = _page(_fresh(personas.east), category="visit")
    assert {a.unit.name for a in before.items} == {"东村妇联"}
    # when an administrator moves her to the west county
    user = _fresh(personas.east)
    user_update_access(actor=admin_user, user=user, version=user.version, units=[tree.west])
    # then her next request lists the west county's activities, not the kept east ones
    after = _page(_fresh(personas.east), category="visit")
    assert {a.unit.name for a in after.items} == {"西村妇联"}
