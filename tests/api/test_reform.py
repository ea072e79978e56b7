"""Grassroots reform: village conversions (会改联) and township regionalisation (区域化)."""

from niangjia.org.models import Federation, TownshipRegionalisation, VillageConversion

from .helpers import Api, error_of, ids_of, snapshot


def test_conversions_list_newest_first_and_by_unit(tree, personas, records):
    api = Api(personas.east)
    body = api.get("/conversions").json()
    assert [c["id"] for c in body["items"]] == [records.conversion["east"].id, records.conversion["village"].id]
    assert ids_of(api.get("/conversions", unit=tree.east_village.id).json()) == {records.conversion["village"].id}
    page = api.get("/conversions", limit=1).json()
    assert ids_of(api.get("/conversions", limit=1, cursor=page["next_cursor"]).json()) == {
        records.conversion["village"].id}


def test_record_a_conversion(tree, personas, admin_user):
    from niangjia.org import services as org

    village = org.federation_create(actor=admin_user, parent=tree.east_town, name="东三村妇代会", code="110101001003",
                                    form="congress")
    r = Api(personas.east).post("/conversions", {"unit": village.id, "converted_on": "2025-01-10",
                                                 "executive_members_added": 6})
    assert r.status_code == 201, r.content
    assert r.json()["executive_members_added"] == 6
    assert Federation.objects.get(pk=village.pk).form == "federation"


def test_conversion_twice_is_refused(tree, personas, records):
    before = snapshot()
    r = Api(personas.east).post("/conversions", {"unit": tree.east_village.id, "converted_on": "2025-01-10",
                                                 "executive_members_added": 2})
    assert r.status_code == 400
    assert "unit" in error_of(r)["fields"]
    assert snapshot() == before


def test_conversion_of_a_township_is_refused(tree, personas):
    r = Api(personas.east).post("/conversions", {"unit": tree.east_town.id, "converted_on": "2025-01-10",
                                                 "executive_members_added": 2})
    assert r.status_code == 400
    assert "unit" in error_of(r)["fields"]
    assert not VillageConversion.objects.exists()


def test_conversion_without_a_date_names_the_field(tree, personas):
    r = Api(personas.east).post("/conversions", {"unit": tree.east_village.id, "executive_members_added": 2})
    assert r.status_code == 400
    assert "converted_on" in error_of(r)["fields"]


def test_executive_may_not_record_a_conversion(tree, personas):
    r = Api(personas.village).post("/conversions", {"unit": tree.east_village.id, "converted_on": "2025-01-10",
                                                    "executive_members_added": 2})
    assert r.status_code == 403
    assert not VillageConversion.objects.exists()


def test_regionalisations_list(personas, records):
    body = Api(personas.east).get("/regionalisations").json()
    assert [(x["id"], x["executive_members_added"]) for x in body["items"]] == [(records.regionalisation["town"].id, 4)]


def test_record_a_regionalisation(tree, personas):
    r = Api(personas.east).post("/regionalisations", {"unit": tree.east_town.id, "completed_on": "2025-02-01",
                                                      "members_before": 7, "members_after": 21})
    assert r.status_code == 201, r.content
    assert r.json()["executive_members_added"] == 14


def test_regionalisation_that_shrinks_is_refused_naming_the_field(tree, personas):
    r = Api(personas.east).post("/regionalisations", {"unit": tree.east_town.id, "completed_on": "2025-02-01",
                                                      "members_before": 7, "members_after": 5})
    assert r.status_code == 400
    assert "members_after" in error_of(r)["fields"]
    assert not TownshipRegionalisation.objects.exists()


def test_a_township_regionalised_again_is_amended_and_counts_once(tree, personas, records):
    from datetime import date

    from niangjia.stats import figures

    span = {"start": date(2024, 1, 1), "end": date(2025, 12, 31)}
    r = Api(personas.east).post("/regionalisations", {"unit": tree.east_town.id, "completed_on": "2025-02-01",
                                                      "members_before": 5, "members_after": 15})
    assert r.status_code == 201, r.content
    assert r.json()["id"] == records.regionalisation["town"].id  # the same record, amended
    assert TownshipRegionalisation.objects.filter(unit=tree.east_town).count() == 1
    # counted once, with the amended members, whether read from summaries (province) or facts (county)
    assert figures.totals(personas.province, unit=None, metrics=["township_regionalisation"], **span) == {
        "township_regionalisation": {"n": 2, "t": 14}}
    assert figures.totals(personas.east, unit=None, metrics=["township_regionalisation"], **span) == {
        "township_regionalisation": {"n": 1, "t": 10}}
