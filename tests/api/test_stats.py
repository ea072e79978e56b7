"""Activity statistics: the subtree summary by month and category, the list, and logging an activity."""

from niangjia.stats.models import ActivityLog

from .helpers import Api, error_of, ids_of, snapshot

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def test_summary_for_the_callers_reach(personas, records):
    body = Api(personas.east).get("/stats/activities/summary", **YEAR).json()
    assert body["rows"] == [{"period": "2025-03-01", "category": "training", "category_name": "培训",
                             "activities": 3, "women_reached": 60}]
    assert (body["total_activities"], body["total_women_reached"]) == (3, 60)


def test_summary_for_a_province_comes_from_the_summary_table(personas, records):
    body = Api(personas.province).get("/stats/activities/summary", **YEAR).json()
    assert (body["total_activities"], body["total_women_reached"]) == (4, 100)


def test_summary_for_one_unit_subtree(tree, personas, records):
    body = Api(personas.province).get("/stats/activities/summary", unit=tree.east_town.id, **YEAR).json()
    assert body["unit"]["id"] == tree.east_town.id
    assert (body["total_activities"], body["total_women_reached"]) == (2, 50)


def test_summary_needs_a_period(personas):
    r = Api(personas.east).get("/stats/activities/summary", end="2025-12-31")
    assert r.status_code == 400
    assert "start" in error_of(r)["fields"]


def test_summary_refuses_an_end_before_the_start(personas):
    r = Api(personas.east).get("/stats/activities/summary", start="2025-12-31", end="2025-01-01")
    assert r.status_code == 400
    assert "end" in error_of(r)["fields"]


def test_summary_without_stats_view_is_403(tree, admin_user):
    from .helpers import make_user

    reviewer = make_user("reviewer", ["reviewer"], [tree.east])
    assert Api(reviewer).get("/stats/activities/summary", **YEAR).status_code == 403


def test_list_filters_and_pages(tree, personas, records):
    api = Api(personas.east)
    assert ids_of(api.get("/stats/activities", unit=tree.east_town.id).json()) == {
        records.activity["town"].id, records.activity["village"].id}
    assert ids_of(api.get("/stats/activities", start="2025-03-02").json()) == {
        records.activity["town"].id, records.activity["village"].id}
    assert ids_of(api.get("/stats/activities", category="visit").json()) == set()
    first = api.get("/stats/activities", limit=2).json()
    assert [a["day"] for a in first["items"]] == ["2025-03-03", "2025-03-02"]
    assert ids_of(api.get("/stats/activities", limit=2, cursor=first["next_cursor"]).json()) == {
        records.activity["east"].id}


def test_log_an_activity_updates_the_summary(tree, personas, records):
    api = Api(personas.east)
    r = api.post("/stats/activities", {"unit": tree.east_village.id, "day": "2025-04-08", "category": "visit",
                                       "title": "入户走访", "women_reached": 7})
    assert r.status_code == 201, r.content
    assert ActivityLog.objects.get(pk=r.json()["id"]).l4 == tree.east.id
    body = Api(personas.province).get("/stats/activities/summary", **YEAR).json()
    assert (body["total_activities"], body["total_women_reached"]) == (5, 107)


def test_log_with_a_bad_category_names_the_field(tree, personas):
    before = snapshot()
    r = Api(personas.east).post("/stats/activities", {"unit": tree.east.id, "day": "2025-04-08",
                                                      "category": "party", "title": "x"})
    assert r.status_code == 400
    assert "category" in error_of(r)["fields"]
    assert snapshot() == before


def test_log_with_a_blank_title_names_the_field(tree, personas):
    r = Api(personas.east).post("/stats/activities", {"unit": tree.east.id, "day": "2025-04-08",
                                                      "category": "visit", "title": ""})
    assert r.status_code == 400
    assert "title" in error_of(r)["fields"]


def test_executive_may_not_log(tree, personas):
    before = snapshot()
    r = Api(personas.village).post("/stats/activities", {"unit": tree.east_village.id, "day": "2025-04-08",
                                                         "category": "visit", "title": "x"})
    assert r.status_code == 403
    assert snapshot() == before
