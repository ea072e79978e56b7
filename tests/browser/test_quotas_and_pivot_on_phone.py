"""On a 375-px phone (and a 1280-px desktop): a city leader reads her establishment cuts (机构编制) and a
statistician builds a pivot, saves it, opens it again and deletes it after confirming — nothing wider
than the screen but the tables' own scroll."""

from datetime import date

import pytest
from api.helpers import build_records

from niangjia.org import services as org
from niangjia.stats.models import SavedPivot
from tests.browser.test_reform_and_reports_on_phone import _login, _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _quotas(tree, admin):
    for unit, rows in ((tree.city, [(2015, 15, 4, 5), (2017, 12, 3, 4)]), (tree.east, [(2015, 10, 2, 1), (2017, 8, 2, 1)])):
        for year, staff, departments, institutions in rows:
            org.quota_record(actor=admin, unit=unit, effective_on=date(year, 1, 1), staff=staff,
                             departments=departments, institutions=institutions)


def test_quota_cuts_and_a_saved_pivot_on_a_phone(live_server, tree, personas, admin_user, phone):
    build_records(tree, admin_user)
    _quotas(tree, admin_user)
    _login(phone, live_server, personas.province)
    phone.goto(f"{live_server.url}/org/{tree.city.id}/quotas/?base=2016-01-01&on=2019-01-01")
    assert "2 个组织可比，1 个达标" in phone.get_by_test_id("cut-summary").inner_text()
    assert "未达标" in phone.get_by_test_id("cut").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(phone, "quotas-375")
    phone.goto(f"{live_server.url}/stats/pivot/?metric=activity&rows=unit&cols=quarter&unit={tree.city.id}"
               "&start=2025-01&end=2025-12")
    table = phone.get_by_test_id("pivot").inner_text()
    assert "东县妇联" in table and "西县妇联" in table and "2025年第1季度" in table
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_label("保存为").fill("各县季度活动")
    phone.get_by_role("button", name="保存这个透视表").click()
    phone.get_by_test_id("saved-views").get_by_role("link", name="各县季度活动").wait_for()
    _shot(phone, "pivot-375")
    phone.goto(f"{live_server.url}/stats/pivot/")
    phone.get_by_test_id("saved-views").get_by_role("link", name="各县季度活动").click()
    phone.get_by_test_id("pivot").wait_for()
    assert "cols=quarter" in phone.url
    phone.once("dialog", lambda d: d.accept())  # 确定删除透视表“各县季度活动”？
    phone.get_by_test_id("saved-views").get_by_role("button", name="删除").click()
    phone.get_by_text("已删除透视表").wait_for()
    assert not SavedPivot.objects.exists()
    assert phone.console_errors == []


def test_the_same_pages_at_desktop_width(live_server, tree, personas, admin_user, browser):
    build_records(tree, admin_user)
    _quotas(tree, admin_user)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    _login(page, live_server, personas.province)
    page.goto(f"{live_server.url}/org/{tree.city.id}/quotas/?base=2016-01-01&on=2019-01-01")
    page.get_by_test_id("cut").wait_for()
    _shot(page, "quotas-1280")
    page.goto(f"{live_server.url}/stats/pivot/?metric=activity&rows=category&cols=month&unit={tree.city.id}"
              "&start=2025-01&end=2025-12")
    assert "培训" in page.get_by_test_id("pivot").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    _shot(page, "pivot-1280")
    ctx.close()
