"""Field rules in words, and their figures and count flags changed after adoption (web and API)."""

import re

import pytest

from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import FieldRule

pytestmark = pytest.mark.django_db


def test_the_rules_page_says_the_figures_in_chinese(client, tree, personas, fw_people, adopted):
    client.force_login(personas.province)
    page = client.get("/fieldwork/rules/").content.decode()
    shown = re.findall(r'data-testid="rule-params">([^<]*)<', page)
    assert "天数要求 60 天 · 计入的地点：县级及以下" in shown
    assert all("{" not in t and "min_" not in t for t in shown) and len(shown) == 2


def test_the_adopt_form_offers_every_presets_figures(client, tree, personas, fw_people):
    client.force_login(personas.province)
    page = client.get("/fieldwork/rules/").content.decode()
    for label in ("城市社区蹲点（天）", "结对妇女（人）", "妇情日记（篇）", "天数要求（天）"):
        assert label in page
    r = client.post("/fieldwork/rules/", {"unit": tree.province.pk, "preset": "fieldwork.city_pairing",
                                          "p_rural_days": 7, "p_min_days": 40, "count_home_visit": "on"})
    assert r.status_code == 302
    rule = FieldRule.objects.get()
    assert (rule.params["rural_days"], rule.params["urban_days"], rule.count_home_visit) == (7, 5, True)
    assert "min_days" not in rule.params  # a figure the preset does not have is not added


def test_a_manager_changes_a_rules_figures_and_flags_after_adoption(client, tree, personas, fw_people, adopted):
    rule = adopted.leaders.rule
    client.force_login(personas.province)
    page = client.get(f"/fieldwork/rules/{rule.pk}/").content.decode()
    assert 'name="p_min_days"' in page and 'name="p_urban_days"' not in page
    r = client.post(f"/fieldwork/rules/{rule.pk}/", {"name": rule.name, "p_min_days": 45, "p_min_place_level": 5,
                                                     "count_trip": "on", "version": rule.version})
    assert r.status_code == 302
    rule.refresh_from_db()
    assert (rule.params["min_days"], rule.params["min_place_level"], rule.count_trip, rule.count_holiday) == (
        45, 5, True, False)
    # and the standings follow: her headline now reads of 45 days, not 60
    page = client.get("/fieldwork/").content.decode()
    assert "0 / 45 天" in page and "0 / 60 天" not in page


def test_a_rule_of_another_branch_cannot_be_changed(client, tree, personas, fw_people, admin_user, adopted):
    from tests.conftest import make_user

    west = fw.rule_adopt(actor=admin_user, unit=tree.west, preset="fieldwork.organ_cadres").rule
    client.force_login(personas.east)  # a cadre may not change rules at all
    assert client.get(f"/fieldwork/rules/{west.pk}/").status_code == 403
    # a manager of 东县 finds neither 西县's rule nor the province's (which applies to her, but is not hers)
    client.force_login(make_user("east_leader", ["leader"], [tree.east]))
    province_rule = adopted.leaders.rule
    assert client.get(f"/fieldwork/rules/{west.pk}/").status_code == 404
    r = client.post(f"/fieldwork/rules/{province_rule.pk}/", {"name": "改", "p_min_days": 1, "p_min_place_level": 4,
                                                              "version": province_rule.version})
    assert r.status_code == 404 and FieldRule.objects.get(pk=province_rule.pk).params == province_rule.params
    client.force_login(personas.province)  # a leader above reaches it
    assert client.get(f"/fieldwork/rules/{west.pk}/").status_code == 200


def test_the_api_patches_figures_and_refuses_unknown_ones(client, tree, personas, fw_people, adopted):
    rule = adopted.cadres.rule
    client.force_login(personas.province)
    r = client.patch(f"/api/v1/fieldwork/rules/{rule.pk}", {"version": rule.version, "params": {"urban_days": 3}},
                     content_type="application/json")
    assert r.status_code == 400 and FieldRule.objects.get(pk=rule.pk).params == rule.params
    r = client.patch(f"/api/v1/fieldwork/rules/{rule.pk}", {"version": rule.version, "params": {"min_days": 4},
                                                            "count_holiday": True}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert (r.json()["params"]["min_days"], r.json()["count_holiday"]) == (4, True)
    r = client.patch(f"/api/v1/fieldwork/rules/{rule.pk}", {"version": rule.version, "name": "旧版本"},
                     content_type="application/json")
    assert r.status_code == 409


@pytest.mark.parametrize("params, status", [
    ({"min_days": 0}, 200), ({"min_days": -1}, 400),
    ({"min_place_level": 1}, 200), ({"min_place_level": 6}, 200),
    ({"min_place_level": 0}, 400), ({"min_place_level": 7}, 400),
])
def test_the_api_takes_figures_at_their_edges(client, tree, personas, fw_people, adopted, params, status):
    # given the provincial leaders' rule (60 days at county level or below)
    rule = adopted.leaders.rule
    client.force_login(personas.province)
    # when a figure at or just past its edge is sent
    r = client.patch(f"/api/v1/fieldwork/rules/{rule.pk}", {"version": rule.version, "params": params},
                     content_type="application/json")
    # then the edge is taken and the step past it refused with the field named, changing nothing
    assert r.status_code == status, r.content
    stored = FieldRule.objects.get(pk=rule.pk).params
    if status == 200:
        assert stored == {**rule.params, **params}
    else:
        assert set(r.json()["error"]["fields"]) == set(params) and stored == rule.params
