"""A woman on her phone, no account: finds her village, describes a need, gets her tracking code,
then looks the status up with it."""

import pytest

from niangjia.needs.models import Need
from tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_woman_submits_a_need_and_looks_it_up_by_her_code(live_server, tree, catalogue, phone):
    page = phone
    # she finds her village by its name
    page.goto(f"{live_server.url}/p/needs/")
    page.get_by_label("您在哪个村（社区）？").fill("东村")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name="东村妇联").click()
    page.wait_for_url(f"**/p/needs/v/{tree.east_village.pk}/")
    assert page.get_by_text("法律咨询").first.is_visible()
    # a first try without saying what she needs is refused with a clear message
    form = page.get_by_role("form", name="说说您的需求")
    form.get_by_role("button", name="提交").click()
    assert page.get_by_text("请说说您的需求").last.is_visible()
    assert Need.objects.count() == 0
    # then she fills it in
    form = page.get_by_role("form", name="说说您的需求")
    form.get_by_label("需求类别").select_option("family_education")
    form.get_by_label("请说说您的需求").fill("孩子沉迷手机，想请家庭教育老师指导")
    form.get_by_label("联系电话（选填，方便工作人员联系您）").fill("13800138000")
    form.get_by_role("button", name="提交").click()
    page.wait_for_url("**/p/needs/done/**")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    need = Need.objects.get()
    assert code == need.code_display and need.category == "family_education"
    # the page fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # later she looks it up with her code
    page.goto(f"{live_server.url}/p/needs/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("track-status").inner_text() == "已登记"
    assert "13800138000" not in page.content() and "沉迷手机" not in page.content()
    # the refused first try answered 400 on purpose; nothing else may fail
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_a_woman_orders_a_service_and_rates_it_by_her_code(live_server, tree, personas, catalogue, phone):
    from niangjia.needs import services
    from niangjia.needs.models import ServiceOrder

    page = phone
    # she opens her village's page and picks a service from its catalogue
    page.goto(f"{live_server.url}/p/needs/v/{tree.east_village.pk}/")
    page.get_by_role("link", name="法律咨询").click()
    form = page.get_by_role("form", name="预约服务")
    assert form.get_by_text("预约：法律咨询").is_visible()
    form.get_by_label("请说说您的需求").fill("想咨询土地确权的事")
    form.get_by_role("button", name="提交").click()
    page.wait_for_url("**/p/needs/done/**")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    need = Need.objects.get()
    assert (need.requested_service, need.category) == (catalogue.legal, "legal")
    # the federation sends the order and the provider delivers it
    order = services.order_create(actor=personas.east, need=need, service=catalogue.legal, provider=catalogue.provider)
    services.order_deliver(actor=personas.east, order=order, version=order.version, outcome="律师上门解答")
    # she looks it up with her code and rates the service
    page.goto(f"{live_server.url}/p/needs/track/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    rate = page.get_by_role("form", name="评价")
    assert rate.get_by_text("请为“法律咨询”打分").is_visible()
    rate.get_by_label("4 满意").check()
    rate.get_by_label("意见建议（选填）").fill("律师很耐心")
    rate.get_by_role("button", name="提交评价").click()
    assert page.get_by_role("status").inner_text().strip() == "谢谢您的评价！"
    order.refresh_from_db()
    assert (order.rating, order.rating_comment, order.rated_by_woman) == (4, "律师很耐心", True)
    assert "已评价 4 分" in page.content() and ServiceOrder.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []
