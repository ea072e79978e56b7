"""What a woman's message becomes and what the account answers: pure rules, every edge."""

import pytest

from niangjia.needs.models import Need
from niangjia.wechat import rules


@pytest.mark.parametrize(("text", "category"), [
    ("丈夫经常打我", "rights"),
    ("他威胁我，还骚扰我的家人", "rights"),
    ("最近压力很大，整夜失眠", "counselling"),
    ("前夫不给抚养费，想找律师", "legal"),
    ("和婆婆总吵架，想请人调解", "mediation"),
    ("想学电商直播，有没有培训", "employment"),
    ("孩子厌学怎么办", "family_education"),
    ("家里困难，能申请低保吗", "hardship"),
    ("你好", "other"),
    ("", "other"),
])
def test_category_guess_by_keyword(text, category):
    assert rules.guess_category(text) == category


def test_violence_wins_over_every_other_category():
    # mentions mediation, a child and hardship, but violence is what must reach rights protection first
    assert rules.guess_category("离婚后孩子没人管，生活困难，前夫还打我") == "rights"


def test_every_guess_is_a_ledger_category():
    assert {c for c, _ in rules.CATEGORY_KEYWORDS} | {rules.DEFAULT_CATEGORY} <= set(Need.Category.values)


@pytest.mark.parametrize(("text", "urgency"), [
    ("救命，他要杀了我", "critical"), ("我不想活了，想死", "critical"), ("丈夫打我", "urgent"),
    ("很急，马上要交学费", "urgent"), ("想参加培训", "normal"), ("", "normal"),
])
def test_urgency_guess(text, urgency):
    assert rules.guess_urgency(text) == urgency


@pytest.mark.parametrize(("text", "yes"), [
    ("建议多办讲座", True), ("意见：路灯坏了", True), ("  建议", True), ("：建议修路", True),
    ("我建议多办讲座", False), ("有个意见", False), ("", False), ("建", False),
])
def test_suggestion_only_when_the_message_starts_with_the_word(text, yes):
    assert rules.is_suggestion(text) is yes


@pytest.mark.parametrize(("text", "kept"), [
    ("建议：多办讲座", "多办讲座"), ("意见, 路灯坏了", "路灯坏了"), ("建议多办讲座", "多办讲座"),
    ("建议", "建议"), ("建议：", "建议："), ("普通内容", "普通内容"),
])
def test_suggestion_text_drops_the_prefix_but_never_empties(text, kept):
    assert rules.suggestion_text(text) == kept


def test_clip_fits_the_ledger_column_and_marks_the_cut():
    assert rules.clip("  短  ") == "短"
    exact = "字" * rules.DESCRIPTION_MAX
    assert rules.clip(exact) == exact
    long = rules.clip("字" * (rules.DESCRIPTION_MAX + 1))
    assert len(long) == rules.DESCRIPTION_MAX and long.endswith("…")


def test_codes_are_shown_in_two_groups():
    assert rules.show_code("K7PX3MQ9") == "K7PX-3MQ9"
    assert rules.show_code("ABC") == "ABC"


@pytest.mark.parametrize(("openid", "masked"), [
    ("oyORnuP8q7ou2gfYjqLzSIWZf0rs", "oyO****0rs"), ("123456789", "123****789"), ("12345678", "********"), ("", ""),
])
def test_openid_mask(openid, masked):
    assert rules.mask_openid(openid) == masked


def test_need_reply_carries_the_code_and_where_to_look_it_up():
    text = rules.need_reply("K7PX3MQ9", urgency="normal", track_url="https://x/p/needs/track/")
    assert "K7PX-3MQ9" in text and "https://x/p/needs/track/" in text and "110" not in text


def test_suggestion_reply_carries_its_code_and_the_box_lookup():
    text = rules.suggestion_reply("K7PX3MQ9", track_url="https://x/p/participation/box/track/")
    assert "K7PX-3MQ9" in text and "https://x/p/participation/box/track/" in text


def test_danger_replies_point_to_110_and_12338_first():
    critical = rules.need_reply("K7PX3MQ9", urgency="critical", track_url="/t/")
    assert critical.splitlines()[0].startswith("如遇人身危险") and "110" in critical
    assert "12338" in rules.need_reply("K7PX3MQ9", urgency="urgent", track_url="/t/")


@pytest.mark.parametrize(("msg_type", "event", "content", "action"), [
    ("text", "", "你好", "record"), ("text", "", "   ", "empty"), ("image", "", "", "not_text"),
    ("voice", "", "", "not_text"), ("event", "subscribe", "", "welcome"), ("event", "unsubscribe", "", "ignore"),
    ("event", "click", "", "ignore"),
])
def test_what_to_do_with_each_message_type(msg_type, event, content, action):
    assert rules.what_to_do(msg_type, event, content) == action


@pytest.mark.parametrize(("value", "ok"), [("anji", True), ("an-ji-2", True), ("a", False), ("Anji", False),
                                           ("-anji", False), ("an_ji", False)])
def test_slug_rule(value, ok):
    assert bool(rules.SLUG_RE.match(value)) is ok


@pytest.mark.parametrize(("value", "ok"), [("abc", True), ("a" * 32, True), ("ab", False), ("a" * 33, False),
                                           ("tok en", False)])
def test_token_rule(value, ok):
    assert bool(rules.TOKEN_RE.match(value)) is ok
