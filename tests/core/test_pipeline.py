"""core.pipeline: a status machine as a table of steps, checked in one place (permission → reach →
status → guard), one refusal (409, invalid_transition), the buttons and the docs table from the table."""

from pathlib import Path

import pytest

from niangjia.core.errors import Conflict, ErrorCode, Forbidden, NotFound
from niangjia.core.pipeline import BY_TARGET, Pipeline, Step, TransitionRefused, docs
from tests.conftest import make_user

DOCS = Path(__file__).resolve().parents[2] / "docs" / "pipelines.md"


class Rec:
    """A record at a place: status plus the ancestor columns core.scope reads."""

    def __init__(self, unit, status, ready=True):
        self.status, self.ready, self.unit, self.unit_id = status, ready, unit, unit.pk
        for n in range(1, 7):
            setattr(self, f"l{n}", getattr(unit, f"l{n}"))


def _pipeline(name="test.demo", **kw):
    return Pipeline(name, noun="申请", statuses={"new": "新建", "open": "办理中", "done": "已办结"}, steps=(
        Step("start", "开始", {"new"}, "open", "needs.handle"),
        Step("finish", "办结", {"open"}, "done", "needs.manage", guard=lambda r: "" if r.ready else "材料未齐"),
    ), register=False, **kw)


def test_a_step_from_its_sources_passes_and_returns_the_step(tree, personas):
    # given a cadre holding needs.handle, a record at her place
    p = _pipeline()
    # when she starts a new record / then the step comes back
    assert p.check(personas.east, Rec(tree.east_village, "new"), "start").target == "open"


def test_a_step_from_another_status_is_refused_with_409_and_one_code(tree, personas):
    p = _pipeline()
    with pytest.raises(TransitionRefused) as exc:
        p.check(personas.east, Rec(tree.east_village, "done"), "start")
    assert (exc.value.status, exc.value.code) == (409, ErrorCode.TRANSITION)
    assert isinstance(exc.value, Conflict)
    assert exc.value.message == "“已办结”的申请不能开始（只有新建的申请可以开始）"
    assert exc.value.fields == {"status": exc.value.message}


def test_permission_comes_before_reach_and_reach_before_status(tree, personas):
    p = _pipeline()
    # west may handle needs but the record is outside her reach: 404 even though the status is wrong too
    with pytest.raises(NotFound):
        p.check(personas.west, Rec(tree.east_village, "done"), "start")
    # a user without the permission: 403 before the reach is looked at
    nobody = make_user("nobody", [], [tree.east])
    with pytest.raises(Forbidden):
        p.check(nobody, Rec(tree.west_village, "done"), "start")


def test_a_guard_refuses_after_the_status_passes(tree, personas):
    p = _pipeline()
    admin = make_user("mgr", ["admin"], [tree.nation])
    with pytest.raises(TransitionRefused) as exc:
        p.check(admin, Rec(tree.east_village, "open", ready=False), "finish")
    assert exc.value.message == "材料未齐"
    assert p.check(admin, Rec(tree.east_village, "open"), "finish").name == "finish"


def test_an_unknown_step_is_refused():
    with pytest.raises(TransitionRefused) as exc:
        _pipeline().check(None, None, "fly")
    assert exc.value.message == "未知的步骤：fly"


def test_allowed_lists_only_the_steps_the_user_may_take_now(tree, personas):
    p = _pipeline()
    admin = make_user("mgr", ["admin"], [tree.nation])
    assert [s.name for s in p.allowed(personas.east, Rec(tree.east_village, "new"))] == ["start"]
    assert p.allowed(personas.village, Rec(tree.east_village, "new")) == []  # no needs.handle
    assert [s.name for s in p.allowed(admin, Rec(tree.east_village, "open"))] == ["finish"]
    assert p.allowed(admin, Rec(tree.east_village, "open", ready=False)) == []  # the guard hides the button


def test_moves_by_target_status_explain_with_the_target():
    p = _pipeline(name="test.by_target", refusal=BY_TARGET)
    assert p.may_move("new", "open") and not p.may_move("new", "done")
    assert p.targets_from("open") == ["done"]
    assert p.move_problem("new", "done") == "申请当前为“新建”，不能变为“已办结”"


def test_a_step_naming_an_unknown_status_is_a_declaration_error():
    with pytest.raises(ValueError):
        Pipeline("test.bad", noun="x", statuses={"a": "甲"}, steps=(Step("go", "去", {"a"}, "b", "p"),), register=False)


def test_the_docs_table_is_generated_from_the_step_tables():
    # every pipeline of the house is in docs/pipelines.md as its tables say (regenerate: see the file's head)
    text = docs()
    for name in ("needs.need", "needs.order"):
        assert f"### {name}" in text
    assert DOCS.read_text(encoding="utf-8") == text, "run: niangjia shell -c 'from niangjia.core.pipeline import " \
                                                     "write_docs; write_docs()'"
