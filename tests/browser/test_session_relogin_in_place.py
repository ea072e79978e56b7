"""An executive member's session lapses while she types: saving asks for her password in place and
then saves what she typed, by htmx (the checklist card) and by a plain form (the full record page)."""

import pytest
from django.contrib.sessions.models import Session

from niangjia.duties.models import Evidence
from tests.conftest import log_in
from tests.duties.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _relogin_in_place(page):
    dialog = page.get_by_role("dialog", name="登录已过期")
    dialog.wait_for()
    assert dialog.get_by_label("用户名").input_value() == "exec_a"
    dialog.get_by_label("密码").fill(PASSWORD)
    dialog.get_by_role("button", name="登录并继续").click()


def test_htmx_save_after_the_session_lapsed_asks_in_place_and_keeps_the_text(live_server, duty, phone):
    # given she is typing evidence into her checklist card
    page = phone
    log_in(page, live_server.url, "exec_a")
    page.goto(f"{live_server.url}/duties/")
    card = page.locator(f"#item-{duty.a.id}-{duty.items['contact_delegate'].id}")
    card.get_by_role("link", name="记录").click()
    form = card.get_by_role("form", name="记录：经常联系妇女代表")
    form.get_by_label("做了什么").fill("走访代表王芳，听取对妇女之家的建议")
    # when the server forgets her session and she taps 保存
    Session.objects.all().delete()
    form.get_by_role("button", name="保存").click()
    # then she is asked for her password in place (no login page in the card), and the text is still there
    _relogin_in_place(page)
    card.get_by_text("已记录").wait_for()
    assert Evidence.objects.filter(what="走访代表王芳，听取对妇女之家的建议", assignment=duty.a).count() == 1
    assert "娘家 · 妇联工作平台" not in card.inner_text()
    assert page.page_errors == []  # the lapsed session's 401 is in the console on purpose


def test_plain_save_after_the_session_lapsed_asks_in_place_and_keeps_the_text(live_server, duty, phone):
    # given the full-page record form (a plain post)
    page = phone
    log_in(page, live_server.url, "exec_a")
    page.goto(f"{live_server.url}/duties/a/{duty.a.id}/items/{duty.items['contact_delegate'].id}/record/")
    page.get_by_label("做了什么").fill("入户走访李梅")
    page.get_by_label("和谁").fill("李梅")
    # when the session lapses and she taps 保存
    Session.objects.all().delete()
    page.get_by_role("button", name="保存").click()
    # then the password is asked in place, and the record is saved with what she typed
    _relogin_in_place(page)
    page.wait_for_url("**/duties/**")
    page.get_by_text("已记录：经常联系妇女代表").wait_for()
    ev = Evidence.objects.get(what="入户走访李梅")
    assert ev.with_whom == "李梅"
    assert page.page_errors == []  # the lapsed session's 401 is in the console on purpose
