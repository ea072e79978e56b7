"""Sensitive fields: encrypted at rest, a keyed hash (blind index) for exact lookup, and a mask for lists.

A model keeps three columns per field: `<f>_enc` (Fernet ciphertext), `<f>_bidx` (HMAC-SHA256
of the normalized value) and `<f>_mask` (what lists show). Lists never decrypt; reading the
clear value is a service that audits the read (see core.audit.reveal).
"""

import base64
import hmac
import os
import time
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from .errors import DecryptionError


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


class BulkEncryptor:
    """`encrypt` for many values (an import: four per row): the very tokens Fernet makes under the newest key
    (version byte, time, a fresh random IV, AES-128-CBC of the PKCS7-padded value, HMAC-SHA256 over all that),
    readable by `decrypt`, but with the AES key schedule and the HMAC key set up once instead of per value: the
    CBC chain is computed block by block (each block XOR the one before, then AES), as the library's CBC mode
    does inside, from one reusable single-block AES context."""

    def __init__(self):
        key = base64.urlsafe_b64decode(settings.FIELD_ENCRYPTION_KEYS[0].strip().encode())
        self._signing, encryption = key[:16], key[16:]
        self._aes = Cipher(algorithms.AES(encryption), modes.ECB()).encryptor()  # one block at a time: CBC below

    def encrypt(self, value: str) -> str:
        return self._token(value.encode(), int(time.time()), os.urandom(16)).decode() if value else ""

    def _token(self, data: bytes, at: int, iv: bytes) -> bytes:
        pad = 16 - len(data) % 16
        data += bytes((pad,)) * pad
        chained, out = int.from_bytes(iv, "big"), bytearray()
        for i in range(0, len(data), 16):
            block = self._aes.update((int.from_bytes(data[i:i + 16], "big") ^ chained).to_bytes(16, "big"))
            out += block
            chained = int.from_bytes(block, "big")
        parts = b"\x80" + at.to_bytes(8, "big") + iv + bytes(out)
        return base64.urlsafe_b64encode(parts + hmac.digest(self._signing, parts, "sha256"))


def decrypt(token: str) -> str:
    """The clear text; a wrong key raises DecryptionError, never returns ciphertext."""
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError() from exc


def rotate(token: str) -> str:
    """Re-encrypt under the newest key (first in FIELD_ENCRYPTION_KEYS)."""
    if not token:
        return ""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError() from exc


def blind_index(value: str) -> str:
    if not value:
        return ""
    return hmac.digest(settings.BLIND_INDEX_KEY.encode(), value.encode(), "sha256").hex()


def mask_phone(value: str) -> str:
    digits = value.removeprefix("+86")
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 3 if len(digits) >= 11 else 2
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]


def mask_id_number(value: str) -> str:
    """Only the region prefix (the first six digits, usually the unit's own county).

    With the birth year and gender that lists also show, the 8 hidden birth-date-and-sequence digits
    still leave 365 × 500 = 182,500 candidates (the check character follows from them, so it is
    hidden too: showing it would divide that by 11). See tests/core/test_id_sealing.py.
    """
    if len(value) <= 6:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 6)


def mask_address(value: str) -> str:
    """Keep the first six characters (usually province and city), hide the rest."""
    if not value:
        return ""
    head = value[:6]
    return head + "****" if len(value) > 6 else value[:1] + "****"


MASKERS = {"phone": mask_phone, "id_number": mask_id_number, "address": mask_address}


@dataclass(frozen=True)
class Sealed:
    enc: str
    bidx: str
    mask: str


def seal(kind: str, value: str) -> Sealed:
    """Encrypt a normalized value, with its blind index and mask."""
    if not value:
        return Sealed("", "", "")
    bidx = blind_index(value) if kind in ("phone", "id_number") else ""
    return Sealed(encrypt(value), bidx, MASKERS[kind](value))


def assign_sealed(obj, field: str, kind: str, value: str) -> None:
    sealed = seal(kind, value)
    setattr(obj, f"{field}_enc", sealed.enc)
    setattr(obj, f"{field}_mask", sealed.mask)
    if hasattr(obj, f"{field}_bidx"):
        setattr(obj, f"{field}_bidx", sealed.bidx)
