"""Composition ratios at the exact thresholds (presets: 30%, 40%, 60% floors; 50% ceiling)."""

import pytest

from niangjia.core import policies
from niangjia.people.rules import (
    BodyCounts,
    StaffingResult,
    birth_and_gender_from_id,
    evaluate_composition,
    share_at_least,
    share_at_most,
)

PRESET = policies.REGISTRY["composition"].preset


def verdicts(**bodies):
    results = evaluate_composition({k: BodyCounts(**v) for k, v in bodies.items()}, PRESET)
    return {r.code: r.met for r in results}


def test_presets_are_the_reform_documents_figures():
    assert PRESET == {"standing_grassroots_min_pct": 30, "executive_grassroots_min_pct": 40,
                      "delegates_grassroots_min_pct": 60, "leadership_full_time_max_pct": 50}


@pytest.mark.parametrize("body, code, met_at, unmet_at", [
    ("standing", "standing_grassroots", (3, 10), (29, 100)),
    ("executive", "executive_grassroots", (4, 10), (39, 100)),
    ("delegates", "delegates_grassroots", (6, 10), (59, 100)),
])
def test_grassroots_floors_are_met_exactly_at_the_threshold(body, code, met_at, unmet_at):
    part, whole = met_at
    assert verdicts(**{body: {"members": whole, "grassroots": part}})[code] is True
    part, whole = unmet_at
    assert verdicts(**{body: {"members": whole, "grassroots": part}})[code] is False


def test_thirty_percent_of_an_awkward_total():
    # 13 members: 4 grassroots is 30.8% (met), 3 is 23.1% (not met)
    assert verdicts(standing={"members": 13, "grassroots": 4})["standing_grassroots"] is True
    assert verdicts(standing={"members": 13, "grassroots": 3})["standing_grassroots"] is False


def test_full_time_ceiling_allows_exactly_half():
    assert verdicts(leadership={"members": 10, "full_time": 5})["leadership_full_time"] is True
    assert verdicts(leadership={"members": 10, "full_time": 6})["leadership_full_time"] is False
    assert verdicts(leadership={"members": 7, "full_time": 3})["leadership_full_time"] is True
    assert verdicts(leadership={"members": 7, "full_time": 4})["leadership_full_time"] is False


def test_a_body_without_members_is_neither_met_nor_unmet():
    assert set(verdicts().values()) == {None}


def test_a_policy_override_moves_the_threshold():
    policy = dict(PRESET, standing_grassroots_min_pct=50)
    results = evaluate_composition({"standing": BodyCounts(members=10, grassroots=4)}, policy)
    assert results[0].met is False and results[0].threshold_pct == 50


def test_result_text_shows_the_figures():
    r = evaluate_composition({"executive": BodyCounts(members=43, grassroots=18)}, PRESET)[1]
    assert r.text == "执委中基层一线比例：18/43（41.9%，要求>=40%）达标"


@pytest.mark.parametrize("part, whole, pct, expected", [
    (0, 0, 30, None), (0, 5, 0, True), (5, 5, 100, True), (1, 3, 33, True), (1, 3, 34, False),
])
def test_share_at_least(part, whole, pct, expected):
    assert share_at_least(part, whole, pct) is expected


def test_share_at_most_edges():
    assert share_at_most(0, 0, 50) is None
    assert share_at_most(1, 2, 50) is True
    assert share_at_most(2, 3, 66) is False


def test_staffing_quota_versus_actual():
    s = StaffingResult(quota=8, full_time=6, seconded=2, volunteers=3)
    assert (s.actual, s.within_quota, s.vacancies, s.two_plus_one) == (6, True, 2, True)
    over = StaffingResult(quota=5, full_time=6, seconded=0, volunteers=0)
    assert (over.within_quota, over.vacancies, over.two_plus_one) == (False, 0, False)
    assert StaffingResult(quota=0, full_time=3, seconded=0, volunteers=0).within_quota is None


def test_birth_and_gender_come_from_the_id_number():
    born, gender = birth_and_gender_from_id("11010519491231002X")
    assert born.isoformat() == "1949-12-31" and gender == "F"  # 17th digit 2 is even
    assert birth_and_gender_from_id("110105194912310011")[1] == "M"
    assert birth_and_gender_from_id("123") == (None, None)
