"""Pure rules of award rounds: phase order, quota messages, the notice period, ballots and ranking."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.awards import rules
from niangjia.awards.rules import Tally


@pytest.mark.parametrize(("current", "target", "ok"), [
    ("nomination", "evaluation", True), ("evaluation", "notice", True), ("notice", "final", True),
    ("nomination", "notice", False), ("nomination", "final", False), ("evaluation", "final", False),
    ("evaluation", "nomination", False), ("notice", "evaluation", False), ("final", "notice", False),
    ("nomination", "nomination", False), ("nomination", "bogus", False),
])
def test_phases_move_only_to_the_next_one(current, target, ok):
    assert (rules.transition_problem(current, target) == "") is ok


def test_the_refusal_names_the_current_and_next_phase():
    assert rules.transition_problem("nomination", "notice") == (
        "评选阶段只能依次推进：当前为“推荐提名”，下一步是“群众评议”，不能直接进入“公示”")


@pytest.mark.parametrize(("quota", "used", "message"), [
    (3, 0, ""), (3, 2, ""), (3, 3, "东县的组织推荐名额为 3 名，已推荐 3 名"),
    (3, 4, "东县的组织推荐名额为 3 名，已推荐 4 名"), (0, 0, "东县没有组织推荐名额"), (1, 0, ""),
])
def test_org_quota_edges(quota, used, message):
    assert rules.org_quota_problem("东县", quota, used) == message


@pytest.mark.parametrize(("quota", "used", "refused"), [(5, 4, False), (5, 5, True), (0, 0, True), (1, 0, False)])
def test_public_quota_edges(quota, used, refused):
    assert bool(rules.public_quota_problem(quota, used)) is refused


@pytest.mark.parametrize(("start", "days", "end"), [
    (date(2026, 3, 2), 5, date(2026, 3, 6)),  # Monday → Friday
    (date(2026, 3, 4), 5, date(2026, 3, 10)),  # Wednesday → next Tuesday (the weekend is skipped)
    (date(2026, 3, 6), 1, date(2026, 3, 6)),  # a Friday, one day
    (date(2026, 3, 7), 5, date(2026, 3, 13)),  # a Saturday start counts from Monday
    (date(2026, 3, 8), 1, date(2026, 3, 9)),  # a Sunday, one day → Monday
    (date(2026, 3, 2), 10, date(2026, 3, 13)),
])
def test_working_days(start, days, end):
    assert rules.add_working_days(start, days) == end


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 40))
def test_a_notice_period_counts_exactly_its_working_days(start, days):
    end = rules.add_working_days(start, days)
    span = [date.fromordinal(o) for o in range(start.toordinal(), end.toordinal() + 1)]
    assert sum(d.weekday() < 5 for d in span) == days and end.weekday() < 5


def test_notice_end_in_calendar_days():
    assert rules.notice_end(date(2026, 3, 6), {"days": 7, "working_days": False}) == date(2026, 3, 12)
    assert rules.notice_end(date(2026, 3, 6), {"days": 5, "working_days": True}) == date(2026, 3, 12)


def test_objections_only_during_the_notice_period_its_last_day_included():
    end = date(2026, 3, 12)
    assert rules.objection_problem("notice", end, end) == ""
    assert rules.objection_problem("notice", date(2026, 3, 13), end) == "公示期已于 3月12日结束，不能再提出异议"
    assert rules.objection_problem("evaluation", end, None) == "当前不在公示期，不能提出异议"
    assert rules.objection_problem("final", end, end) == "当前不在公示期，不能提出异议"


@pytest.mark.parametrize(("today", "unanswered", "problems"), [
    (date(2026, 3, 12), 0, ["公示期至 3月12日结束"]),
    (date(2026, 3, 13), 2, ["还有 2 条异议未答复"]),
    (date(2026, 3, 11), 1, ["公示期至 3月12日结束", "还有 1 条异议未答复"]),
    (date(2026, 3, 13), 0, []),
])
def test_finalize_needs_the_period_over_and_every_objection_answered(today, unanswered, problems):
    assert rules.finalize_problems("notice", today, date(2026, 3, 12), unanswered) == problems


def test_finalize_outside_the_notice_period():
    assert rules.finalize_problems("evaluation", date(2026, 3, 13), None, 0) != []
    assert rules.finalize_problems("final", date(2026, 3, 13), date(2026, 3, 12), 0) == ["评选结果已确定"]


@pytest.mark.parametrize(("mode", "marks", "field"), [
    ("votes", {}, "marks"), ("votes", {1: 1, 2: 1, 3: 1}, "marks"), ("votes", {1: 2}, "marks"),
    ("votes", {9: 1}, "marks"), ("ratings", {1: 6}, "marks"), ("ratings", {1: 0}, "marks"), ("other", {1: 1}, "mode"),
])
def test_bad_ballots(mode, marks, field):
    assert field in rules.ballot_problem(mode, marks, {1, 2, 3}, 2)


@pytest.mark.parametrize(("mode", "marks"), [("votes", {1: 1, 2: 1}), ("votes", {3: 1}), ("ratings", {1: 5, 2: 1, 3: 3})])
def test_good_ballots(mode, marks):
    assert rules.ballot_problem(mode, marks, {1, 2, 3}, 2) == {}


def test_votes_rank_by_votes_then_ballots_then_earlier_nomination():
    ranked = rules.rank("votes", [Tally(3, 2, 2), Tally(1, 2, 2), Tally(2, 5, 5), Tally(4, 1, 1)])
    assert [t.nomination_id for t in ranked] == [2, 1, 3, 4]


def test_ratings_rank_by_exact_mean_then_ballots():
    # 2/3 ≈ 0.667 vs 667/1000: compared exactly, not by rounded floats
    ranked = rules.rank("ratings", [Tally(1, 3, 14), Tally(2, 2, 9), Tally(3, 6, 28), Tally(4, 0, 0)])
    # means: 4.667, 4.5, 4.667 → tie between 1 and 3 broken by more ballots (3 has 6)
    assert [t.nomination_id for t in ranked] == [3, 1, 2, 4]
    assert Tally(1, 3, 14).score("ratings") == 4.67


def test_proposed_are_the_top_places():
    ranked = [Tally(5, 1, 9), Tally(2, 1, 5), Tally(7, 1, 1)]
    assert rules.proposed_from(ranked, 2) == [5, 2]
    assert rules.proposed_from(ranked, 0) == []


def test_round_dates():
    assert rules.round_dates_problem(date(2026, 3, 1), date(2026, 2, 1)) == {
        "evaluation_ends": "评议截止日期不能早于推荐截止日期"}
    assert rules.round_dates_problem(date(2026, 3, 1), date(2026, 3, 1)) == {}
