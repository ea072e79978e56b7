"""Encrypted fields: masks, wrong keys, key rotation, blind index."""

import pytest
from cryptography.fernet import Fernet

from niangjia.core import sensitive
from niangjia.core.errors import DecryptionError


@pytest.mark.parametrize("kind, value, mask", [
    ("phone", "+8613800138000", "138****8000"),
    ("phone", "+861012345678", "10****5678"),
    ("id_number", "11010519491231002X", "110105************"),
    ("address", "甲省甲一市东县东镇东村3组12号", "甲省甲一市东****"),
    ("address", "东村", "东****"),
])
def test_masks_hide_the_middle(kind, value, mask):
    assert sensitive.MASKERS[kind](value) == mask


def test_seal_encrypts_and_indexes():
    sealed = sensitive.seal("phone", "+8613800138000")
    assert "13800138000" not in sealed.enc
    assert sensitive.decrypt(sealed.enc) == "+8613800138000"
    assert sealed.bidx == sensitive.blind_index("+8613800138000")
    assert sensitive.seal("address", "某地").bidx == ""  # addresses are not looked up exactly


def test_a_wrong_key_raises_instead_of_returning_ciphertext(settings):
    token = sensitive.encrypt("+8613800138000")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError):
        sensitive.decrypt(token)


def test_keys_rotate_without_losing_data(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    token = sensitive.encrypt("11010519491231002X")
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert sensitive.decrypt(token) == "11010519491231002X"  # old data still readable
    rotated = sensitive.rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert sensitive.decrypt(rotated) == "11010519491231002X"
    with pytest.raises(DecryptionError):
        sensitive.decrypt(token)


def test_blind_index_depends_on_its_key(settings):
    first = sensitive.blind_index("+8613800138000")
    settings.BLIND_INDEX_KEY = "another-key"
    assert sensitive.blind_index("+8613800138000") != first
