"""Pure rules: the pipeline table, deadlines by category and urgency (edges), ratings, masks."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from niangjia.needs import rules

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
P = rules.DEADLINE_PRESET


@pytest.mark.parametrize(("category", "urgency", "days"), [
    ("legal", "critical", 1), ("employment", "critical", 1), ("legal", "urgent", 3), ("hardship", "urgent", 3),
    ("rights", "normal", 7), ("counselling", "normal", 7), ("hardship", "normal", 7), ("legal", "normal", 10),
    ("mediation", "normal", 10), ("employment", "normal", 15), ("family_education", "normal", 15),
    ("other", "normal", 15),
])
def test_deadline_days_follow_the_preset(category, urgency, days):
    assert rules.deadline_days(category, urgency, P) == days
    assert rules.deadline_at(T0, category, urgency, P) == T0 + timedelta(days=days)


def test_an_unknown_category_falls_back_to_the_default_days():
    assert rules.deadline_days("new_kind", "normal", P) == 15
    assert rules.deadline_days("new_kind", "normal", {**P, "default_days": 20}) == 20


def test_an_override_changes_the_days():
    policy = {**P, "urgent_days": 2, "normal_days": {"legal": 5}}
    assert rules.deadline_days("legal", "urgent", policy) == 2
    assert rules.deadline_days("legal", "normal", policy) == 5
    assert rules.deadline_days("rights", "normal", policy) == 15  # not in the override's table: default


def test_overdue_only_strictly_after_the_deadline():
    deadline = T0 + timedelta(days=1)
    assert not rules.is_overdue("registered", deadline, deadline)
    assert not rules.is_overdue("registered", deadline, deadline - timedelta(minutes=1))
    assert rules.is_overdue("registered", deadline, deadline + timedelta(minutes=1))
    assert rules.is_overdue("in_progress", deadline, deadline + timedelta(seconds=1))


@pytest.mark.parametrize("status", ["resolved", "referred", "closed"])
def test_a_finished_need_is_never_overdue(status):
    assert not rules.is_overdue(status, T0, T0 + timedelta(days=100))


def test_no_deadline_is_not_overdue():
    assert not rules.is_overdue("registered", None, T0)


ALLOWED = {
    "assign": {"registered", "assigned", "in_progress"}, "start": {"assigned"}, "resolve": {"assigned", "in_progress"},
    "refer": {"registered", "assigned", "in_progress"}, "close": {"registered", "resolved", "referred"},
}


@pytest.mark.parametrize("step", sorted(ALLOWED))
@pytest.mark.parametrize("status", sorted(rules.STATUS_NAMES))
def test_every_step_from_every_status(step, status):
    problem = rules.transition_problem(step, status)
    if status in ALLOWED[step]:
        assert problem == ""
    else:
        assert str(rules.STATUS_NAMES[status]) in problem and str(rules.PIPELINE[step].label) in problem


def test_steps_from_lists_the_buttons_in_pipeline_order():
    assert [s.name for s in rules.steps_from("registered")] == ["assign", "refer", "close"]
    assert [s.name for s in rules.steps_from("in_progress")] == ["assign", "resolve", "refer"]
    assert rules.steps_from("closed") == []


def test_an_unknown_step_is_refused():
    assert "未知" in rules.transition_problem("fly", "registered")


@pytest.mark.parametrize(("step", "ok"), [
    ("accept", {"ordered"}), ("deliver", {"ordered", "accepted"}), ("decline", {"ordered"}),
    ("cancel", {"ordered", "accepted"}),
])
def test_order_pipeline(step, ok):
    for status in rules.ORDER_STATUS_NAMES:
        assert (rules.order_transition_problem(step, status) == "") == (status in ok), (step, status)


def test_orders_answer_open_or_referred_needs_only():
    for status in ("registered", "assigned", "in_progress", "referred"):
        assert rules.order_status_for_need(status) == ""
    for status in ("resolved", "closed"):
        assert rules.order_status_for_need(status)


@pytest.mark.parametrize("rating", [0, 6, -1, "5", 4.5, None, True])
def test_bad_ratings(rating):
    assert rules.rating_problem(rating) == "评价应为 1–5 分"


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_good_ratings(rating):
    assert rules.rating_problem(rating) == ""


def test_rateable_when_finished_and_once():
    assert rules.need_rateable("resolved", False) == ""
    assert rules.need_rateable("in_progress", False) == "需求办结后才能评价"
    assert rules.need_rateable("resolved", True) == "已经评价过了，谢谢您"
    assert rules.order_rateable("delivered", False) == ""
    assert rules.order_rateable("accepted", False) == "服务完成后才能评价"


def test_mask_name_keeps_the_family_name():
    assert rules.mask_name("王芳") == "王*"
    assert rules.mask_name("欧阳娜娜") == "欧***"
    assert rules.mask_name("") == ""
    assert rules.mask_name("李") == "李*"
