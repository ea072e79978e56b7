"""覆盖与达标: standing figures of the units below side by side, zeros included, one source for every page.

Tree (tests/conftest): 甲省 (hotline) > 甲一市 > 东县 (quota 8) and 西县 > 东镇/西镇 > 东村, 东二村, 西村.
Records (tests/api/helpers.build_records): a women's home in 东县, 东镇, 东村 and 西县; conversions of 东村 (+4),
东二村 (+3), 西村 (+5); regionalisations of 东镇 and 西镇; one executive post in 东县, 东镇, 东村 and 西县.
"""

from datetime import date

import pytest
from api.helpers import Api, build_records

from niangjia.org import services as org
from niangjia.people import services as people
from niangjia.stats import coverage

SPAN = {"start": date(2024, 1, 1), "end": date(2026, 12, 31)}


@pytest.fixture
def records(tree, admin_user):
    return build_records(tree, admin_user)


def _rows(board):
    return {r["name"]: r for r in board["rows"]}


def test_every_county_is_a_row_with_its_village_share_and_completion(personas, records, tree, admin_user):
    org.federation_create(actor=admin_user, parent=tree.west_town, name="西二村妇代会", code="110102001002",
                          form="congress")
    b = coverage.board(personas.province, unit=tree.city, **SPAN)
    rows = _rows(b)
    assert list(rows) == ["东县妇联", "西县妇联"]
    assert (rows["东县妇联"]["converted"], rows["东县妇联"]["villages"], rows["东县妇联"]["completed"]) == (2, 2, True)
    assert (rows["西县妇联"]["converted"], rows["西县妇联"]["villages"], rows["西县妇联"]["conversion_pct"]) == (1, 2, 50.0)
    assert rows["西县妇联"]["completed"] is False and rows["西县妇联"]["conversion_met"] is False
    assert (b["total"]["converted"], b["total"]["villages"], b["total"]["conversion_pct"]) == (3, 4, 75.0)
    assert (b["total"]["regionalised"], b["total"]["townships"]) == (2, 2)


def test_members_added_are_set_beside_the_register_and_differences_listed(personas, records, tree):
    b = coverage.board(personas.province, unit=tree.city, **SPAN)
    # 东村 typed 4 and has 1 executive in the register; 东二村 typed 3 with none; 西村 typed 5 with none
    assert (_rows(b)["东县妇联"]["added"], _rows(b)["东县妇联"]["in_register"]) == (7, 1)
    assert [(m["name"], m["added"], m["in_register"]) for m in b["added_mismatches"]] == [
        ("东村妇联", 4, 1), ("东二村妇联", 3, 0), ("西村妇联", 5, 0)]


def test_the_hotline_rule_lists_county_and_higher_federations_without_one(personas, records, tree, admin_user):
    org.site_create(actor=admin_user, unit=tree.east, kind="hotline", name="东县12338")
    b = coverage.board(personas.province, unit=tree.city, **SPAN)
    assert [u["name"] for u in b["hotline_missing"]] == ["甲一市妇联", "西县妇联"]  # townships are not held to it
    assert (b["total"]["with_hotline"], b["total"]["required"], b["total"]["hotline_pct"]) == (1, 3, 33.3)
    assert _rows(b)["东县妇联"]["sites"]["hotline"] == 1 and _rows(b)["西县妇联"]["sites"]["hotline"] == 0


def test_sites_by_kind_count_zeros_for_every_unit(personas, records, tree):
    b = coverage.board(personas.province, unit=tree.east, **SPAN)
    assert _rows(b)["东镇妇联"]["sites"] == {"contact_point": 0, "intake_point": 0, "rights_post": 0,
                                            "womens_home": 2, "micro_home": 0, "hotline": 0}


def test_composition_compliance_counts_bodies_meeting_the_preset_ratios(personas, records, tree, admin_user):
    # 东县, 东镇, 东村 and 西县 each have one executive, not grassroots: 0% against a 40% floor
    b = coverage.board(personas.province, unit=tree.city, **SPAN)
    assert (b["total"]["compliant"], b["total"]["assessed"]) == (0, 4)
    assert any(f["name"] == "东县妇联" and "执委" in f["rules"][0] for f in b["composition_failing"])
    p = people.person_create(actor=admin_user, unit=tree.west, name="赵基层", grassroots_frontline=True)  # 1 of 2: 50%
    people.post_create(actor=admin_user, person=p, unit=tree.west, body="executive", title="执委")
    b = coverage.board(personas.province, unit=tree.city, **SPAN)
    assert (_rows(b)["西县妇联"]["compliant"], _rows(b)["西县妇联"]["assessed"]) == (1, 1)


def test_staffing_counts_full_time_organ_staff_against_the_quota(personas, records, tree, admin_user):
    for n in range(9):
        p = people.person_create(actor=admin_user, unit=tree.east, name=f"干部{n}")
        people.post_create(actor=admin_user, person=p, unit=tree.east, body="organ_staff", title="干部",
                           tenure="full_time")
    b = coverage.board(personas.province, unit=tree.city, **SPAN)
    assert (_rows(b)["东县妇联"]["staff"], _rows(b)["东县妇联"]["quota"], _rows(b)["东县妇联"]["over"]) == (9, 8, 1)


def test_a_pilot_puts_its_members_side_by_side(personas, records, tree, admin_user):
    from niangjia.reform import services as reform

    pilot = reform.pilot_create(actor=admin_user, unit=tree.province, name="试点县", members=[tree.west, tree.east_town])
    b = coverage.board(personas.province, unit=None, pilot=pilot, **SPAN)
    assert list(_rows(b)) == ["东镇妇联", "西县妇联"]
    assert b["total"]["villages"] == 3


def test_the_page_shows_every_unit_and_a_schematic_map(client, personas, records, tree):
    client.force_login(personas.province)
    r = client.get("/stats/coverage/", {"unit": tree.city.id, "start": "2024-01", "end": "2026-12"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "东县妇联" in body and "西县妇联" in body and "示意图" in body


def test_the_api_answers_the_same_figures(personas, records, tree):
    body = Api(personas.province).get("/stats/coverage", unit=tree.city.id, start="2024-01-01",
                                      end="2026-12-31").json()
    assert [r["name"] for r in body["rows"]] == ["东县妇联", "西县妇联"]
    assert body["total"]["villages"] == 3 and body["hotline_missing"][0]["name"] == "甲一市妇联"
