"""A county cadre on her phone connects the 公众号, a woman writes to it, the cadre sees the message."""

import pytest

from niangjia.needs.models import Need
from niangjia.wechat.models import WeChatAccount
from tests.conftest import PHONE, log_in
from tests.wechat.conftest import AES_KEY, APP_ID, TOKEN, WeChat, text_xml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_connects_the_account_and_sees_what_a_message_became(live_server, personas, phone):
    page = phone
    log_in(page, live_server.url, "east")

    # she connects the county's account in safe mode; a bad key is named first
    page.goto(f"{live_server.url}/wechat/new/")
    page.get_by_label("公众号名称").fill("东县女性")
    page.get_by_label("地址标识").fill("dongxian")
    page.get_by_label("AppID").fill(APP_ID)
    page.get_by_label("令牌（Token）").fill(TOKEN)
    page.get_by_label("消息加解密密钥（EncodingAESKey）").fill("short")
    page.get_by_role("button", name="保存").click()
    # session.js asks whether the session lives before the post leaves: wait for the answer page
    page.get_by_text("EncodingAESKey 应为 43 位").first.wait_for()
    assert WeChatAccount.objects.count() == 0
    page.get_by_label("令牌（Token）").fill(TOKEN)
    page.get_by_label("消息加解密密钥（EncodingAESKey）").fill(AES_KEY)
    page.get_by_role("button", name="保存").click()
    page.get_by_text("/p/wechat/dongxian/").first.wait_for()
    assert WeChatAccount.objects.get().mode == "safe"  # the form offers safe mode first

    # a woman writes; WeChat delivers the encrypted message
    wechat = WeChat(WeChatAccount.objects.get())
    wechat.open_reply(wechat.post_safe(text_xml("想学电商直播", msg_id="1")))

    # the cadre sees the message, sender masked, and opens the need it became
    page.reload()
    need = Need.objects.get()
    row = page.get_by_role("row").filter(has_text="oyO****0rs")
    assert "妇女需求" in row.inner_text() and need.tracking_code in row.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # the page itself does not scroll sideways
    assert page.console_errors == []
