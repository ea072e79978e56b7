"""Pure rules of report forms: defining fields, parsing and checking values, the approval pipeline and
its locks, due dates, completeness and timeliness."""

from datetime import date
from decimal import Decimal

import pytest

from niangjia.reports import rules as r

TOTAL = r.FieldSpec("total", "妇女之家总数", r.INT, True, Decimal(0), Decimal(10000))
RURAL = r.FieldSpec("rural", "其中农村", r.INT, True, Decimal(0))
RATE = r.FieldSpec("rate", "覆盖率", r.DECIMAL, False, Decimal(0), Decimal(100))
KIND = r.FieldSpec("kind", "类型", r.CHOICE, True, choices=("城市", "农村"))
NOTE = r.FieldSpec("note", "说明", r.TEXT, False)
FIELDS = [TOTAL, RURAL, RATE, KIND, NOTE]
CHECKS = [{"left": "rural", "op": "<=", "right": "total"}]


@pytest.mark.parametrize(("spec", "raw", "value", "problem"), [
    (TOTAL, "12", 12, ""), (TOTAL, 12, 12, ""), (TOTAL, " 1,200 ", 1200, ""), (TOTAL, "12.0", 12, ""),
    (TOTAL, "12.5", None, "应为整数"), (TOTAL, "abc", None, "应为数字"), (TOTAL, "NaN", None, "应为数字"),
    (TOTAL, "-1", None, "不能小于 0"), (TOTAL, "10001", None, "不能大于 10000"), (TOTAL, "10000", 10000, ""),
    (TOTAL, "", None, "必填"), (TOTAL, None, None, "必填"), (RATE, "", None, ""), (RATE, "33.33", Decimal("33.33"), ""),
    (RATE, "33.333", None, "至多两位小数"), (RATE, "100.01", None, "不能大于 100"), (RATE, "7", Decimal("7.00"), ""),
    (KIND, "农村", "农村", ""), (KIND, "乡村", None, "应为：城市、农村"), (NOTE, "x" * 500, "x" * 500, ""),
    (NOTE, "x" * 501, None, "不能超过500字"), (NOTE, "  ", None, "")])
def test_a_value_is_parsed_by_its_field(spec, raw, value, problem):
    assert r.parse(spec, raw) == (value, problem)


def test_of_which_may_not_exceed_the_total():
    raw = {"total": "10", "rural": "12", "kind": "农村"}
    values, problems = r.check_values(FIELDS, CHECKS, raw)
    assert problems == {"rural": "其中农村应不大于妇女之家总数（10）"}
    values, problems = r.check_values(FIELDS, CHECKS, {**raw, "rural": "10"})
    assert (values, problems) == ({"total": 10, "rural": 10, "kind": "农村"}, {})


def test_a_cross_check_waits_for_both_figures_and_for_a_valid_left():
    assert r.check_values(FIELDS, CHECKS, {"total": "", "rural": "3", "kind": "农村"})[1] == {"total": "必填"}
    assert r.check_values(FIELDS, CHECKS, {"total": "5", "rural": "x", "kind": "农村"})[1] == {"rural": "应为数字"}


@pytest.mark.parametrize(("op", "a", "b", "ok"), [("<=", 1, 1, True), ("<", 1, 1, False), (">=", 1, 2, False),
                                                  (">", 2, 1, True), ("==", 2, 2, True), ("==", 2, 3, False)])
def test_every_operator_compares(op, a, b, ok):
    checks = [{"left": "rural", "op": op, "right": "total"}]
    problems = r.check_values([TOTAL, RURAL], checks, {"total": b, "rural": a})[1]
    assert (problems == {}) is ok


