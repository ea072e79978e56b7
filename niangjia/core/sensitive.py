"""Sensitive fields: encrypted at rest, a keyed hash (blind index) for exact lookup, and a mask for lists.

A model keeps three columns per field: `<f>_enc` (Fernet ciphertext), `<f>_bidx` (HMAC-SHA256
of the normalized value) and `<f>_mask` (what lists show). Lists never decrypt; reading the
clear value is a service that audits the read (see core.audit.reveal).
"""

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from .errors import DecryptionError


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


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
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


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
