"""On a 375-px phone: a city leader reads 覆盖与达标 (cards, the schematic map, the units side by side)
and a figure's page (every county with last year's count), with nothing wider than the screen."""

import pytest
from api.helpers import build_records

from tests.browser.test_reform_and_reports_on_phone import _login, _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coverage_and_a_figure_on_a_phone(live_server, tree, personas, admin_user, phone):  # noqa: F811
    build_records(tree, admin_user)
    _login(phone, live_server, personas.province)
    phone.goto(f"{live_server.url}/stats/coverage/?unit={tree.city.id}&start=2024-01&end=2026-12")
    rows = phone.get_by_test_id("coverage-rows")
    assert "东县妇联" in rows.inner_text() and "西县妇联" in rows.inner_text()
    assert "甲一市妇联" in phone.get_by_test_id("hotline-missing").inner_text()
    phone.locator(".nj-chart canvas").first.wait_for()  # the schematic map is drawn
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "coverage-375")
    phone.goto(f"{live_server.url}/stats/figures/village_conversion/?unit={tree.city.id}&start=2025-01&end=2025-12")
    table = phone.get_by_test_id("children").inner_text()
    assert "东县妇联" in table and "西县妇联" in table  # zeros listed
    assert "上年同期 3" in phone.get_by_test_id("prior").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "figure-375")
    assert phone.console_errors == []


def test_defining_a_report_form_on_a_phone(live_server, tree, admin_user, phone):  # noqa: F811
    _login(phone, live_server, admin_user)
    phone.goto(f"{live_server.url}/reports/forms/new/")
    phone.get_by_label("报表名称").fill("妇女之家月报")
    phone.locator("#f0_key").fill("women")
    phone.locator("#f0_label").fill("服务妇女人次")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "report-definition-375")
    phone.get_by_role("button", name="保存报表定义").click()
    phone.get_by_role("heading", name="妇女之家月报").wait_for()  # the new form's page
