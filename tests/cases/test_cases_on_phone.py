"""On a phone: the operator turns a call into a need in one screen; the worker closes a case (confirming)."""

import pytest
from conftest import PHONE, log_in
from django.utils import timezone

from niangjia.cases import intake, services
from niangjia.cases.models import Case, HotlineCall
from tests.cases.conftest import open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Niangjia-Test-2026!"


def test_operator_turns_a_call_into_a_need_on_her_phone(live_server, staff, tree, phone):
    # given a new call
    call, _ = intake.call_receive(actor=staff.hotline, call_id="P-1", started_at=timezone.now(), caller="13900006666",
                                  duration_seconds=120, operator="hotline", notes="咨询孩子抚养权")
    page = phone
    log_in(page, live_server.url, "hotline")
    page.goto(f"{live_server.url}/cases/hotline/")
    page.get_by_test_id("call-row").first.click()
    page.wait_for_url(f"**/cases/hotline/{call.pk}/")
    # the case part shows first; choosing "need" swaps the form in place
    assert page.get_by_label("情况陈述").is_visible()
    page.get_by_label("登记为妇女需求").check()
    assert not page.get_by_label("情况陈述").is_visible()
    page.get_by_label("需求类别").select_option("legal")
    page.get_by_label("需求内容").fill("咨询离婚后孩子抚养权")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/cases/hotline/")
    assert "已登记为妇女需求" in page.content()
    assert HotlineCall.objects.get().status == "need"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []


def test_worker_closes_a_case_after_confirming(live_server, staff, tree, phone):
    case = open_case(staff, tree)
    services.case_transition(actor=staff.worker, case=case, to="assessment")
    page = phone
    log_in(page, live_server.url, "worker")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.get_by_test_id("case-status").inner_text() == "评估"
    page.locator("#close summary").click()
    page.get_by_label("结案方式").select_option("resolved")
    page.get_by_label("结案理由").fill("已调解，对方写下保证书")
    page.get_by_label("当事人满意度").select_option("5")
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="结案", exact=True).click()
    # session.js asks whether the session lives before the post leaves: wait for the answer page
    page.locator('[data-testid="case-status"]', has_text="已结案").wait_for()
    assert dialogs and "确定结案" in dialogs[0]
    assert page.get_by_test_id("case-status").inner_text() == "已结案"
    assert Case.objects.get().satisfaction == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []


def test_marking_a_call_as_needing_nothing_asks_first(live_server, staff, tree, phone):
    call, _ = intake.call_receive(actor=staff.hotline, call_id="P-2", started_at=timezone.now(), caller="13900007777",
                                  duration_seconds=15, operator="hotline", notes="")
    page = phone
    log_in(page, live_server.url, "hotline")
    page.goto(f"{live_server.url}/cases/hotline/{call.pk}/")
    page.get_by_label("无需处理", exact=True).check()
    page.get_by_label("无需处理的原因").fill("打错电话")
    # when she cancels the confirmation nothing is sent
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_role("button", name="保存").click()
    page.wait_for_timeout(300)
    assert dialogs and "无需处理" in dialogs[0]
    assert HotlineCall.objects.get().status == "new"
    # when she confirms it is marked
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/cases/hotline/")
    assert HotlineCall.objects.get().status == "no_action"
    assert page.console_errors == []
