"""An executive member on her phone: logs in, opens her checklist, records evidence, sees progress move."""

import os
from pathlib import Path

import pytest

from niangjia.duties.models import Evidence
from tests.conftest import PHONE, log_in
from tests.duties.conftest import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    out = os.environ.get("NIANGJIA_SHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=True)


def test_executive_records_evidence_and_sees_her_progress(live_server, duty, phone):
    # given 执委甲 with two delegate contacts already recorded
    record(duty.exec_a, duty.a, duty.items["contact_delegate"], 2)
    page = phone
    log_in(page, live_server.url, "exec_a")
    # her home page shows her checklist progress
    assert page.get_by_test_id("home-duty-done").inner_text() == "0/8"
    shot(page, "duties-01-home")

    # when she opens her checklist
    page.get_by_role("link", name="去记录").click()
    page.wait_for_url("**/duties/")
    card = page.locator(f"#item-{duty.a.id}-{duty.items['contact_delegate'].id}")
    assert "2/5–7 名代表" in card.get_by_test_id("item-progress").inner_text()
    shot(page, "duties-02-checklist")

    # and records a third delegate contact in a few taps
    card.get_by_role("link", name="记录").click()
    form = card.get_by_role("form", name="记录：经常联系妇女代表")
    form.get_by_label("做了什么").fill("走访妇女代表王芳，听取对妇女之家的建议")
    form.get_by_label("和谁").fill("王芳")
    shot(page, "duties-03-form")
    form.get_by_role("button", name="保存").click()

    # then the card shows 3/5–7 without leaving the page
    card = page.locator(f"#item-{duty.a.id}-{duty.items['contact_delegate'].id}")
    card.get_by_text("已记录").wait_for()
    assert "3/5–7 名代表" in card.get_by_test_id("item-progress").inner_text()
    assert Evidence.objects.filter(assignment=duty.a, status="recorded").count() == 3

    # and finishing the proposal item moves her total from 0/8 to 1/8
    proposal = page.locator(f"#item-{duty.a.id}-{duty.items['proposal'].id}")
    proposal.get_by_role("link", name="记录").click()
    proposal.get_by_label("做了什么").fill("提交《关于设立儿童托管点的建议案》")
    proposal.get_by_role("button", name="保存").click()
    page.locator(f"#summary-{duty.a.id}").get_by_text("已完成 1/8 项").wait_for()
    assert "1/至少 1 份" in page.locator(f"#item-{duty.a.id}-{duty.items['proposal'].id}").inner_text()
    shot(page, "duties-04-saved")

    # and nothing overflows the phone, and the page raised no errors (CSP included)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []
