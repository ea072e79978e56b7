"""The pure scoring rules: weights, part scores (dropping extremes with 1, 2, 3+ scores), weighted totals,
ranking and every tie-break step — exact arithmetic, checked against a straightforward re-computation."""

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.selection import rules

T0 = datetime(2026, 3, 1, 9, 0)
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


# ---------------------------------------------------------------- weights


@st.composite
def weights_summing_to_100(draw):
    a = draw(st.integers(0, 10_000))
    b = draw(st.integers(0, 10_000 - a))
    return {"project": Decimal(a) / 100, "expert": Decimal(b) / 100, "jury": Decimal(10_000 - a - b) / 100}


@given(weights_summing_to_100())
def test_any_weights_summing_to_100_are_valid(w):
    assert rules.weight_errors(w) == {}


@given(weights_summing_to_100(), st.integers(1, 500))
def test_weights_off_by_any_cent_are_refused(w, cents):
    w = dict(w)
    w["jury"] = w["jury"] + Decimal(cents) / 100
    if w["jury"] > 100:
        assert "weight_jury" in rules.weight_errors(w)
    else:
        errors = rules.weight_errors(w)
        assert set(errors) == {"weights"} and str(rules.MSG_WEIGHT_SUM) in errors["weights"]


@pytest.mark.parametrize("w, field", [
    ({"project": 40, "expert": 30}, "weight_jury"),
    ({"project": -10, "expert": 60, "jury": 50}, "weight_project"),
    ({"project": 101, "expert": 0, "jury": -1}, "weight_project"),
    ({"project": "abc", "expert": 30, "jury": 30}, "weight_project"),
    ({"project": "33.333", "expert": "33.333", "jury": "33.334"}, "weight_project"),
])
def test_malformed_weights_name_the_field(w, field):
    assert field in rules.weight_errors(w)


def test_preset_is_40_30_30_and_valid():
    preset = {k: rules.PRESET[f"weight_{k}"] for k in rules.KINDS}
    assert preset == {"project": 40, "expert": 30, "jury": 30}
    assert rules.weight_errors(preset) == {}


# ---------------------------------------------------------------- part scores


@given(st.lists(scores, min_size=1, max_size=30))
def test_mean_is_exact(values):
    r = rules.part_result(values, "mean")
    assert r.mean == sum(Fraction(v) for v in values) / len(values)
    assert r.dropped == () and not r.trimmed


@given(st.lists(scores, min_size=3, max_size=30))
def test_trimmed_drops_one_highest_and_one_lowest(values):
    r = rules.part_result(values, "trimmed")
    rest = sorted(values)[1:-1]
    assert r.trimmed and r.dropped == (max(values), min(values))
    assert r.mean == sum(Fraction(v) for v in rest) / len(rest)
    assert min(values) <= r.mean <= max(values)


@pytest.mark.parametrize("values", [[Decimal("77.5")], [Decimal(60), Decimal(90)]])
def test_trimmed_with_one_or_two_scores_is_the_plain_mean_and_says_so(values):
    r = rules.part_result(values, "trimmed")
    assert not r.trimmed and r.dropped == ()
    assert r.mean == sum(Fraction(v) for v in values) / len(values)
    assert r.note == f"仅 {len(values)} 个评分，未去掉最高最低分，取算术平均"


def test_trimmed_with_three_scores_keeps_the_middle_one():
    r = rules.part_result([Decimal(90), Decimal(70), Decimal(80)], "trimmed")
    assert r.kept == (Decimal(80),) and r.mean == 80 and r.note == "去掉最高分 90.00、最低分 70.00"


def test_trim_minimum_can_be_raised_but_never_below_three():
    five = [Decimal(v) for v in (60, 70, 80, 90, 100)]
    assert not rules.part_result(five, "trimmed", trim_min=6).trimmed
    assert rules.part_result(five, "trimmed", trim_min=5).trimmed
    assert not rules.part_result(five[:2], "trimmed", trim_min=1).trimmed


@given(scores, st.integers(1, 20), st.sampled_from(rules.METHODS))
def test_all_equal_scores_give_that_score_either_way(value, n, method):
    assert rules.part_result([value] * n, method).mean == Fraction(value)


def test_no_scores_give_no_mean_and_contribute_nothing():
    r = rules.part_result([], "trimmed")
    assert r.mean is None and rules.contribution(r.mean, 40) == 0


def test_one_third_stays_exact():
    r = rules.part_result([Decimal(80), Decimal(80), Decimal(81)], "mean")
    assert r.mean == Fraction(241, 3)
    assert rules.fmt(r.mean) == "80.33" and rules.exact(r.mean) == "241/3"
    assert rules.exact(Fraction(161, 2)) == ""  # 80.5 is a finite decimal


def test_display_rounds_half_up():
    assert rules.fmt(Fraction(8005, 100)) == "80.05"
    assert rules.fmt(Fraction(80125, 1000)) == "80.13"
    assert rules.fmt(None) == "—"


# ---------------------------------------------------------------- totals and ranking


@given(weights_summing_to_100(), scores, scores, scores)
def test_weighted_total_is_the_exact_weighted_sum(w, p, e, j):
    means = {"project": Fraction(p), "expert": Fraction(e), "jury": Fraction(j)}
    total = rules.weighted_total(means, w)
    assert total == sum(means[k] * Fraction(w[k]) / 100 for k in rules.KINDS)
    assert min(means.values()) <= total <= max(means.values())