def test_a_form_definition_is_checked_field_by_field():
    bad = [r.FieldSpec("Total", "x", r.INT), r.FieldSpec("a", "", "float"), r.FieldSpec("a", "b", r.CHOICE, choices=("一",)),
           r.FieldSpec("c", "c", r.INT, True, Decimal(5), Decimal(1)), r.FieldSpec("d", "d", r.TEXT, True, Decimal(1))]
    assert r.field_problems(bad) == {
        "fields.0.key": "字段代码应以小写字母开头，只含小写字母、数字和下划线（至多40个）",
        "fields.1.label": "名称不能为空", "fields.1.kind": "类型应为整数、小数、选项或文字",
        "fields.2.key": "字段代码“a”重复", "fields.2.choices": "选项字段至少要有两个选项",
        "fields.3.max_value": "最大值不能小于最小值", "fields.4.min_value": "只有数字字段可以设最小值、最大值"}
    assert r.field_problems(FIELDS) == {}


def test_cross_checks_must_compare_numeric_fields_of_the_form():
    assert r.check_problems([{"left": "kind", "op": "<=", "right": "nope"}, {"left": "rural", "op": "~", "right": "total"}],
                            FIELDS) == {"checks.0.left": "应为本表的数字字段", "checks.0.right": "应为本表的数字字段",
                                        "checks.1.op": "比较应为 <=、>=、==、<、> 之一"}
    assert r.check_problems(CHECKS, FIELDS) == {}


def test_decimals_are_summed_in_hundredths():
    assert r.scaled(RATE, "33.33") == 3333 and r.scaled(TOTAL, 7) == 7
    assert r.unscaled(r.DECIMAL, 3333) == Decimal("33.33") and r.unscaled(r.INT, 7) == 7
    assert r.stored({"rate": Decimal("1.50"), "total": 3}) == {"rate": "1.50", "total": 3}


def test_every_step_goes_only_from_its_sources():
    for step, spec in r.PIPELINE.items():
        for status in r.STATUS_NAMES:
            assert (r.transition_problem(step, status) == "") == (status in spec.sources), (step, status)
    assert r.transition_problem("approve", "draft") == "“草稿”的报表不能审核通过（只有已上报的报表可以审核通过）"


def test_a_rollup_waits_for_every_child_and_an_approval_is_locked_by_the_report_above():
    assert r.children_problem(3, 2) == "下级报表尚未全部审核通过（2/3），不能上报或通过本级报表"
    assert r.children_problem(3, 3) == "" and r.children_problem(0, 0) == ""
    assert r.unapprove_problem("approved") == "上级汇总报表已审核通过，本报表已锁定；请先由上级撤销或退回"
    assert r.unapprove_problem("submitted").startswith("上级汇总报表已上报")
    assert r.unapprove_problem("returned") == r.unapprove_problem("draft") == r.unapprove_problem(None) == ""


@pytest.mark.parametrize(("kind", "day", "start", "due"), [
    ("month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 3, 10)),
    ("quarter", date(2026, 5, 1), date(2026, 4, 1), date(2026, 7, 10)),
    ("year", date(2026, 12, 31), date(2026, 1, 1), date(2027, 1, 10))])
def test_periods_and_due_dates(kind, day, start, due):
    assert r.period_start(day, kind) == start
    assert r.due_on(start, kind, 10) == due


def test_completeness_counts_submitted_approved_and_on_time_over_the_expected():
    due = date(2026, 3, 10)
    rows = [("approved", date(2026, 3, 1), due), ("submitted", date(2026, 3, 11), due), ("draft", None, due),
            ("returned", date(2026, 3, 2), due)]
    assert r.completeness(6, rows) == {"expected": 6, "submitted": 2, "approved": 1, "on_time": 2,
                                       "submitted_pct": 33.3, "approved_pct": 16.6, "on_time_pct": 33.3, "missing": 4}
    assert r.completeness(0, [])["submitted_pct"] == 0.0


def test_late_means_not_sent_up_by_the_due_date():
    due = date(2026, 3, 10)
    assert r.is_late(None, due, date(2026, 3, 11)) and r.is_late("returned", due, date(2026, 3, 11))
    assert not r.is_late(None, due, due) and not r.is_late("submitted", due, date(2027, 1, 1))
    assert r.on_time(date(2026, 3, 10), due) is True and r.on_time(date(2026, 3, 11), due) is False
    assert r.on_time(None, due) is None
