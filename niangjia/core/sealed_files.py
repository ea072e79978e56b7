"""Files of personal data kept on disk while a job works on them (an uploaded import file, its checked rows).

AES-256-GCM in fixed-size chunks under a key derived from the field-encryption key (FIELD_ENCRYPTION_KEYS,
the newest one for writing, whichever matches for reading): a file is written as a stream, read back with
seeks (an .xlsx is a zip, read from its end), and is never held whole in memory nor in clear on disk.

Layout: MAGIC, an 8-byte key id, a 16-byte salt, an 8-byte nonce prefix, then the chunks: each holds CHUNK
clear bytes (the last one fewer) sealed with the nonce prefix + its number, and its associated data says
whether it is the last one, so a reordered, dropped or truncated chunk fails to open.
"""

import hashlib
import io
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .errors import DecryptionError

MAGIC = b"NIANGJIA-SEALED-1\n"
CHUNK = 64 * 1024
TAG = 16
HEAD = len(MAGIC) + 8 + 16 + 8
INFO = b"niangjia sealed file v1"


def _secrets() -> list[str]:
    return [k.strip() for k in settings.FIELD_ENCRYPTION_KEYS if k.strip()]


def _key_id(secret: str) -> bytes:
    return hashlib.sha256(INFO + secret.encode()).digest()[:8]


def _aes(secret: str, salt: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=INFO).derive(secret.encode()))


def _aad(n: int, last: bool) -> bytes:
    return struct.pack(">Q?", n, last)


class SealedWriter(io.RawIOBase):
    """A write-only file object that seals what is written into `path`, one CHUNK at a time."""

    def __init__(self, path: str | os.PathLike):
        super().__init__()
        secret = _secrets()[0]
        salt, self._prefix = os.urandom(16), os.urandom(8)
        self._aes = _aes(secret, salt)
        self._raw = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._buf, self._n = bytearray(), 0
        self._raw.write(MAGIC + _key_id(secret) + salt + self._prefix)

    def writable(self) -> bool:
        return True

    def _seal(self, data: bytes, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._n)
        self._raw.write(self._aes.encrypt(nonce, data, _aad(self._n, last)))
        self._n += 1

    def write(self, data) -> int:
        self._buf += data
        while len(self._buf) > CHUNK:  # strictly more: the last chunk is never empty unless the file is
            self._seal(bytes(self._buf[:CHUNK]), False)
            del self._buf[:CHUNK]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buf), True)
            self._buf.clear()
            self._raw.close()
        super().close()


class SealedReader(io.RawIOBase):
    """A read-only, seekable file object giving the clear bytes of a file made by SealedWriter."""

    def __init__(self, path: str | os.PathLike):
        super().__init__()
        self._raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        head = self._raw.read(HEAD)
        if len(head) < HEAD or not head.startswith(MAGIC):
            self._raw.close()
            raise DecryptionError()
        key_id, salt = head[len(MAGIC):len(MAGIC) + 8], head[len(MAGIC) + 8:len(MAGIC) + 24]
        self._prefix = head[len(MAGIC) + 24:]
        secret = next((s for s in _secrets() if _key_id(s) == key_id), None)
        if secret is None:
            self._raw.close()
            raise DecryptionError()
        self._aes = _aes(secret, salt)
        body = os.fstat(self._raw.fileno()).st_size - HEAD
        self._chunks = max(1, -(-body // (CHUNK + TAG)))
        self.size = body - self._chunks * TAG
        if self.size < 0:
            self._raw.close()
            raise DecryptionError()
        self._pos, self._cached = 0, (-1, b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, n: int) -> bytes:
        if self._cached[0] != n:
            self._raw.seek(HEAD + n * (CHUNK + TAG))
            sealed = self._raw.read(CHUNK + TAG)
            nonce = self._prefix + struct.pack(">I", n)
            try:
                self._cached = (n, self._aes.decrypt(nonce, sealed, _aad(n, n == self._chunks - 1)))
            except InvalidTag as exc:
                raise DecryptionError() from exc
        return self._cached[1]

    def readinto(self, b) -> int:
        if self._pos >= self.size:
            return 0
        n, at = divmod(self._pos, CHUNK)
        data = self._chunk(n)[at:at + len(b)]
        b[:len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def open_write(path: str | os.PathLike) -> io.BufferedWriter:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return io.BufferedWriter(SealedWriter(path), buffer_size=CHUNK)


def open_read(path: str | os.PathLike) -> io.BufferedReader:
    return io.BufferedReader(SealedReader(path), buffer_size=CHUNK)


def wipe(path: str | os.PathLike | None) -> None:
    """Remove a sealed file (a missing one is fine: the job may never have stored it)."""
    if path:
        Path(path).unlink(missing_ok=True)