def entry(cid, project, expert, jury, minutes=0):
    return rules.Entry(cid, T0 + timedelta(minutes=minutes),
                       {"project": Fraction(project), "expert": Fraction(expert), "jury": Fraction(jury)})


W = {"project": 40, "expert": 30, "jury": 30}


@given(st.lists(st.tuples(scores, scores, scores), min_size=1, max_size=12))
def test_ranking_orders_by_total_and_ranks_are_distinct(rows):
    entries = [entry(i + 1, *r, minutes=i) for i, r in enumerate(rows)]
    ranked = rules.rank(entries, W, rules.TIE_STEPS)
    assert [r.rank for r in ranked] == list(range(1, len(rows) + 1))
    assert all(a.total >= b.total for a, b in zip(ranked, ranked[1:], strict=False))


def test_higher_total_wins_whatever_the_parts():
    ranked = rules.rank([entry(1, 70, 70, 70), entry(2, 100, 60, 60)], W, rules.TIE_STEPS)
    # 2: 40 + 18 + 18 = 76 > 70
    assert [r.candidate_id for r in ranked] == [2, 1] and ranked[0].ties == []


def test_tie_broken_by_jury_first():
    # equal totals: 1 → 32 + 24 + 21 = 77; 2 → 32 + 21 + 24 = 77
    ranked = rules.rank([entry(1, 80, 80, 70), entry(2, 80, 70, 80, minutes=5)], W, "jury,expert,project,applied")
    assert ranked[0].total == ranked[1].total == 77
    assert [r.candidate_id for r in ranked] == [2, 1]
    assert ranked[0].ties == [(1, "jury", "ahead")] and ranked[1].ties == [(2, "jury", "behind")]


def test_tie_broken_by_expert_when_jury_is_equal():
    # equal jury 80: 1 → 30 + 27 + 24 = 81 with expert 90; 2 → 33 + 24 + 24 = 81 with expert 80
    one, two = entry(1, 75, 90, 80), entry(2, 82.5, 80, 80)
    assert rules.weighted_total(one.means, W) == rules.weighted_total(two.means, W)
    ranked = rules.rank([two, one], W, "jury,expert,project,applied")
    assert [r.candidate_id for r in ranked] == [1, 2] and ranked[0].ties == [(2, "expert", "ahead")]


def test_tie_broken_by_project_when_it_comes_first():
    one, two = entry(1, 75, 90, 80), entry(2, 82.5, 80, 80)
    ranked = rules.rank([one, two], W, "project,jury,expert")
    assert [r.candidate_id for r in ranked] == [2, 1] and ranked[0].ties == [(1, "project", "ahead")]


def test_identical_scores_fall_back_to_the_earlier_application():
    late, early = entry(1, 80, 80, 80, minutes=30), entry(2, 80, 80, 80, minutes=10)
    ranked = rules.rank([late, early], W, "jury,expert,project")
    assert [r.candidate_id for r in ranked] == [2, 1] and ranked[1].ties == [(2, "applied", "behind")]


def test_same_minute_falls_back_to_the_lower_id():
    ranked = rules.rank([entry(7, 80, 80, 80), entry(3, 80, 80, 80)], W, rules.TIE_STEPS)
    assert [r.candidate_id for r in ranked] == [3, 7] and ranked[0].ties == [(7, "applied", "ahead")]


@pytest.mark.parametrize("bad", ["jury,jury", "jury,age", ["expert", "nobody"]])
def test_tie_break_orders_are_checked(bad):
    with pytest.raises(ValueError):
        rules.parse_tie_break(bad)


def test_applied_is_always_the_last_step():
    assert rules.parse_tie_break("expert") == ["expert", "applied"]
    assert rules.parse_tie_break(["applied", "jury"]) == ["applied", "jury"]


# ---------------------------------------------------------------- pipeline and election order


def test_pipeline_steps_only_forward_one_at_a_time():
    assert [s for s in ("scoring", "vetting", "election", "done") if rules.can_move("open", s)] == ["scoring"]
    assert rules.can_move("election", "done") and not rules.can_move("done", "open")
    assert not rules.can_move("scoring", "election")


@pytest.mark.parametrize("status, vetting, elected_now, seats, result, ok", [
    ("election", "passed", 0, 3, "elected", True),
    ("election", "passed", 2, 3, "elected", True),
    ("election", "passed", 3, 3, "elected", False),  # seats full
    ("election", "passed", 3, 3, "not_elected", True),
    ("election", "failed", 0, 3, "elected", False),  # vetting failed
    ("election", "", 0, 3, "not_elected", False),  # not vetted
    ("vetting", "passed", 0, 3, "elected", False),  # before the election stage
])
def test_election_order(status, vetting, elected_now, seats, result, ok):
    refusal = rules.election_refusal(status=status, vetting=vetting, elected_now=elected_now, seats=seats,
                                     result=result)
    assert (refusal == "") is ok


def test_scores_must_be_in_range_with_two_decimals():
    assert rules.score_error("85.5") == "" and rules.score_error(Decimal(100)) == "" and rules.score_error(0) == ""
    for bad in ("100.01", "-1", "85.555", "abc", "", "NaN", "Infinity"):
        assert rules.score_error(bad), bad
