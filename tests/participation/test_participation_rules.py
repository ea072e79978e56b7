"""Pure rules: the answer window, questionnaire validation, check codes, the waiting list, ratings."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.participation import rules
from niangjia.participation.rules import QuestionSpec

D = date(2026, 6, 10)


@pytest.mark.parametrize(("today", "published", "state"), [
    (D - timedelta(days=1), True, "not_yet"),
    (D, True, "open"),  # the opening day counts
    (D + timedelta(days=5), True, "open"),  # the closing day counts
    (D + timedelta(days=6), True, "closed"),
    (D, False, "draft"),
    (D + timedelta(days=6), False, "draft"),
])
def test_window_edges(today, published, state):
    assert rules.window_state(D, D + timedelta(days=5), today, published) == state


SINGLE = QuestionSpec(1, "single", True, n_options=3)
MULTI = QuestionSpec(2, "multiple", True, n_options=4, max_choices=2)
RATING = QuestionSpec(3, "rating", True, scale=5)
TEXT = QuestionSpec(4, "text", False)


@pytest.mark.parametrize(("q", "value", "problem"), [
    (SINGLE, [0], None), (SINGLE, [2], None), (SINGLE, [3], rules.MSG_CHOICE_RANGE),
    (SINGLE, [-1], rules.MSG_CHOICE_RANGE), (SINGLE, [0, 1], rules.MSG_ONE_CHOICE), (SINGLE, [], rules.MSG_REQUIRED),
    (SINGLE, None, rules.MSG_REQUIRED), (SINGLE, ["a"], rules.MSG_CHOICE_RANGE), (SINGLE, [True], rules.MSG_CHOICE_RANGE),
    (MULTI, [0, 3], None), (MULTI, [1], None), (MULTI, [0, 1, 2], "最多选择 2 项"), (MULTI, [1, 1], rules.MSG_CHOICE_RANGE),
    (MULTI, [4], rules.MSG_CHOICE_RANGE), (MULTI, [], rules.MSG_REQUIRED),
    (RATING, 1, None), (RATING, 5, None), (RATING, 0, "评分应在 1 到 5 之间"), (RATING, 6, "评分应在 1 到 5 之间"),
    (RATING, "x", "评分应在 1 到 5 之间"), (RATING, None, rules.MSG_REQUIRED), (RATING, True, "评分应在 1 到 5 之间"),
    (TEXT, "", None), (TEXT, "  ", None), (TEXT, "好", None), (TEXT, "长" * 1001, rules.MSG_TEXT_LONG),
])
def test_answer_problem(q, value, problem):
    assert rules.answer_problem(q, value) == problem


def test_optional_choice_may_be_blank_but_not_wrong():
    q = QuestionSpec(5, "single", False, n_options=2)
    assert rules.answer_problem(q, []) is None
    assert rules.answer_problem(q, [2]) == rules.MSG_CHOICE_RANGE


def test_sheet_problems_names_each_bad_question():
    problems = rules.sheet_problems([SINGLE, MULTI, RATING, TEXT], {1: [0], 2: [0, 1, 2], 3: 9})
    assert problems == {2: "最多选择 2 项", 3: "评分应在 1 到 5 之间"}
    assert rules.sheet_problems([SINGLE, TEXT], {1: [1]}) == {}


@pytest.mark.parametrize(("kind", "text", "options", "max_choices", "scale", "fields"), [
    ("single", "好", ["a", "b"], None, 5, set()),
    ("single", "", ["a", "b"], None, 5, {"text"}),
    ("single", "好", ["a"], None, 5, {"options"}),
    ("single", "好", ["a", "a"], None, 5, {"options"}),
    ("multiple", "好", ["a", "b", "c"], 3, 5, set()),
    ("multiple", "好", ["a", "b", "c"], 4, 5, {"max_choices"}),
    ("multiple", "好", ["a", "b", "c"], 0, 5, {"max_choices"}),
    ("rating", "好", [], None, 2, set()), ("rating", "好", [], None, 10, set()),
    ("rating", "好", [], None, 1, {"scale"}), ("rating", "好", [], None, 11, {"scale"}),
    ("essay", "好", [], None, 5, {"kind"}),
    ("single", "好", [str(i) for i in range(21)], None, 5, {"options"}),
])
def test_question_problem(kind, text, options, max_choices, scale, fields):
    assert set(rules.question_problem(kind, text, options, max_choices, scale)) == fields


def test_code_usable_edges():
    now = datetime(2026, 1, 1, 12, 0)
    assert rules.code_usable(now + timedelta(seconds=1), 4, now, 5) is None
    assert rules.code_usable(now, 0, now, 5) == "验证码已过期，请重新获取"  # expiry instant is already expired
    assert rules.code_usable(now + timedelta(minutes=5), 5, now, 5) == "验证码错误次数过多，请重新获取"


@pytest.mark.parametrize(("capacity", "taken", "waiting", "status"), [
    (3, 0, 0, "confirmed"), (3, 2, 0, "confirmed"), (3, 3, 0, "waiting"), (3, 4, 0, "waiting"),
    (3, 2, 1, "waiting"),  # nobody jumps the queue
    (1, 0, 0, "confirmed"), (1, 1, 0, "waiting"),
])
def test_status_on_register_at_capacity_edges(capacity, taken, waiting, status):
    assert rules.status_on_register(capacity, taken, waiting) == status


@pytest.mark.parametrize(("capacity", "taken", "waiting", "promoted"), [
    (3, 3, [7, 8], []),  # full: nobody moves
    (3, 2, [7, 8], [7]),  # one place: the first in line
    (3, 0, [7, 8], [7, 8]),  # more places than waiting: all move
    (3, 4, [7], []),  # over capacity (capacity was lowered): nobody moves
    (3, 2, [], []),
])
def test_to_promote_at_capacity_edges(capacity, taken, waiting, promoted):
    assert rules.to_promote(capacity, taken, waiting) == promoted


@given(st.integers(1, 50), st.integers(0, 60), st.lists(st.integers(1, 10_000), unique=True, max_size=30))
def test_promotion_never_overfills_and_keeps_order(capacity, taken, waiting):
    moved = rules.to_promote(capacity, taken, waiting)
    assert taken + len(moved) <= max(capacity, taken)
    assert moved == waiting[:len(moved)]
    assert len(moved) == min(len(waiting), max(0, capacity - taken))


@pytest.mark.parametrize(("status", "rated", "day", "score", "problem"), [
    ("attended", False, D, 5, None), ("attended", False, D, 1, None),
    ("attended", False, D, 0, "评分应在 1 到 5 之间"), ("attended", False, D, 6, "评分应在 1 到 5 之间"),
    ("attended", False, D, None, "评分应在 1 到 5 之间"),
    ("confirmed", False, D, 5, "只有到场参加活动的妇女才能评价"),
    ("absent", False, D, 5, "只有到场参加活动的妇女才能评价"),
    ("waiting", False, D, 5, "只有到场参加活动的妇女才能评价"),
    ("attended", True, D, 5, "您已经评价过这次活动"),
    ("attended", False, D + timedelta(days=1), 5, "活动举办后才能评价"),
])
def test_rating_problem(status, rated, day, score, problem):
    assert rules.rating_problem(status, rated, day, D, score) == problem


def test_mean_is_sum_over_count():
    assert rules.mean(14, 3) == 4.67
    assert rules.mean(0, 0) is None
