"""The WeChat server protocol as documented: signatures, AES messages (安全模式), XML."""

import base64

import pytest

from niangjia.wechat import protocol

# WeChat's documented sample (消息加解密 sample code): token, key, app id, and a message it encrypted.
SAMPLE_TOKEN = "spamtest"
SAMPLE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_APP_ID = "wx2c2769f8efd9abc2"
SAMPLE_TS, SAMPLE_NONCE = "1409735669", "1320562132"
SAMPLE_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
SAMPLE_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2Ld"
    "JF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5"
    "VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgC"
    "SUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9Gh"
    "glF2PE=")
KEY = protocol.aes_key(SAMPLE_KEY)


def test_the_documented_sample_signs_and_decrypts():
    assert protocol.signature(SAMPLE_TOKEN, SAMPLE_TS, SAMPLE_NONCE, SAMPLE_ENCRYPT) == SAMPLE_MSG_SIGNATURE
    fields = protocol.parse_xml(protocol.decrypt(KEY, SAMPLE_APP_ID, SAMPLE_ENCRYPT))
    assert fields == {"ToUserName": "gh_10f6c3c3ac5a", "FromUserName": "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
                      "CreateTime": "1409735668", "MsgType": "text", "Content": "abcdteT",
                      "MsgId": "6054768590064713728"}


def test_signature_sorts_its_parts_before_hashing():
    import hashlib

    assert protocol.signature("b", "c", "a") == hashlib.sha1(b"abc").hexdigest()
    assert protocol.signature("token", "1", "2") == protocol.signature("2", "token", "1")


@pytest.mark.parametrize("given", ["", "0" * 40, protocol.signature("other", "1", "2")])
def test_a_wrong_or_missing_signature_is_refused(given):
    with pytest.raises(protocol.BadSignature):
        protocol.check_signature(given, "token", "1", "2")


def test_a_right_signature_passes_in_either_case():
    protocol.check_signature(protocol.signature("token", "1", "2").upper(), "token", "1", "2")


def test_missing_timestamp_or_nonce_is_refused_even_if_the_hash_matches():
    with pytest.raises(protocol.BadSignature):
        protocol.check_signature(protocol.signature("token", "", "2"), "token", "", "2")


def test_the_key_is_the_43_character_encoding_plus_one_pad():
    assert len(KEY) == 32 and KEY == base64.b64decode(SAMPLE_KEY + "=")
    for bad in ("short", SAMPLE_KEY + "A", SAMPLE_KEY[:-1] + "!"):
        with pytest.raises(ValueError):
            protocol.aes_key(bad)


def test_plaintext_layout_is_random_length_xml_appid_padded_to_32():
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encrypted = protocol.encrypt(KEY, "wxAPP", "<xml/>", random16=b"R" * 16)
    raw = base64.b64decode(encrypted)
    dec = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).decryptor()
    plain = dec.update(raw) + dec.finalize()
    body = b"R" * 16 + (6).to_bytes(4, "big") + b"<xml/>" + b"wxAPP"  # 31 bytes
    assert len(raw) == 32 and plain == body + b"\x01"


def test_a_full_block_gets_a_whole_block_of_padding():
    xml = "x" * (64 - 16 - 4 - 5)  # plaintext exactly 64 bytes
    raw = base64.b64decode(protocol.encrypt(KEY, "wxAPP", xml))
    assert len(raw) == 96
    assert protocol.decrypt(KEY, "wxAPP", base64.b64encode(raw).decode()) == xml


def test_round_trip_keeps_chinese_text():
    xml = "<xml><Content><![CDATA[丈夫经常打我，怎么办]]></Content></xml>"
    assert protocol.decrypt(KEY, SAMPLE_APP_ID, protocol.encrypt(KEY, SAMPLE_APP_ID, xml)) == xml


def test_a_message_for_another_app_id_is_refused():
    encrypted = protocol.encrypt(KEY, "wxSOMEONEELSE00000", "<xml/>")
    with pytest.raises(protocol.WrongAppId):
        protocol.decrypt(KEY, SAMPLE_APP_ID, encrypted)


def test_a_tampered_last_block_breaks_the_padding():
    raw = bytearray(base64.b64decode(protocol.encrypt(KEY, SAMPLE_APP_ID, "<xml/>", random16=b"\0" * 16)))
    raw[-1] ^= 0x55
    with pytest.raises(protocol.Undecryptable):
        protocol.decrypt(KEY, SAMPLE_APP_ID, base64.b64encode(bytes(raw)).decode())


@pytest.mark.parametrize("encrypted", ["not base64!", "", base64.b64encode(b"x" * 15).decode(),
                                       base64.b64encode(b"x" * 32).decode()])
def test_garbage_is_undecryptable(encrypted):
    with pytest.raises(protocol.Undecryptable):
        protocol.decrypt(KEY, SAMPLE_APP_ID, encrypted)


def test_a_length_field_past_the_end_is_refused():
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    plain = b"R" * 16 + (10_000).to_bytes(4, "big") + b"<xml/>" + b"\x06" * 6  # 32 bytes, valid padding
    enc = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).encryptor()
    raw = enc.update(plain) + enc.finalize()
    with pytest.raises(protocol.Undecryptable):
        protocol.decrypt(KEY, SAMPLE_APP_ID, base64.b64encode(raw).decode())


def test_xml_fields_are_read_flat_and_trimmed():
    assert protocol.parse_xml("<xml><MsgType>  <![CDATA[text]]> </MsgType><Content></Content></xml>") == {
        "MsgType": "text", "Content": ""}


@pytest.mark.parametrize("body", [
    "not xml", "<root><a>1</a></root>", "",
    '<!DOCTYPE xml [<!ENTITY e "boom">]><xml><Content>&e;</Content></xml>',
    "<xml>" + "x" * (protocol.MAX_BODY + 1) + "</xml>",
])
def test_what_is_not_a_wechat_message_is_refused(body):
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_xml(body)


def test_reply_xml_escapes_cdata_end_and_round_trips():
    xml = protocol.text_reply_xml(to_user="o1", from_user="gh", create_time=5, content="a]]>b")
    assert protocol.parse_xml(xml) == {"ToUserName": "o1", "FromUserName": "gh", "CreateTime": "5",
                                       "MsgType": "text", "Content": "a]]>b"}


def test_encrypted_reply_carries_its_own_signature():
    inner = protocol.text_reply_xml(to_user="o1", from_user="gh", create_time=5, content="你好")
    outer = protocol.parse_xml(protocol.encrypted_reply_xml(token="tok", key=KEY, app_id="wxA", reply_xml=inner,
                                                            timestamp="7", nonce="9"))
    assert outer["MsgSignature"] == protocol.signature("tok", "7", "9", outer["Encrypt"])
    assert outer["TimeStamp"] == "7" and outer["Nonce"] == "9"
    assert protocol.decrypt(KEY, "wxA", outer["Encrypt"]) == inner


def test_inbound_needs_a_sender_and_a_type():
    with pytest.raises(protocol.ProtocolError):
        protocol.Inbound.from_fields({"MsgType": "text"})
    with pytest.raises(protocol.ProtocolError):
        protocol.Inbound.from_fields({"FromUserName": "o", "MsgType": "text", "CreateTime": "soon"})
    msg = protocol.Inbound.from_fields({"FromUserName": "o", "MsgType": "TEXT", "Content": "hi", "MsgId": "1"})
    assert (msg.msg_type, msg.content, msg.msg_id, msg.create_time) == ("text", "hi", "1", 0)
