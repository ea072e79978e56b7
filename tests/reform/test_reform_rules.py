"""Pure rules of reform tracking: pipelines, plan stages on a day, the board and its sentences,
overdue reminders and escalation, coverage."""

from datetime import date

import pytest

from niangjia.reform import rules as r

D = date


def test_every_measure_step_goes_only_from_its_sources():
    # given every status and step / when asked / then a problem exactly when the status is not a source
    for step, spec in r.MEASURE_PIPELINE.items():
        for status in r.MEASURE_STATUS_NAMES:
            problem = r.MEASURE_PIPELINE.problem(step, status)
            assert (problem == "") == (status in spec.sources), (step, status)


def test_a_refused_step_says_which_statuses_may_take_it():
    assert r.MEASURE_PIPELINE.problem("finish", "not_started") == \
        "“未启动”的改革措施不能完成（只有已启动、已延期的改革措施可以完成）"
    assert r.MEASURE_PIPELINE.problem("fly", "done") == "未知的步骤：fly"
    assert r.PLAN_PIPELINE.problem("issue", "signing") == "“发文审签”的方案不能印发实施"


def test_plan_stages_advance_one_at_a_time():
    assert [s.name for s in r.steps_from(r.PLAN_PIPELINE, "drafting")] == ["to_signing"]
    assert [s.name for s in r.steps_from(r.PLAN_PIPELINE, "signing")] == ["approve"]
    assert [s.name for s in r.steps_from(r.PLAN_PIPELINE, "approved")] == ["issue"]
    assert r.steps_from(r.PLAN_PIPELINE, "issued") == []


DATES = {"drafting": D(2016, 3, 1), "signing": D(2016, 9, 1), "approved": D(2017, 1, 5), "issued": D(2017, 2, 1)}


@pytest.mark.parametrize(("day", "stage"), [
    (D(2016, 2, 29), None), (D(2016, 3, 1), "drafting"), (D(2016, 8, 31), "drafting"), (D(2016, 9, 1), "signing"),
    (D(2017, 1, 4), "signing"), (D(2017, 1, 5), "approved"), (D(2017, 2, 1), "issued"), (D(2030, 1, 1), "issued")])
def test_a_plan_is_in_the_latest_stage_reached_by_the_day(day, stage):
    assert r.stage_on(DATES, day) == stage


def test_a_stage_without_a_date_stops_the_plan_there():
    assert r.stage_on({**DATES, "approved": None}, D(2030, 1, 1)) == "signing"


def test_a_stage_date_may_not_come_before_the_previous_one():
    assert r.stage_date_problem(DATES, "approved", D(2016, 8, 31)) == "党委批准日期不能早于发文审签日期（2016-09-01）"
    assert r.stage_date_problem(DATES, "approved", D(2016, 9, 1)) == ""
    assert r.stage_date_problem(DATES, "drafting", D(2000, 1, 1)) == ""


def _m(status, year, deadline=None):
    return r.MeasureFacts(status, year, deadline or D(year, 12, 31))


def test_the_board_counts_what_the_seed_states_by_hand():
    # given 36 measures, all started; 12 due in 2016, all done; 2 of 2017 late
    ms = [_m("done", 2016)] * 12 + [_m("done", 2017)] * 12 + [_m("delayed", 2017, D(2017, 6, 30))] * 2 \
        + [_m("started", 2018)] * 10
    # when
    b = r.measure_board(ms, today=D(2018, 1, 10))
    # then
    assert (b["total"], b["under_way"], b["year"], b["due_in_year"], b["done_in_year"], b["overdue"]) == \
        (36, 36, 2016, 12, 12, 2)
    assert b["by_status"] == {"not_started": 0, "started": 10, "done": 24, "delayed": 2}
    assert r.measure_sentence(b) == "36项改革措施，已启动36项；2016年到期12项，已完成12项；逾期未完成2项"


def test_the_board_for_a_chosen_year_and_for_none():
    ms = [_m("done", 2016), _m("not_started", 2017)]
    b = r.measure_board(ms, today=D(2016, 1, 1), year=2017)
    assert (b["due_in_year"], b["done_in_year"], b["under_way"]) == (1, 0, 1)
    empty = r.measure_board([], today=D(2020, 5, 1))
    assert (empty["total"], empty["year"]) == (0, 2020)
    assert r.measure_sentence(empty) == "0项改革措施，已启动0项"


