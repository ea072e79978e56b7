"""On a 375-px phone: a leader reads the reform board; a village executive fills and submits her
report, her township returns it, she corrects it, and the township approves it."""

import os
from datetime import date
from pathlib import Path

import pytest

from niangjia.reform import services as reform
from niangjia.reports import services as reports
from niangjia.reports.models import Submission
from tests.conftest import log_in

PASSWORD = "Browser-Test-2026!"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    out = os.environ.get("NIANGJIA_SHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{out}/{name}.png", full_page=True)


def _login(page, live_server, user):
    user.set_password(PASSWORD)
    user.save()
    page.context.clear_cookies()
    log_in(page, live_server.url, user.username, PASSWORD)


def test_the_board_on_a_phone(live_server, tree, personas, admin_user, phone):
    # given a province measure due in 2016, done, and one late
    m = reform.measure_create(actor=admin_user, unit=tree.province, code="1", title="推进会改联", deadline=date(2016, 12, 31))
    reform.measure_move(actor=admin_user, measure=m, step="start", version=None, day=date(2016, 3, 1))
    reform.measure_move(actor=admin_user, measure=m, step="finish", version=None, day=date(2016, 10, 1))
    reform.measure_create(actor=admin_user, unit=tree.province, code="2", title="乡镇区域化", deadline=date(2017, 6, 30))
    # when the province leader opens 改革推进 from the menu
    _login(phone, live_server, personas.province)
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_test_id("nav-more").click()  # a leader with more modules than fit a row finds it under 更多
    phone.get_by_role("link", name="改革推进").click()
    # then the board states the computed sentence and lists the late measure
    assert phone.get_by_test_id("measure-sentence").inner_text() == \
        "2项改革措施，已启动1项；2016年到期1项，已完成1项；逾期未完成1项"
    assert phone.get_by_role("link", name="2 乡镇区域化").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "reform-board-375")
    phone.get_by_role("link", name="2 乡镇区域化").click()
    assert "进展时间线" in phone.content()
    _shot(phone, "reform-measure-375")
    assert phone.console_errors == []


def test_fill_return_correct_and_approve_a_report_on_a_phone(live_server, tree, personas, admin_user, phone):
    # given a monthly form of 东县 filled by villages
    form = reports.form_create(actor=admin_user, unit=tree.east, title="妇女之家月报", fill_level=6, period_kind="month",
                               fields=[{"key": "women", "label": "服务妇女人次", "kind": "int", "min_value": 0},
                                       {"key": "rural", "label": "其中农村", "kind": "int", "min_value": 0}],
                               checks=[{"left": "rural", "op": "<=", "right": "women"}])
    # when the village executive opens it and types "of which" over the total
    _login(phone, live_server, personas.village)
    phone.goto(f"{live_server.url}/reports/forms/{form.pk}/")
    phone.get_by_role("button", name="填报：东村妇联").click()
    phone.get_by_label("服务妇女人次").fill("30")
    phone.get_by_label("其中农村").fill("40")
    with phone.expect_navigation():
        phone.get_by_role("button", name="上报").click()
    # then the field says why and nothing went up
    phone.get_by_text("其中农村应不大于服务妇女人次（30）").first.wait_for()
    _shot(phone, "report-fill-error-375")
    phone.get_by_label("其中农村").fill("12")
    with phone.expect_navigation():
        phone.get_by_role("button", name="上报").click()
    assert phone.get_by_test_id("status").inner_text() == "已上报"
    sub = Submission.objects.get(form=form, unit=tree.east_village)
    # when the township returns it with a comment
    _login(phone, live_server, personas.township)
    phone.goto(f"{live_server.url}/reports/submissions/{sub.pk}/")
    phone.get_by_label("审核意见（退回、撤销时必填）").fill("人次与台账不符")
    with phone.expect_navigation():
        phone.get_by_role("button", name="退回").click()
    assert phone.get_by_test_id("status").inner_text() == "已退回"
    # and the village corrects it and submits again, and the township approves it
    _login(phone, live_server, personas.village)
    phone.goto(f"{live_server.url}/reports/submissions/{sub.pk}/")
    phone.get_by_text("人次与台账不符").wait_for()
    phone.get_by_label("服务妇女人次").fill("32")
    with phone.expect_navigation():
        phone.get_by_role("button", name="上报").click()
    _login(phone, live_server, personas.township)
    phone.goto(f"{live_server.url}/reports/submissions/{sub.pk}/")
    with phone.expect_navigation():
        phone.get_by_role("button", name="审核通过").click()
    # then
    assert phone.get_by_test_id("status").inner_text() == "已审核通过"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "report-approved-375")
    phone.goto(f"{live_server.url}/reports/forms/{form.pk}/?unit={tree.east_town.pk}")
    _shot(phone, "report-period-375")
    sub.refresh_from_db()
    assert (sub.status, sub.values) == ("approved", {"women": 32, "rural": 12})
    assert phone.console_errors == []
