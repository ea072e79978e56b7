"""A list page costs the same number of queries whatever the number of rows on it."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from niangjia.org import services as org
from niangjia.people import services as people
from niangjia.stats import services as stats

from .helpers import Api, make_user

LISTS = ["/federations", "/federations/tree", "/sites", "/organisations", "/conversions", "/regionalisations",
         "/persons", "/persons/duplicates", "/posts", "/stats/activities", "/users", "/audit"]


def _more_rows(tree, admin, numbers: range) -> None:
    """One more village under 东镇 per number, with a record of every kind."""
    for i in numbers:
        unit = org.federation_create(actor=admin, parent=tree.east_town, name=f"新村{i}", code=f"1101010019{i:02d}")
        org.site_create(actor=admin, unit=unit, kind="micro_home", name=f"微家{i}")
        org.organisation_create(actor=admin, unit=unit, kind="social_org", name=f"组织{i}")
        org.village_conversion_record(actor=admin, village=unit, converted_on=date(2024, 1, 1), executive_members_added=1)
        org.township_regionalisation_record(actor=admin, township=tree.east_town, completed_on=date(2024, 1, 1),
                                            members_before=1, members_after=2)
        p = people.person_create(actor=admin, unit=unit, name=f"李{i}", phone="13700000000")
        people.post_create(actor=admin, person=p, unit=unit, body="executive", title="执委")
        stats.activity_log(actor=admin, unit=unit, day=date(2025, 1, 1), category="visit", title="走访")
        make_user(f"clerk{i}", ["executive"], [unit])


def _count(api, url) -> int:
    # warm: who the caller is comes from the caller cache once it is filled (core.callers), whatever
    # the rows; the first request after a change to the tree fills it
    assert api.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_does_not_grow_with_rows(tree, admin_user, records, east_admin, url):
    # given
    api = Api(east_admin)
    _more_rows(tree, admin_user, range(2))
    few = _count(api, url)
    # when
    _more_rows(tree, admin_user, range(2, 8))
    many = _count(api, url)
    # then
    assert many == few