def test_the_plan_board_answers_for_any_date():
    # given 20 provinces issued before 2017-03-02, 11 and the Corps in signing then, all issued later
    early = {"drafting": D(2016, 3, 1), "signing": D(2016, 5, 1), "approved": D(2016, 7, 1), "issued": D(2016, 8, 1)}
    late = {"drafting": D(2016, 3, 1), "signing": D(2016, 12, 1), "approved": D(2017, 4, 1), "issued": D(2017, 6, 1)}
    plans = [r.PlanFacts(f"省{n}", False, early) for n in range(20)] + \
        [r.PlanFacts(f"省{n}", False, late) for n in range(20, 31)] + [r.PlanFacts("兵团", True, late)]
    # when
    rows = r.plan_board(plans, D(2017, 3, 2))
    # then
    by = {row["stage"]: row for row in rows}
    assert (by["issued"]["provinces"], by["issued"]["corps"]) == (20, False)
    assert (by["signing"]["provinces"], by["signing"]["corps"]) == (11, True)
    assert r.plan_sentence(rows, D(2017, 3, 2)) == "截至2017-03-02：20个已印发实施，11个和兵团在发文审签"
    assert r.plan_sentence(r.plan_board(plans, D(2017, 7, 1)), D(2017, 7, 1)) == "截至2017-07-01：31个和兵团已印发实施"
    assert r.plan_sentence(r.plan_board(plans, D(2015, 1, 1)), D(2015, 1, 1)) == "截至2015-01-01：31个和兵团尚未起草"


def test_the_corps_alone_is_named_without_a_count():
    rows = r.plan_board([r.PlanFacts("兵团", True, {"drafting": D(2016, 1, 1)})], D(2016, 2, 1))
    assert r.plan_sentence(rows, D(2016, 2, 1)) == "截至2016-02-01：兵团在起草"


@pytest.mark.parametrize(("status", "deadline", "today", "overdue"), [
    ("started", D(2020, 1, 1), D(2020, 1, 1), False), ("started", D(2020, 1, 1), D(2020, 1, 2), True),
    ("done", D(2020, 1, 1), D(2021, 1, 1), False), ("not_started", D(2020, 1, 1), D(2020, 1, 2), True),
    ("delayed", D(2020, 1, 1), D(2020, 1, 2), True)])
def test_overdue_means_past_the_deadline_and_not_done(status, deadline, today, overdue):
    assert r.is_overdue(status, deadline, today) is overdue


def test_the_daily_run_delays_reminds_weekly_and_escalates_once_after_two_weeks():
    dl = D(2020, 1, 1)
    assert r.overdue_actions("started", dl, D(2020, 1, 1), None, None) == set()
    assert r.overdue_actions("started", dl, D(2020, 1, 2), None, None) == {"delay", "remind"}
    assert r.overdue_actions("delayed", dl, D(2020, 1, 8), D(2020, 1, 2), None) == set()
    assert r.overdue_actions("delayed", dl, D(2020, 1, 9), D(2020, 1, 2), None) == {"remind"}
    assert r.overdue_actions("delayed", dl, D(2020, 1, 15), D(2020, 1, 9), None) == set()
    assert r.overdue_actions("delayed", dl, D(2020, 1, 16), D(2020, 1, 15), None) == {"escalate"}
    assert r.overdue_actions("delayed", dl, D(2020, 2, 16), D(2020, 2, 15), D(2020, 1, 16)) == set()
    assert r.overdue_actions("done", dl, D(2030, 1, 1), None, None) == set()
    custom = {"remind_every_days": 1, "escalate_after_days": 0}
    assert r.overdue_actions("delayed", dl, D(2020, 1, 2), D(2020, 1, 1), None, custom) == {"remind", "escalate"}


def test_coverage_is_complete_only_when_every_village_is_converted():
    assert r.coverage(3, 4) == {"converted": 3, "villages": 4, "share_pct": 75.0, "complete": False}
    assert r.coverage(4, 4)["complete"] is True
    assert r.coverage(0, 0) == {"converted": 0, "villages": 0, "share_pct": 0.0, "complete": False}
    assert r.coverage(2, 3)["share_pct"] == 66.6


def test_growth_is_said_as_the_seed_says_it():
    assert r.growth_text(1500, 3336) == "3,336，增长一倍多"
    assert r.growth_text(1000, 2000) == "2,000，增长一倍"
    assert r.growth_text(1000, 3500) == "3,500，增长两倍多"
    assert r.growth_text(1000, 1250) == "1,250，增长25.0%"
    assert r.growth_text(1000, 900) == "900，减少10.0%"
    assert r.growth_text(0, 12) == "12"
    assert r.members_difference(7, 0) == 7
