"""A web list page's query count must not grow with its rows (no per-row queries)."""

from datetime import date

import pytest

from niangjia.org import services as org
from niangjia.people import services as people
from niangjia.stats import services as stats
from tests.checks import assert_queries_do_not_grow
from tests.conftest import make_user


def add_rows(tree, actor, start: int, n: int) -> None:
    units = [tree.east_village, tree.east_village2, tree.east_town]
    for i in range(start, start + n):
        unit = units[i % 3]
        p = people.person_create(actor=actor, unit=unit, name=f"测试{i}", phone=f"1380013{i:04d}")
        people.post_create(actor=actor, person=p, unit=unit, body="executive", title="执委")
        org.site_create(actor=actor, unit=unit, kind="womens_home", name=f"妇女之家{i}")
        org.organisation_create(actor=actor, unit=unit, kind="social_org", name=f"社会组织{i}")
        make_user(f"clerk{i}", ["executive"], [unit])
        stats.activity_log(actor=actor, unit=unit, day=date(2026, 3, 1 + i % 27), category="visit",
                           title=f"走访{i}", women_reached=i)


@pytest.mark.parametrize("path", [
    "/people/", "/org/sites/", "/org/organisations/", "/stats/activities/?start=2026-01-01&end=2026-12-31",
    "/audit/", "/users/",
])
def test_list_queries_do_not_grow_with_rows(client, tree, personas, admin_user, path):
    client.force_login(admin_user)
    assert_queries_do_not_grow(client.get, path, lambda numbers: add_rows(tree, personas.east, numbers.start,
                                                                           len(numbers)), few=3, more=12)
