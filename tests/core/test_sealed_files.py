"""Sealed files (core.sealed_files): personal data on disk only as ciphertext, read back with seeks, and a
changed, cut or swapped file refused rather than read wrong."""

import io
import os
import zipfile

import pytest

from niangjia.core import sealed_files
from niangjia.core.errors import DecryptionError


def sealed(tmp_path, data: bytes, name="f.sealed"):
    path = tmp_path / name
    with sealed_files.open_write(path) as out:
        for i in range(0, len(data), 7000):  # written in pieces that do not line up with the chunks
            out.write(data[i:i + 7000])
    return path


@pytest.mark.parametrize("size", [0, 1, sealed_files.CHUNK, sealed_files.CHUNK + 1, 3 * sealed_files.CHUNK + 123])
def test_what_is_written_reads_back_whole_and_from_any_place(tmp_path, size):
    data = os.urandom(size)
    path = sealed(tmp_path, data)
    with sealed_files.open_read(path) as f:
        assert f.read() == data
        for at in (0, size // 2, max(0, size - 5)):
            f.seek(at)
            assert f.read(10) == data[at:at + 10]
        f.seek(-3, io.SEEK_END)
        assert f.read() == data[-3:] if size >= 3 else True


def test_the_clear_text_is_not_on_disk(tmp_path):
    secret = b"110105198503150024 13800138000 " * 5000
    raw = sealed(tmp_path, secret).read_bytes()
    assert b"110105198503150024" not in raw and b"13800138000" not in raw


def test_a_zip_is_read_through_the_seal(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "甲" * 100_000)
    with sealed_files.open_read(sealed(tmp_path, buf.getvalue())) as f, zipfile.ZipFile(f) as z:
        assert z.read("a.txt").decode() == "甲" * 100_000


def test_a_changed_byte_a_cut_file_or_another_key_is_refused(tmp_path, settings):
    data = os.urandom(2 * sealed_files.CHUNK + 10)
    path = sealed(tmp_path, data)
    raw = bytearray(path.read_bytes())
    changed = tmp_path / "changed"
    raw[sealed_files.HEAD + 100] ^= 1
    changed.write_bytes(bytes(raw))
    with pytest.raises(DecryptionError), sealed_files.open_read(changed) as f:
        f.read()
    cut = tmp_path / "cut"  # the last chunk dropped: the one before it does not say it is the last
    cut.write_bytes(path.read_bytes()[:sealed_files.HEAD + 2 * (sealed_files.CHUNK + sealed_files.TAG)])
    with pytest.raises(DecryptionError), sealed_files.open_read(cut) as f:
        f.read()
    settings.FIELD_ENCRYPTION_KEYS = ["x" * 43 + "="]
    with pytest.raises(DecryptionError):
        sealed_files.open_read(path)
