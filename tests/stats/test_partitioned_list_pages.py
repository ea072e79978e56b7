"""The activity list over a long history: a page asks the last year first (so PostgreSQL plans and reads only
that year's partitions) and is still exactly the page the whole history would give."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from niangjia.core import periods
from niangjia.stats import services
from tests.api.helpers import Api


def _log(actor, unit, days_ago: list[int]) -> None:
    today = periods.today()
    for n, ago in enumerate(days_ago):
        services.activity_log(actor=actor, unit=unit, day=today - timedelta(days=ago), category="visit",
                              title=f"走访{ago}-{n}")


def _all_pages(user, limit: int) -> tuple[list[str], list[list[str]]]:
    """Every page of the list (titles), following the cursors, with the SQL each page sent."""
    api, titles, sqls, cursor = Api(user), [], [], None
    while True:
        with CaptureQueriesContext(connection) as ctx:
            body = api.get("/stats/activities", limit=limit, cursor=cursor).json()
        titles += [row["title"] for row in body["items"]]
        sqls.append([q["sql"] for q in ctx.captured_queries if "stats_activitylog" in q["sql"]])
        cursor = body.get("next_cursor")
        if not cursor:
            return titles, sqls


def test_a_full_first_page_comes_from_the_last_year_alone(tree, personas):
    # given six activities this year and three from years ago, read by a province user
    _log(personas.east, tree.east_village, [1, 2, 3, 4, 5, 6, 800, 1500, 2900])
    # when the list is read three at a time
    titles, sqls = _all_pages(personas.province, 3)
    # then the pages are the whole history newest first, none lost or repeated across the year's edge
    assert [t.split("-")[0] for t in titles] == [f"走访{d}" for d in (1, 2, 3, 4, 5, 6, 800, 1500, 2900)]
    # and the first page was one query bounded to the last year (what lets PostgreSQL skip older partitions)
    first = sqls[0]
    assert len(first) == 1 and '"day" >=' in first[0]


def test_a_sparse_list_still_shows_older_rows_on_its_first_page(tree, personas):
    # given one activity this year and two older ones, read by a province user
    _log(personas.east, tree.east_village, [10, 700, 4000])
    # when the first page of 50 is read
    titles, sqls = _all_pages(personas.province, 50)
    # then it holds all three, newest first: the last year did not fill the page, so the whole range was asked
    assert [t.split("-")[0] for t in titles] == ["走访10", "走访700", "走访4000"]
    assert len(sqls) == 1 and len(sqls[0]) == 2 and '"day" >=' not in sqls[0][1]


def test_a_county_reads_its_list_in_one_statement(tree, personas):
    # given one activity this year and one older, in a county's village
    _log(personas.east, tree.east_village, [10, 700])
    # when the county user reads the first page
    titles, sqls = _all_pages(personas.east, 50)
    # then both rows came in one statement over the whole range (her year may not fill a page)
    assert [t.split("-")[0] for t in titles] == ["走访10", "走访700"]
    assert len(sqls[0]) == 1 and '"day" >=' not in sqls[0][0]
