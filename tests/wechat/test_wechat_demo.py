"""The demo account: 安吉县妇联 in safe mode with messages that became needs (or suggestions)."""

from datetime import date
from types import SimpleNamespace

import pytest

from niangjia.demo.fake import Fake
from niangjia.needs.models import Need
from niangjia.wechat import demo, protocol, services
from niangjia.wechat.models import WeChatAccount, WeChatMessage
from tests.wechat.conftest import WeChat, text_xml

pytestmark = pytest.mark.django_db


def _load(tree, admin_user):
    ctx = SimpleNamespace(by_name={"安吉县": SimpleNamespace(fed=tree.east)}, admin=admin_user,
                          fake=Fake(1, date(2026, 3, 8)), counts={})
    demo.load(ctx)
    return ctx


def test_the_demo_account_is_safe_mode_with_received_messages(tree, admin_user):
    ctx = _load(tree, admin_user)
    account = WeChatAccount.objects.get()
    assert (account.mode, account.slug, account.unit_id) == ("safe", demo.DEMO_SLUG, tree.east.pk)
    assert WeChatMessage.objects.count() == len(demo.MESSAGES) == ctx.counts["wechat_messages"]
    made = WeChatMessage.objects.filter(outcome="need").count()
    assert Need.objects.filter(channel="wechat").count() == made >= 4
    assert Need.objects.filter(category="rights", urgency="urgent").exists()


def test_the_demo_secrets_work_against_the_callback(tree, admin_user):
    _load(tree, admin_user)
    account = WeChatAccount.objects.get()
    token, key = services.secrets_of(account)
    assert (token, key) == (demo.DEMO_TOKEN, protocol.aes_key(demo.DEMO_AES_KEY))
    wechat = WeChat(account, token=demo.DEMO_TOKEN, aes_key=demo.DEMO_AES_KEY, app_id=demo.DEMO_APP_ID)
    reply = wechat.open_reply(wechat.post_safe(text_xml("想学电商直播", msg_id="1")))
    assert "查询码" in reply["Content"]


def test_no_anji_means_no_demo_account(tree, admin_user):
    demo.load(SimpleNamespace(by_name={}, admin=admin_user, fake=Fake(1, date(2026, 3, 8)), counts={}))
    assert WeChatAccount.objects.count() == 0
