"""A provincial leader on her phone: logs a field stay and sees her days rise against the 60-day rule,
then writes a women's-situation diary that registers a need in the needs ledger."""

from datetime import date, timedelta

import pytest

from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Diary, FieldStay
from niangjia.needs.models import Need
from tests.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def the_new_stay(today: date) -> tuple[date, date]:
    """Three days ending today (fewer in the first days of January: a stay stays inside the year)."""
    return max(date(today.year, 1, 1), today - timedelta(days=2)), today


def test_leader_logs_a_stay_and_a_diary_on_her_phone(live_server, tree, personas, fw_people, adopted, phone):
    today = date.today()
    start, end = the_new_stay(today)
    # given 38 days already done this year (fewer if the year is younger than that), before the new stay
    seeded = min(38, (start - date(today.year, 1, 1)).days)
    if seeded:
        fw.stay_log(actor=personas.province, person=fw_people.province, place=tree.east_village,
                    start=date(today.year, 1, 1), end=date(today.year, 1, 1) + timedelta(days=seeded - 1))
    page = phone
    log_in(page, live_server.url, "province")

    # when she opens 下基层 she sees her standing against the provincial leaders' rule
    page.goto(f"{live_server.url}/fieldwork/")
    card = page.locator(".card", has_text="省妇联领导每年下基层不少于60天").first
    assert f"{seeded} / 60 天" in card.inner_text()

    # and logs a stay in 东村 with the quick form
    form = page.locator("form", has=page.get_by_role("button", name="记录（已完成）"))
    if not form.is_visible():
        page.get_by_text("记录蹲点").click()
    form.get_by_label("或搜索地点").fill("东村妇联")
    form.get_by_label("开始日期").fill(start.isoformat())
    form.get_by_label("结束日期").fill(end.isoformat())
    form.get_by_role("button", name="记录（已完成）").click()

    # then the page says so and her days went up by the stay's length
    days = (end - start).days + 1
    page.get_by_text(f"已记录：东村妇联 {days} 天").wait_for()
    card = page.locator(".card", has_text="省妇联领导每年下基层不少于60天").first
    assert f"{seeded + days} / 60 天" in card.inner_text()
    assert FieldStay.objects.filter(person=fw_people.province, status="done").count() == (2 if seeded else 1)

    # when she logs the same days again, the overlap is refused in Chinese and nothing is written
    form = page.locator("form", has=page.get_by_role("button", name="记录（已完成）"))
    if not form.is_visible():
        page.get_by_text("记录蹲点").click()
    form.get_by_label("或搜索地点").fill("东村妇联")
    form.get_by_label("开始日期").fill(start.isoformat())
    form.get_by_label("结束日期").fill(end.isoformat())
    form.get_by_role("button", name="记录（已完成）").click()
    page.locator(".invalid-feedback, .alert-danger, .errorlist").first.wait_for()
    assert "重叠" in page.content() or "重复" in page.content()
    assert FieldStay.objects.filter(person=fw_people.province, status="done").count() == (2 if seeded else 1)
    # the refused form answers 400 on purpose; Chromium logs that status as a console error
    assert all("400" in e for e in page.console_errors)
    page.console_errors.clear()

    # when she writes a diary from the same village and notes a need she heard
    page.goto(f"{live_server.url}/fieldwork/diaries/new/")
    page.get_by_label("或搜索地点").fill("东村妇联")
    page.locator("#id_title").fill("东村留守妇女就业情况")
    page.locator("#id_text").fill("走访东村三户留守妇女，均希望在村里学手艺就近就业。")
    page.get_by_label("接触妇女人数").fill("3")
    page.locator("#need-1-category").select_option(index=1)
    page.locator("#need-1-description").fill("希望开办电商直播技能培训班")
    page.get_by_role("button", name="保存日记").click()

    # then the diary shows the need, which is in the needs ledger, linked to the diary
    page.get_by_text("希望开办电商直播技能培训班").wait_for()
    diary = Diary.objects.get(person=fw_people.province)
    need = Need.objects.get(description__contains="电商直播")
    assert diary.title == "东村留守妇女就业情况" and diary.women_met == 3
    assert need.unit_id == tree.east_village.pk and (need.source_type, need.source_id) == ("fieldwork.diary", diary.pk)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []
