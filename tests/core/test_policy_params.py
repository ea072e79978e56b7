"""Policy figures as parameters: which are editable, how form input parses, which values are refused."""

import pytest

from niangjia.core import policy_params as pp

DEADLINES = {"critical_days": 1, "normal_days": {"legal": 10, "other": 15}, "note": "x"}
SCORING = {"weight_project": 40, "weight_expert": 30, "weight_jury": 30, "method_jury": "trimmed",
           "tie_break": "jury,expert", "count_trip": False, "levels": [2]}


def test_ints_bools_choices_and_nested_int_dicts_are_parameters_the_rest_is_structure():
    assert [p.path for p in pp.parameters("x", DEADLINES)] == ["critical_days", "normal_days.legal", "normal_days.other"]
    assert [(p.path, p.kind) for p in pp.parameters("s", SCORING)] == [
        ("weight_project", "int"), ("weight_expert", "int"), ("weight_jury", "int"), ("method_jury", "choice"),
        ("count_trip", "bool")]
    assert [label for label, _ in pp.structure("s", SCORING)] == ["同分排序规则", "levels"]


def test_labels_prefer_the_policy_specific_one():
    assert pp.label_of("contacts.not_heard_from", "days") == "超过多少天未联系即提醒"
    assert pp.label_of("awards.notice", "days") == "公示期（天）"
    assert pp.label_of("anything", "unknown_name") == "unknown_name"


def test_parse_reads_form_strings_and_nests_them():
    value, errors = pp.parse("x", DEADLINES, {"critical_days": "2", "normal_days.legal": " 7 ", "normal_days.other": "0"})
    assert errors == {}
    assert value == {"critical_days": 2, "normal_days": {"legal": 7, "other": 0}}


def test_parse_names_each_bad_field_in_chinese():
    _, errors = pp.parse("x", DEADLINES, {"critical_days": "", "normal_days.legal": "三", "normal_days.other": "-1"})
    assert errors == {"critical_days": "请填写“特急需求办理期限（天）”",
                      "normal_days.legal": "“一般需求·法律服务（天）”应为整数",
                      "normal_days.other": "“一般需求·其他（天）”不能为负数"}


def test_an_absent_checkbox_is_false_and_a_bad_choice_is_refused():
    value, errors = pp.parse("s", SCORING, {"weight_project": "40", "weight_expert": "30", "weight_jury": "30",
                                            "method_jury": "median"})
    assert value["count_trip"] is False
    assert errors == {"method_jury": "“群众评审团计分方法”只能选择：平均分、去掉一个最高分和一个最低分后平均"}


@pytest.mark.parametrize(("path", "number", "ok"), [
    ("tolerance_pct", 100, True), ("tolerance_pct", 101, False), ("weight_jury", 100, True),
    ("weight_jury", 101, False), ("list_from_month", 12, True), ("list_from_month", 13, False),
    ("list_from_month", 0, False), ("list_from_day", 31, True), ("list_from_day", 32, False),
    ("days", pp.MAX_INT, True), ("days", pp.MAX_INT + 1, False), ("days", 0, True), ("days", -1, False),
])
def test_int_bounds(path, number, ok):
    assert (pp.int_problem(pp.Param(path, path, "int"), number) == "") is ok


@pytest.mark.parametrize(("weights", "ok"), [((40, 30, 30), True), ((40, 30, 31), False), ((100, 0, 0), True),
                                             ((0, 0, 0), False)])
def test_weights_must_sum_to_100(weights, ok):
    value = dict(zip(("weight_project", "weight_expert", "weight_jury"), weights, strict=True))
    assert (pp.whole_problems("selection.scoring", value) == {}) is ok


def test_changed_from_keeps_only_what_differs_nested_dicts_whole():
    base = {"a": 1, "b": {"x": 1, "y": 2}, "c": True}
    assert pp.changed_from(base, {"a": 1, "b": {"x": 1, "y": 3}, "c": True}) == {"b": {"x": 1, "y": 3}}
    assert pp.changed_from(base, dict(base)) == {}
