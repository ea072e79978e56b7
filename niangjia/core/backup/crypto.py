"""Streaming encryption of backup files with NIANGJIA_BACKUP_KEY (AES-256-GCM in chunks).

A file is `MAGIC`, a 16-byte salt, an 8-byte nonce prefix, then chunks of
`[4-byte length][ciphertext+tag]`. Each chunk of up to CHUNK bytes is sealed with a nonce of
prefix + chunk number, and its associated data says whether it is the last one, so a reordered,
dropped or truncated chunk fails to decrypt. The key is HKDF-SHA256 of the configured secret and
the salt. Nothing is held in memory beyond one chunk.
"""

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.translation import gettext as _

MAGIC = b"NIANGJIA-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
MIN_SECRET = 32


class CryptoError(Exception):
    pass


def _key(secret: str, salt: bytes) -> bytes:
    if len(secret.strip()) < MIN_SECRET:
        raise CryptoError(_("NIANGJIA_BACKUP_KEY 至少 {MIN_SECRET} 个字符（例如 openssl rand -base64 32）").format(MIN_SECRET=MIN_SECRET))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"niangjia backup v1").derive(
        secret.strip().encode())


def _aad(n: int, last: bool) -> bytes:
    return struct.pack(">Q?", n, last)


class EncryptingWriter:
    """A write-only file object that seals what is written into `raw` chunk by chunk."""

    def __init__(self, raw, secret: str):
        salt, self._prefix = os.urandom(16), os.urandom(8)
        self._aes = AESGCM(_key(secret, salt))
        self._raw, self._buf, self._n = raw, bytearray(), 0
        raw.write(MAGIC + salt + self._prefix)

    def _seal(self, data: bytes, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._n)
        sealed = self._aes.encrypt(nonce, data, _aad(self._n, last))
        self._raw.write(struct.pack(">I", len(sealed)) + sealed)
        self._n += 1

    def write(self, data) -> int:
        self._buf += data
        while len(self._buf) > CHUNK:
            self._seal(bytes(self._buf[:CHUNK]), False)
            del self._buf[:CHUNK]
        return len(data)

    def close(self) -> None:
        self._seal(bytes(self._buf), True)
        self._buf.clear()


class DecryptingReader:
    """A read-only file object giving the clear bytes of a file made by EncryptingWriter."""

    def __init__(self, raw, secret: str):
        head = raw.read(len(MAGIC) + 24)
        if not head.startswith(MAGIC):
            raise CryptoError(_("不是加密的娘家备份文件"))
        salt, self._prefix = head[len(MAGIC):len(MAGIC) + 16], head[len(MAGIC) + 16:]
        self._aes = AESGCM(_key(secret, salt))
        self._raw, self._buf, self._n, self._done = raw, bytearray(), 0, False

    def _next(self) -> None:
        size = self._raw.read(4)
        if len(size) < 4:
            raise CryptoError(_("备份文件不完整（缺少结尾）"))
        sealed = self._raw.read(struct.unpack(">I", size)[0])
        nonce = self._prefix + struct.pack(">I", self._n)
        for last in (False, True):
            try:
                self._buf += self._aes.decrypt(nonce, sealed, _aad(self._n, last))
            except InvalidTag:
                continue
            self._n, self._done = self._n + 1, last
            return
        raise CryptoError(_("无法解密备份：NIANGJIA_BACKUP_KEY 与备份时不同，或文件已损坏"))

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buf) < size):
            self._next()
        if size < 0:
            size = len(self._buf)
        out = bytes(self._buf[:size])
        del self._buf[:size]
        return out


def is_encrypted(path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC
