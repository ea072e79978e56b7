"""On a phone: a cadre pairs a woman on a stay with the search picker, and a statistician opens a
diary written in her subtree."""

from datetime import date, timedelta

import pytest

from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import FieldStay
from tests.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cadre_pairs_a_woman_on_her_stay(live_server, tree, personas, fw_people, phone):  # noqa: F811
    page = phone
    log_in(page, live_server.url, "east")
    page.goto(f"{live_server.url}/fieldwork/")
    form = page.locator("form", has=page.get_by_role("button", name="记录（已完成）"))
    if not form.is_visible():
        page.get_by_text("记录蹲点").click()
    day = max(date(date.today().year, 1, 1), date.today() - timedelta(days=1))
    form.get_by_label("或搜索地点").fill("东村妇联")
    form.get_by_label("开始日期").fill(day.isoformat())
    form.get_by_label("结束日期").fill(day.isoformat())
    # when she types part of the woman's name, the picker lists her; she picks her
    form.get_by_label("结对妇女（选填）").fill("东村妇")
    pick = page.get_by_role("radio", name="东村妇女")
    pick.wait_for()
    pick.check()
    form.get_by_role("button", name="记录（已完成）").click()
    page.get_by_text("已记录：东村妇联").wait_for()
    # then the stay is paired with her
    assert FieldStay.objects.get(person=fw_people.east).paired_with == fw_people.woman
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []


def test_a_statistician_opens_a_diary_in_her_subtree(live_server, tree, personas, fw_people, phone):  # noqa: F811
    diary = fw.diary_write(actor=personas.village, person=fw_people.village, place=tree.east_village,
                           date=date.today(), title="东村夜访", text="听取返乡妇女的创业需求。", women_met=6)
    page = phone
    log_in(page, live_server.url, "stats")
    page.goto(f"{live_server.url}/fieldwork/diaries/")
    page.get_by_role("link", name="东村夜访").click()
    page.wait_for_url(f"{live_server.url}/fieldwork/diaries/{diary.pk}/")
    assert "听取返乡妇女的创业需求" in page.inner_text("body")
    assert page.get_by_text("修改日记").count() == 0 and page.get_by_role("link", name="写日记").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []
