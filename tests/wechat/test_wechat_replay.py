"""Plaintext mode signs only token, timestamp and nonce: a captured signature must not carry a forged body.
Replays are refused by a timestamp window and a nonce store; one sender cannot flood the ledger."""

import time

from niangjia.core import ratelimit
from niangjia.core.errors import ValidationFailed
from niangjia.core.models import RateCounter
from niangjia.needs import services as needs_services
from niangjia.needs.models import Need
from niangjia.wechat import services
from niangjia.wechat.models import WeChatMessage
from tests.wechat.conftest import db_state, text_xml


def test_a_replayed_signature_with_a_forged_body_is_refused(wechat_plain):
    # given a genuine message, signed for timestamp T and nonce N
    ts = str(int(time.time()))
    first = wechat_plain.post_plain(text_xml("村里有人打老婆，请帮帮她"), nonce="abc123", ts=ts)
    assert first.status_code == 200
    before = db_state()
    # when the same timestamp, nonce and signature come back with another body
    forged = wechat_plain.post_plain(text_xml("伪造的求助", msg_id="999"), nonce="abc123", ts=ts)
    # then it is refused and nothing is written
    assert forged.status_code == 403 and "重放" in forged.content.decode()
    assert db_state() == before and not Need.objects.filter(description__contains="伪造").exists()


def _account_count(account) -> int:
    return sum(RateCounter.objects.filter(bucket=f"wechat.callback:{account.pk}").values_list("count", flat=True))


def test_a_forged_replay_uses_none_of_the_accounts_allowance_and_a_genuine_retry_counts(wechat_plain):
    # given a genuine delivery, counted once against the account's per-minute allowance
    ts = str(int(time.time()))
    xml = text_xml("想报名技能培训")
    assert wechat_plain.post_plain(xml, nonce="cnt1", ts=ts).status_code == 200
    assert _account_count(wechat_plain.account) == 1
    # when its signature comes back with a forged body, three times
    for n in range(3):
        forged = wechat_plain.post_plain(text_xml(f"伪造{n}", msg_id=str(7000 + n)), nonce="cnt1", ts=ts)
        assert forged.status_code == 403
    # then nothing was counted; WeChat's own retry of the same body is a delivery and counts
    assert _account_count(wechat_plain.account) == 1
    assert wechat_plain.post_plain(xml, nonce="cnt1", ts=ts).status_code == 200
    assert _account_count(wechat_plain.account) == 2


def test_weChats_own_retry_of_the_same_body_is_answered_the_same(wechat_plain):
    ts = str(int(time.time()))
    xml = text_xml("想咨询离婚财产怎么分")
    first = wechat_plain.post_plain(xml, nonce="n1", ts=ts)
    again = wechat_plain.post_plain(xml, nonce="n1", ts=ts)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.content == again.content and WeChatMessage.objects.count() == 1


def test_a_stale_timestamp_is_refused(wechat_plain):
    before = db_state()
    old = str(int(time.time()) - services.REPLAY_WINDOW_SECONDS - 5)
    resp = wechat_plain.post_plain(text_xml("旧消息"), ts=old)
    assert resp.status_code == 403 and db_state() == before
    future = str(int(time.time()) + services.REPLAY_WINDOW_SECONDS + 5)
    assert wechat_plain.post_plain(text_xml("未来的消息"), ts=future).status_code == 403


def test_one_sender_is_limited_per_hour(wechat_plain, monkeypatch):
    # given a limit of 3 messages an hour
    monkeypatch.setattr(services, "SENDER_LIMIT", 3)
    # when one sender sends 5 different messages
    answers = [wechat_plain.post_plain(text_xml(f"第{i}条求助", msg_id=str(1000 + i))) for i in range(5)]
    # then 3 are filed and the rest are answered with a notice, not recorded
    assert [a.status_code for a in answers] == [200] * 5
    assert WeChatMessage.objects.count() == 3
    assert "稍后再发" in answers[4].content.decode() and "12338" in answers[4].content.decode()
    # and another sender is not affected
    other = wechat_plain.post_plain(text_xml("另一位妇女的求助", msg_id="2000", openid="oOther123456789"))
    assert other.status_code == 200 and WeChatMessage.objects.count() == 4


def test_a_delivery_refused_before_it_is_written_still_counts_against_the_account(wechat_plain, monkeypatch):
    def refuse(**kw):
        raise ValidationFailed("不收")

    # given a need that cannot be made (whatever the reason)
    monkeypatch.setattr(services, "need_public_new", refuse)  # PostgreSQL's one statement
    monkeypatch.setattr(needs_services, "need_public_new", refuse)  # SQLite's steps
    # when a signed text arrives
    answer = wechat_plain.post_plain(text_xml("求助"))
    # then it is refused, nothing is written, and it used up one of the account's deliveries this minute
    assert answer.status_code == 400 and WeChatMessage.objects.count() == 0
    assert ratelimit.count("wechat.callback", str(wechat_plain.account.pk), per_seconds=60) == 1
