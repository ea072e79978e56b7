"""A jury member (群众评审团) on her phone: opens the one-time link staff sent her, reads each project,
scores everyone, is told what is missing, submits once; the link then refuses a second use."""

import os
from pathlib import Path

import pytest

from niangjia.selection.models import Score
from tests.conftest import PHONE
from tests.selection.conftest import add_scorers, close_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    out = os.environ.get("NIANGJIA_SHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=True)


def test_jury_member_scores_on_her_phone(live_server, sel, personas, phone):
    # given the call closed and a juror named, with her link
    close_call(personas.east, sel.selection)
    (scorer, token), = add_scorers(personas.east, sel.parts["jury"], 1, prefix="村民代表")
    page = phone
    page.on("dialog", lambda d: d.accept())  # the "submit once" confirmation

    # when she opens the link on her phone
    page.goto(f"{live_server.url}/p/selection/score/{token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "东县公开选配 · 群众评审团"
    cards = page.get_by_test_id("candidate-card")
    assert cards.count() == 4
    assert "留守妇女就业难" in cards.first.inner_text()
    # nothing overflows the 375-px screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "selection-01-score")

    # she scores three, forgets one, and is told which
    for name, value in (("甲", "88"), ("乙", "92.5"), ("丙", "79")):
        page.get_by_label(f"给 {name} 打分").fill(value)
    page.get_by_role("button", name="提交全部分数").click()
    page.get_by_text("丁的分数：请打分").wait_for()
    assert Score.objects.count() == 0
    assert page.get_by_label("给 乙 打分").input_value() == "92.5"  # what she typed is kept
    shot(page, "selection-02-missing")

    # then scores the last one and submits
    page.get_by_label("给 丁 打分").fill("70")
    page.get_by_role("button", name="提交全部分数").click()
    page.get_by_role("heading", name="评分已提交，谢谢您！").wait_for()
    shot(page, "selection-03-done")
    assert sorted(str(v) for v in Score.objects.filter(scorer=scorer).values_list("value", flat=True)) == [
        "70.00", "79.00", "88.00", "92.50"]

    # and the link cannot be used again
    page.goto(f"{live_server.url}/p/selection/score/{token}/")
    assert "此链接已经使用过" in page.content()
    # the refused submit (400) and reuse (409) are expected statuses, not script errors
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []
