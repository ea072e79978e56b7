"""WeChat intake fixtures: a plaintext and a safe-mode account for 东县妇联, and a client that
signs (and in safe mode encrypts) messages exactly as WeChat's servers do.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers by name.
"""

import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client

from niangjia.core.models import AuditEntry, IdempotencyKey, RateCounter, SummaryCount
from niangjia.needs.models import Need
from niangjia.wechat import protocol, services
from niangjia.wechat.models import WeChatAccount, WeChatMessage

TOKEN = "dongxiantoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # the key of WeChat's documented sample
APP_ID = "wx2c2769f8efd9abc2"
OPENID = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
GH = "gh_10f6c3c3ac5a"


def text_xml(content: str, msg_id: str = "6054768590064713728", *, openid: str = OPENID, msg_type: str = "text",
             extra: str = "") -> str:
    """A message in the documented format (接收普通消息)."""
    return (f"<xml><ToUserName><![CDATA[{GH}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>1409735668</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId>{extra}</xml>")


def event_xml(event: str = "subscribe") -> str:
    return (f"<xml><ToUserName><![CDATA[{GH}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>1409735669</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event></xml>")


@dataclass
class WeChat:
    """Plays WeChat's servers against one account."""

    account: WeChatAccount
    token: str = TOKEN
    aes_key: str = AES_KEY
    app_id: str = APP_ID

    def __post_init__(self):
        self.client = Client()

    @property
    def url(self) -> str:
        return f"/p/wechat/{self.account.slug}/"

    def handshake(self, *, token: str | None = None, echostr: str = "5837397520665436492"):
        ts, nonce = str(int(time.time())), "1320562132"
        sig = protocol.signature(token or self.token, ts, nonce)
        return self.client.get(self.url, {"signature": sig, "timestamp": ts, "nonce": nonce, "echostr": echostr})

    def post_plain(self, xml: str, *, token: str | None = None, nonce: str | None = None, ts: str | None = None):
        ts, nonce = ts or str(int(time.time())), nonce or secrets.token_hex(8)
        sig = protocol.signature(token or self.token, ts, nonce)
        query = urlencode({"signature": sig, "timestamp": ts, "nonce": nonce, "openid": OPENID})
        return self.client.post(f"{self.url}?{query}", xml, content_type="text/xml")

    def envelope(self, xml: str, *, app_id: str | None = None, random16: bytes | None = None) -> str:
        return protocol.encrypt(protocol.aes_key(self.aes_key), app_id or self.app_id, xml, random16=random16)

    def post_encrypted(self, encrypted: str, *, token: str | None = None, sign_this: str | None = None):
        ts, nonce = "1409735669", "1320562132"
        msg_sig = protocol.signature(token or self.token, ts, nonce, encrypted if sign_this is None else sign_this)
        query = urlencode({"signature": protocol.signature(self.token, ts, nonce), "timestamp": ts, "nonce": nonce,
                           "openid": OPENID, "encrypt_type": "aes", "msg_signature": msg_sig})
        body = f"<xml><ToUserName><![CDATA[{GH}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        return self.client.post(f"{self.url}?{query}", body, content_type="text/xml")

    def post_safe(self, xml: str, **kw):
        return self.post_encrypted(self.envelope(xml), **kw)

    def open_reply(self, response) -> dict[str, str]:
        """Check the reply's own signature and decrypt it, as WeChat would."""
        outer = protocol.parse_xml(response.content)
        protocol.check_signature(outer["MsgSignature"], self.token, outer["TimeStamp"], outer["Nonce"],
                                 outer["Encrypt"])
        return protocol.parse_xml(protocol.decrypt(protocol.aes_key(self.aes_key), self.app_id, outer["Encrypt"]))


@pytest.fixture
def plain_account(tree, admin_user):
    return services.account_create(actor=admin_user, unit=tree.east, name="东县女性", slug="dongxian",
                                   app_id=APP_ID, token=TOKEN, mode=WeChatAccount.Mode.PLAINTEXT)


@pytest.fixture
def safe_account(tree, admin_user):
    return services.account_create(actor=admin_user, unit=tree.east, name="东县女性（加密）", slug="dongxian-safe",
                                   app_id=APP_ID, token=TOKEN, encoding_aes_key=AES_KEY, mode=WeChatAccount.Mode.SAFE)


@pytest.fixture
def wechat_plain(plain_account):
    return WeChat(plain_account)


@pytest.fixture
def wechat_safe(safe_account):
    return WeChat(safe_account)


def db_state() -> dict:
    """Everything an intake could write, for 'nothing recorded' assertions."""
    state = {m.__name__: m.objects.count() for m in (Need, WeChatMessage, AuditEntry, SummaryCount, RateCounter)}
    # the nonces of plaintext deliveries (the replay guard) are not intake records
    state["IdempotencyKey"] = IdempotencyKey.objects.exclude(scope__startswith="wechat.nonce").count()
    return state
