"""A list page costs the same number of queries whatever the number of rows on it."""

from datetime import date

import pytest

from niangjia.org import services as org
from niangjia.people import services as people
from niangjia.stats import services as stats
from tests.checks import assert_queries_do_not_grow

from .helpers import Api, make_user

LISTS = ["/federations", "/federations/tree?parent={east_town}", "/sites", "/organisations", "/conversions", "/regionalisations",
         "/persons", "/persons/duplicates", "/posts", "/stats/activities", "/users", "/audit"]


def _more_rows(tree, admin, numbers: range) -> None:
    """One more village under 东镇 per number, with a record of every kind (and a township of 东县 for the
    regionalisation: a township is regionalised once)."""
    for i in numbers:
        unit = org.federation_create(actor=admin, parent=tree.east_town, name=f"新村{i}", code=f"1101010019{i:02d}")
        org.site_create(actor=admin, unit=unit, kind="micro_home", name=f"微家{i}")
        org.organisation_create(actor=admin, unit=unit, kind="social_org", name=f"组织{i}")
        org.village_conversion_record(actor=admin, village=unit, converted_on=date(2024, 1, 1), executive_members_added=1)
        town = org.federation_create(actor=admin, parent=tree.east, name=f"新镇{i}", code=f"110101{50 + i:03d}000")
        org.township_regionalisation_record(actor=admin, township=town, completed_on=date(2024, 1, 1),
                                            members_before=1, members_after=2)
        p = people.person_create(actor=admin, unit=unit, name=f"李{i}", phone="13700000000")
        people.post_create(actor=admin, person=p, unit=unit, body="executive", title="执委")
        stats.activity_log(actor=admin, unit=unit, day=date(2025, 1, 1), category="visit", title="走访")
        make_user(f"clerk{i}", ["executive"], [unit])


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_rows(tree, admin_user, records, east_admin, url):
    api = Api(east_admin)
    assert_queries_do_not_grow(api.get, url.format(east_town=tree.east_town.pk), lambda numbers: _more_rows(tree, admin_user, numbers))
