"""Women on their phones: a public nomination, then an evaluation through a one-time link; a cadre
answers an objection from her phone."""

import pytest

from niangjia.awards import evaluation, services
from niangjia.awards.models import Ballot, Nomination, Objection
from tests.awards.conftest import PHONE_A, org_nom, to_evaluation
from tests.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_woman_nominates_from_her_phone(live_server, tree, rnd, phone):
    page = phone
    page.goto(f"{live_server.url}/p/awards/{rnd.code}/")
    page.get_by_role("link", name="我要推荐").click()
    form = page.get_by_role("form", name="社会推荐")
    form.get_by_label("被推荐人所在地区").select_option(label="东县妇联")
    form.get_by_label("被推荐人姓名（或集体名称）").fill("赵敏")
    form.get_by_label("被推荐人所在单位或村（社区）").fill("东村")
    form.get_by_label("主要事迹").fill("十年如一日照顾村里孤寡老人")
    form.get_by_label("您的姓名").fill("张三")
    form.get_by_label("您的手机号（仅工作人员可见，用于核实）").fill("1380013")  # too short first
    form.get_by_role("button", name="提交推荐").click()
    assert "手机号" in page.locator(".invalid-feedback").first.inner_text()
    assert fits(page)
    assert all("400" in e for e in page.console_errors)  # the refused form answers 400, by design
    page.console_errors.clear()
    page.get_by_label("您的手机号（仅工作人员可见，用于核实）").fill(PHONE_A)
    page.get_by_role("button", name="提交推荐").click()
    page.get_by_text("已收到您对").wait_for()
    assert len(page.get_by_test_id("tracking-code").inner_text()) == 9
    assert Nomination.objects.get().nominee_name == "赵敏"
    assert fits(page) and page.console_errors == []


def test_a_woman_evaluates_through_her_link(live_server, tree, personas, city, rnd, phone):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    to_evaluation(city, rnd, [a, b])
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    page = phone
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{live_server.url}/p/awards/evaluate/{token}/")
    page.get_by_label("乙").check()
    page.get_by_role("button", name="提交评议").click()
    page.get_by_text("您的评议已提交").wait_for()
    assert Ballot.objects.get().marks.get().nomination_id == b.pk
    assert fits(page) and page.console_errors == []


def test_a_cadre_answers_an_objection_on_her_phone(live_server, tree, personas, city, rnd, phone):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    to_evaluation(city, rnd, [a])
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    obj, _ = services.objection_file(rnd=rnd, nomination_id=a.pk, text="事迹有出入")
    page = phone
    page.on("dialog", lambda d: d.accept())
    log_in(page, live_server.url, "city")
    page.goto(f"{live_server.url}/awards/{rnd.pk}/objections/")
    form = page.get_by_role("form", name=f"答复异议 {obj.tracking_code}")
    form.get_by_label("异议不成立").check()
    form.get_by_label("答复内容").fill("经核实，事迹属实")
    form.get_by_role("button", name="提交答复").click()
    page.get_by_text("已答复异议").wait_for()
    assert Objection.objects.get().outcome == "dismissed"
    assert fits(page) and page.console_errors == []
