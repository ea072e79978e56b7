"""The WeChat Official Account (公众号) server protocol: signatures, AES messages, XML.

Pure functions, no database. The documented format (消息加解密说明):

- signature     = SHA1 of the sorted concatenation of token, timestamp, nonce (the GET handshake
                  and every POST); in safe mode (安全模式) msg_signature = SHA1 of the sorted
                  token, timestamp, nonce and the Encrypt field.
- AES key       = base64decode(EncodingAESKey + "=") (43 characters → 32 bytes), AES-256-CBC,
                  IV = key[:16], PKCS#7 padding to a 32-byte block (not AES's 16).
- plaintext     = 16 random bytes + 4-byte big-endian length of the XML + XML + app id.
"""

import base64
import binascii
import hashlib
import hmac
import os
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.utils.translation import gettext as _

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16
MAX_BODY = 64 * 1024  # a text message is at most 2,048 characters; anything far larger is not WeChat


class ProtocolError(Exception):
    """A message that is not what WeChat sends; `status` is the HTTP answer (403 or 400)."""

    status = 400


class BadSignature(ProtocolError):
    status = 403


class Undecryptable(ProtocolError):
    pass


class WrongAppId(ProtocolError):
    pass


# ---------------------------------------------------------------- signatures


def signature(*parts: str) -> str:
    """SHA1 hex of the parts sorted as strings and joined (token, timestamp, nonce[, encrypt])."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def check_signature(given: str, *parts: str) -> None:
    if not given or not all(parts[:3]) or not hmac.compare_digest(signature(*parts), given.lower()):
        raise BadSignature(_("签名校验失败"))


# ---------------------------------------------------------------- AES (安全模式)


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte key from the 43-character EncodingAESKey."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(_("EncodingAESKey 不是有效的 Base64")) from exc
    if len(encoding_aes_key) != 43 or len(key) != 32:
        raise ValueError(_("EncodingAESKey 应为 43 个字符"))
    return key


def _pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def _unpad(data: bytes) -> bytes:
    n = data[-1] if data else 0
    if not 1 <= n <= BLOCK or data[-n:] != bytes([n]) * n:
        raise Undecryptable(_("补位错误"))
    return data[:-n]


def encrypt(key: bytes, app_id: str, xml: str, *, random16: bytes | None = None) -> str:
    """Base64 ciphertext of one message, as WeChat (and a reply to it) carries in <Encrypt>."""
    body = xml.encode()
    plain = (random16 or os.urandom(16)) + struct.pack("!I", len(body)) + body + app_id.encode()
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(_pad(plain)) + enc.finalize()).decode()


def decrypt(key: bytes, app_id: str, encrypted: str) -> str:
    """The XML inside <Encrypt>; a tampered, truncated or foreign message raises, never returns junk."""
    try:
        raw = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Undecryptable(_("密文不是有效的 Base64")) from exc
    if not raw or len(raw) % 16:
        raise Undecryptable(_("密文长度错误"))
    dec = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = _unpad(dec.update(raw) + dec.finalize())
    if len(plain) < 20:
        raise Undecryptable(_("明文过短"))
    (length,) = struct.unpack("!I", plain[16:20])
    body, tail = plain[20:20 + length], plain[20 + length:]
    if len(body) != length:
        raise Undecryptable(_("长度字段错误"))
    if not hmac.compare_digest(tail, app_id.encode()):
        raise WrongAppId(_("AppID 不符"))
    try:
        return body.decode()
    except UnicodeDecodeError as exc:
        raise Undecryptable(_("明文不是 UTF-8")) from exc


# ---------------------------------------------------------------- XML


def parse_xml(text: str | bytes) -> dict[str, str]:
    """The flat fields of a WeChat <xml> message. Refuses a DOCTYPE (no entity tricks) and non-XML."""
    if len(text) > MAX_BODY:
        raise ProtocolError(_("消息过大"))
    probe = text if isinstance(text, str) else text.decode("utf-8", "replace")
    if "<!DOCTYPE" in probe.upper() or "<!ENTITY" in probe.upper():
        raise ProtocolError(_("不接受 DOCTYPE"))
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ProtocolError(_("XML 格式错误")) from exc
    if root.tag != "xml":
        raise ProtocolError(_("XML 格式错误"))
    return {child.tag: (child.text or "").strip() for child in root}


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply_xml(*, to_user: str, from_user: str, create_time: int, content: str) -> str:
    """A passive text reply (被动回复文本消息)."""
    return (f"<xml><ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(from_user)}</FromUserName>"
            f"<CreateTime>{int(create_time)}</CreateTime><MsgType>{_cdata('text')}</MsgType>"
            f"<Content>{_cdata(content)}</Content></xml>")


def encrypted_reply_xml(*, token: str, key: bytes, app_id: str, reply_xml: str, timestamp: str,
                        nonce: str) -> str:
    """The safe-mode envelope of a reply: <Encrypt>, its own MsgSignature, TimeStamp, Nonce."""
    encrypted = encrypt(key, app_id, reply_xml)
    sig = signature(token, timestamp, nonce, encrypted)
    return (f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt><MsgSignature>{_cdata(sig)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>")


@dataclass(frozen=True)
class Inbound:
    """One message as the endpoint sees it after signature and decryption."""

    to_user: str
    from_user: str
    create_time: int
    msg_type: str
    content: str
    msg_id: str
    event: str

    @classmethod
    def from_fields(cls, f: dict[str, str]) -> "Inbound":
        try:
            created = int(f.get("CreateTime") or 0)
        except ValueError as exc:
            raise ProtocolError(_("CreateTime 格式错误")) from exc
        if not f.get("FromUserName") or not f.get("MsgType"):
            raise ProtocolError(_("缺少 FromUserName 或 MsgType"))
        return cls(to_user=f.get("ToUserName", ""), from_user=f["FromUserName"], create_time=created,
                   msg_type=f["MsgType"].lower(), content=f.get("Content", ""), msg_id=f.get("MsgId", ""),
                   event=f.get("Event", "").lower())
