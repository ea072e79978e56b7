"""The public callback /p/wechat/<account>/ driven as WeChat's servers drive it."""


import pytest
from django.db import connection

from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.needs.models import Need
from niangjia.wechat import protocol
from niangjia.wechat.models import WeChatMessage
from tests.checks import race
from tests.wechat.conftest import APP_ID, GH, OPENID, WeChat, db_state, event_xml, text_xml

pytestmark = pytest.mark.django_db


def _reply_fields(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    return protocol.parse_xml(response.content)


# ---------------------------------------------------------------- handshake


def test_handshake_echoes_echostr_when_signed_with_the_token(wechat_plain, wechat_safe):
    for wechat in (wechat_plain, wechat_safe):
        response = wechat.handshake(echostr="5837397520665436492")
        assert response.status_code == 200 and response.content == b"5837397520665436492"


def test_handshake_with_a_wrong_token_is_refused(wechat_plain):
    response = wechat_plain.handshake(token="wrongtoken")
    assert response.status_code == 403 and b"5837" not in response.content


def test_handshake_without_a_signature_is_refused(wechat_plain):
    response = wechat_plain.client.get(wechat_plain.url, {"echostr": "x", "timestamp": "1", "nonce": "2"})
    assert response.status_code == 403


def test_the_callback_answers_by_id_too(wechat_plain):
    response = wechat_plain.client.get(f"/p/wechat/{wechat_plain.account.pk}/",
                                       {"signature": protocol.signature("dongxiantoken", "1", "2"),
                                        "timestamp": "1", "nonce": "2", "echostr": "ok"})
    assert response.content == b"ok"


def test_unknown_or_switched_off_accounts_are_not_found(wechat_plain, admin_user):
    from niangjia.wechat import services

    assert wechat_plain.client.get("/p/wechat/nobody/").status_code == 404
    services.account_update(actor=admin_user, account=wechat_plain.account, version=1, active=False)
    assert wechat_plain.handshake().status_code == 404


# ---------------------------------------------------------------- plaintext messages


def test_a_plaintext_message_becomes_a_need_and_the_reply_carries_its_code(wechat_plain, tree):
    # when a woman writes to the account
    fields = _reply_fields(wechat_plain.post_plain(text_xml("想学电商直播，哪里有培训")))
    # then a need is on 东县's ledger, from WeChat, categorised by the keywords
    need = Need.objects.get()
    assert (need.unit_id, need.channel, need.category, need.description) == (
        tree.east.pk, "wechat", "employment", "想学电商直播，哪里有培训")
    # and the reply goes back to her, from the account, with the tracking code and where to look it up
    assert (fields["ToUserName"], fields["FromUserName"], fields["MsgType"]) == (OPENID, GH, "text")
    code = need.tracking_code
    assert f"{code[:4]}-{code[4:]}" in fields["Content"] and "http://testserver/p/needs/track/" in fields["Content"]
    msg = WeChatMessage.objects.get()
    assert (msg.record_type, msg.record_id, msg.tracking_code, msg.outcome) == ("needs.Need", need.pk, code, "need")


def test_the_openid_is_kept_only_as_a_blind_index_and_a_mask(wechat_plain):
    wechat_plain.post_plain(text_xml("你好，想咨询"))
    msg = WeChatMessage.objects.get()
    stored = " ".join(str(v) for v in WeChatMessage.objects.values().get().values())
    audits = " ".join(str(a.detail) + a.summary for a in AuditEntry.objects.all())
    assert OPENID not in stored and OPENID not in audits
    assert msg.sender_mask == "oyO****0rs" and len(msg.sender_bidx) == 64


def test_the_intake_is_audited_and_counted(wechat_plain, tree):
    wechat_plain.post_plain(text_xml("孩子厌学怎么办"))
    assert AuditEntry.objects.filter(action="wechat.receive", actor=None).count() == 1
    assert AuditEntry.objects.filter(action="need.submit_public").count() == 1
    row = SummaryCount.objects.get(metric="wechat_message")
    assert (row.category, row.count, row.l3) == ("need", 1, tree.city.pk)


def test_a_retried_msgid_is_recorded_once_and_gets_the_identical_reply(wechat_plain):
    first = wechat_plain.post_plain(text_xml("丈夫打我", msg_id="42"))
    again = wechat_plain.post_plain(text_xml("丈夫打我", msg_id="42"))
    assert first.content == again.content
    assert Need.objects.count() == 1 and WeChatMessage.objects.count() == 1
    assert AuditEntry.objects.filter(action="wechat.receive").count() == 1


def test_two_messages_make_two_needs(wechat_plain):
    a = _reply_fields(wechat_plain.post_plain(text_xml("第一条", msg_id="1")))
    b = _reply_fields(wechat_plain.post_plain(text_xml("第二条", msg_id="2")))
    assert Need.objects.count() == 2 and a["Content"] != b["Content"]


def test_a_message_without_msgid_is_deduplicated_by_sender_and_time(wechat_plain):
    xml = text_xml("没有编号", msg_id="").replace("<MsgId></MsgId>", "")
    wechat_plain.post_plain(xml)
    wechat_plain.post_plain(xml)
    assert Need.objects.count() == 1


def test_a_long_message_is_clipped_into_the_ledger(wechat_plain):
    _reply_fields(wechat_plain.post_plain(text_xml("字" * 800)))
    assert len(Need.objects.get().description) == 500


def test_danger_words_make_an_urgent_need_and_the_reply_names_110(wechat_plain):
    fields = _reply_fields(wechat_plain.post_plain(text_xml("救命，他说要杀了我")))
    need = Need.objects.get()
    assert (need.category, need.urgency) == ("rights", "critical") and "110" in fields["Content"]


def test_subscribe_gets_the_welcome_and_records_nothing(wechat_plain):
    before = db_state()
    fields = _reply_fields(wechat_plain.post_plain(event_xml("subscribe")))
    assert "欢迎关注" in fields["Content"] and fields["ToUserName"] == OPENID
    after = db_state()
    assert {k: v for k, v in after.items() if k != "RateCounter"} == {
        k: v for k, v in before.items() if k != "RateCounter"}


def test_a_custom_welcome_is_used(wechat_plain, admin_user):
    from niangjia.wechat import services

    services.account_update(actor=admin_user, account=wechat_plain.account, version=1, welcome="欢迎来到东县娘家")
    assert _reply_fields(wechat_plain.post_plain(event_xml()))["Content"] == "欢迎来到东县娘家"


def test_other_events_get_success_and_record_nothing(wechat_plain):
    response = wechat_plain.post_plain(event_xml("unsubscribe"))
    assert response.content == b"success" and WeChatMessage.objects.count() == 0


@pytest.mark.parametrize("msg_type", ["image", "voice", "location"])
def test_other_message_types_get_a_polite_please_send_text(wechat_plain, msg_type):
    fields = _reply_fields(wechat_plain.post_plain(text_xml("", msg_type=msg_type)))
    assert "文字" in fields["Content"]
    assert Need.objects.count() == 0 and WeChatMessage.objects.count() == 0


def test_an_empty_text_records_nothing(wechat_plain):
    fields = _reply_fields(wechat_plain.post_plain(text_xml("   ")))
    assert "为空" in fields["Content"] and Need.objects.count() == 0


# ---------------------------------------------------------------- refusals change nothing


@pytest.mark.parametrize("how", ["wrong token", "no signature", "not xml", "doctype", "no sender"])
def test_refused_plaintext_posts_record_nothing(wechat_plain, how):
    before = db_state()
    if how == "wrong token":
        response = wechat_plain.post_plain(text_xml("你好"), token="wrongtoken")
    elif how == "no signature":
        response = wechat_plain.client.post(wechat_plain.url, text_xml("你好"), content_type="text/xml")
    elif how == "not xml":
        response = wechat_plain.post_plain("hello")
    elif how == "doctype":
        response = wechat_plain.post_plain('<!DOCTYPE x [<!ENTITY e "a">]>' + text_xml("&e;"))
    else:
        response = wechat_plain.post_plain(text_xml("你好", openid=""))
    assert response.status_code == (403 if how in ("wrong token", "no signature") else 400)
    assert db_state() == before


def test_a_safe_account_refuses_plaintext_messages(wechat_safe):
    before = db_state()
    assert wechat_safe.post_plain(text_xml("你好")).status_code == 403
    assert db_state() == before


def test_get_and_post_only(wechat_plain):
    assert wechat_plain.client.put(wechat_plain.url).status_code == 405


# ---------------------------------------------------------------- safe mode (安全模式)


def test_encrypted_round_trip(wechat_safe, tree):
    # when WeChat posts an encrypted message
    response = wechat_safe.post_safe(text_xml("前夫不给抚养费，想找律师"))
    # then the reply is encrypted too, signed with its own msg_signature, and carries the code
    assert response.status_code == 200
    assert b"CDATA[" in response.content and "抚养费".encode() not in response.content
    reply = wechat_safe.open_reply(response)
    need = Need.objects.get()
    assert need.category == "legal" and need.tracking_code[:4] in reply["Content"]
    assert (reply["ToUserName"], reply["FromUserName"]) == (OPENID, GH)


def test_encrypted_retry_decrypts_to_the_identical_reply(wechat_safe):
    xml = text_xml("想请老师辅导孩子", msg_id="777")
    first = wechat_safe.open_reply(wechat_safe.post_safe(xml))
    again = wechat_safe.open_reply(wechat_safe.post_safe(xml))
    assert first == again and Need.objects.count() == 1


def test_a_message_encrypted_for_another_app_id_is_refused(wechat_safe):
    before = db_state()
    response = wechat_safe.post_encrypted(wechat_safe.envelope(text_xml("你好"), app_id="wxFFFFFFFFFFFFFFFF"))
    assert response.status_code == 400 and db_state() == before


def test_a_tampered_ciphertext_without_a_fresh_signature_is_refused(wechat_safe):
    import base64

    before = db_state()
    raw = bytearray(base64.b64decode(wechat_safe.envelope(text_xml("你好"))))
    raw[20] ^= 1
    tampered = base64.b64encode(bytes(raw)).decode()
    original = wechat_safe.envelope(text_xml("你好"))
    response = wechat_safe.post_encrypted(tampered, sign_this=original)
    assert response.status_code == 403 and db_state() == before


def test_a_tampered_ciphertext_that_is_signed_still_does_not_decrypt(wechat_safe):
    import base64

    before = db_state()
    raw = bytearray(base64.b64decode(wechat_safe.envelope(text_xml("你好"), random16=b"\0" * 16)))
    raw[-1] ^= 0x55  # the last block: padding no longer holds
    response = wechat_safe.post_encrypted(base64.b64encode(bytes(raw)).decode())
    assert response.status_code == 400 and db_state() == before


def test_a_safe_message_signed_with_a_wrong_token_is_refused(wechat_safe):
    before = db_state()
    assert wechat_safe.post_safe(text_xml("你好"), token="wrongtoken").status_code == 403
    assert db_state() == before


def test_an_encrypted_subscribe_gets_an_encrypted_welcome(wechat_safe):
    reply = wechat_safe.open_reply(wechat_safe.post_safe(event_xml()))
    assert "欢迎关注" in reply["Content"] and WeChatMessage.objects.count() == 0


# ---------------------------------------------------------------- rate limit


def test_the_account_is_rate_limited_per_minute(wechat_plain, admin_user):
    from niangjia.wechat import services

    services.account_update(actor=admin_user, account=wechat_plain.account, version=1, rate_per_minute=2)
    codes = [wechat_plain.post_plain(text_xml("你好", msg_id=str(n))).status_code for n in range(3)]
    assert codes == [200, 200, 429] and Need.objects.count() == 2


def test_forged_posts_do_not_use_up_the_allowance(wechat_plain, admin_user):
    from niangjia.wechat import services

    services.account_update(actor=admin_user, account=wechat_plain.account, version=1, rate_per_minute=1)
    for _ in range(3):
        assert wechat_plain.post_plain(text_xml("x"), token="forgedtoken").status_code == 403
    assert wechat_plain.post_plain(text_xml("你好")).status_code == 200


# ---------------------------------------------------------------- concurrent duplicate deliveries


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_concurrent_duplicate_deliveries_make_one_need_and_one_reply(tree, admin_user, mode):
    from niangjia.wechat import services
    from niangjia.wechat.models import WeChatAccount

    account = services.account_create(actor=admin_user, unit=tree.east, name="并发", slug=f"conc-{mode}",
                                      app_id=APP_ID, token="dongxiantoken",
                                      encoding_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                                      mode=WeChatAccount.Mode.SAFE if mode == "safe" else WeChatAccount.Mode.PLAINTEXT)
    xml = text_xml("丈夫喝酒后打我", msg_id="9000")
    wechats = [WeChat(account) for _ in range(6)]

    def deliver(i):
        response = wechats[i].post_safe(xml) if mode == "safe" else wechats[i].post_plain(xml)
        assert response.status_code == 200, response.content
        return (wechats[i].open_reply(response)["Content"] if mode == "safe"
                else protocol.parse_xml(response.content)["Content"])

    replies, _, errors = race(deliver, 6)
    assert errors == []
    assert Need.objects.count() == 1 and WeChatMessage.objects.count() == 1
    assert len(replies) == 6 and len(set(replies)) == 1
    assert Need.objects.get().tracking_code[:4] in replies[0]


# ---------------------------------------------------------------- suggestions (建议/意见)


def test_a_message_starting_with_jianyi_becomes_an_anonymous_suggestion(wechat_plain, tree):
    from niangjia.participation.models import Suggestion

    xml = text_xml("建议：村里多办几次妇女健康讲座", msg_id="55")
    first = _reply_fields(wechat_plain.post_plain(xml))
    again = _reply_fields(wechat_plain.post_plain(xml))
    suggestion = Suggestion.objects.get()
    assert (suggestion.unit_id, suggestion.channel, suggestion.text, suggestion.anonymous) == (
        tree.east.pk, "wechat", "村里多办几次妇女健康讲座", True)
    code = suggestion.tracking_code
    assert f"{code[:4]}-{code[4:]}" in first["Content"] and first == again
    assert "http://testserver/p/participation/box/track/" in first["Content"]
    assert Need.objects.count() == 0
    msg = WeChatMessage.objects.get()
    assert (msg.outcome, msg.record_type, msg.record_id) == ("suggestion", "participation.Suggestion", suggestion.pk)


def test_yijian_in_the_middle_stays_a_need(wechat_plain):
    from niangjia.participation.models import Suggestion

    wechat_plain.post_plain(text_xml("我有个意见想反映，路灯坏了"))
    assert Need.objects.count() == 1 and Suggestion.objects.count() == 0
