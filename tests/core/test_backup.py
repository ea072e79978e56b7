"""Backup and restore: the database and the uploads come back, verified; backups are private,
encrypted when a backup key is set, and a restore with the wrong keys stops before touching anything."""

import io
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from niangjia.core import backup as nj_backup
from niangjia.core.backup import crypto
from niangjia.org import services as org
from niangjia.org.models import Federation
from niangjia.people import services as people

KEY = "k" * 40
PHOTO = b"\xff\xd8\xff\xe0" + b"photo" * 50


@pytest.fixture
def data(settings, tmp_path, tree, personas):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "duties" / "2026").mkdir(parents=True)
    (settings.MEDIA_ROOT / "duties" / "2026" / "家访.jpg").write_bytes(PHOTO)
    people.person_create(actor=personas.east, unit=tree.east_village, name="张秀兰", phone="13800138000",
                         id_number="11010519491231002X", address="甲省甲一市东县东镇东村3组12号")
    return settings.MEDIA_ROOT


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_the_database_and_the_uploads_and_says_it_verified(data, tree, admin_user, tmp_path):
    # given a backup of a tree with a sealed person and an upload
    path = tmp_path / "nj.backup"
    said = _run("backup", "-o", str(path))
    assert "上传文件 1 个" in said and "未加密" in said
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # when a unit is added, the photo is lost, and the backup is restored
    org.federation_create(actor=admin_user, parent=tree.east_town, name="新村妇联", code="110101001099")
    (data / "duties" / "2026" / "家访.jpg").unlink()
    said = _run("restore", str(path), "--yes")
    # then both are as they were, and the command says what it checked
    assert not Federation.objects.filter(code="110101001099").exists()
    assert (data / "duties" / "2026" / "家访.jpg").read_bytes() == PHOTO
    assert "核对通过" in said and "上传文件 1 个一致" in said
    for field in ("people.Person.phone", "people.Person.id_number", "people.Person.address"):
        assert f"解密核对 {field}：通过" in said


@pytest.mark.django_db(transaction=True)
def test_with_a_backup_key_the_file_is_sealed_and_only_that_key_opens_it(data, settings, tmp_path):
    # given a backup key
    settings.BACKUP_KEY = KEY
    path = tmp_path / "nj.backup"
    # when a backup is made
    assert "已加密" in _run("backup", "-o", str(path))
    # then neither the database nor the photo can be seen in it
    raw = path.read_bytes()
    assert raw.startswith(crypto.MAGIC) and b"SQLite format 3" not in raw and b"photo" not in raw
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # and it restores with the key, and not with another key or none
    assert "核对通过" in _run("restore", str(path), "--yes")
    settings.BACKUP_KEY = "x" * 40
    with pytest.raises(CommandError, match="NIANGJIA_BACKUP_KEY 与备份时不同"):
        _run("restore", str(path), "--yes")
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="这是加密的备份"):
        _run("restore", str(path), "--yes")


@pytest.mark.django_db(transaction=True)
def test_a_truncated_encrypted_backup_is_refused(data, settings, tmp_path):
    settings.BACKUP_KEY = KEY
    path = tmp_path / "nj.backup"
    _run("backup", "-o", str(path))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(CommandError, match="无法解密备份|不完整"):
        _run("restore", str(path), "--yes")


@pytest.mark.django_db(transaction=True)
def test_a_wrong_blind_index_key_fails_loudly_before_anything_changes(data, settings, tree, admin_user, tmp_path):
    # given a backup, then a unit added after it
    path = tmp_path / "nj.backup"
    _run("backup", "-o", str(path))
    org.federation_create(actor=admin_user, parent=tree.east_town, name="新村妇联", code="110101001099")
    # when it is restored on a machine with another blind-index key
    settings.BLIND_INDEX_KEY = "another-blind-index-key"
    with pytest.raises(CommandError) as refused:
        _run("restore", str(path), "--yes")
    # then it says why and nothing was restored
    assert "NIANGJIA_BLIND_INDEX_KEY 与备份时不同" in str(refused.value) and "未做任何修改" in str(refused.value)
    assert Federation.objects.filter(code="110101001099").exists()


@pytest.mark.django_db(transaction=True)
def test_field_keys_sharing_none_with_the_backup_are_refused(data, settings, tmp_path):
    path = tmp_path / "nj.backup"
    _run("backup", "-o", str(path))
    settings.FIELD_ENCRYPTION_KEYS = ["a2V5LW5vdC11c2VkLWJ5LXRoZS1iYWNrdXAtMDEyMzQ="]
    with pytest.raises(CommandError, match="NIANGJIA_FIELD_KEYS 中没有备份时使用的任何一个密钥"):
        _run("restore", str(path), "--yes")


@pytest.mark.django_db(transaction=True)
def test_a_difference_after_restore_is_named(data, tmp_path):
    # given a backup whose manifest no longer matches the database (as if a table lost rows)
    path = tmp_path / "nj.backup"
    manifest = nj_backup.backup(path)
    manifest["tables"]["org_federation"]["rows"] += 1
    report = nj_backup.Report()
    # when the live database is checked against it
    nj_backup.archive.check(manifest, report)
    # then the table is named
    assert not report.ok and report.problems[0].startswith("数据表 org_federation：应有")


@pytest.mark.django_db(transaction=True)
def test_keep_deletes_all_but_the_newest(data, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for n in range(3):
        (folder / f"niangjia-2026010{n}-000000.backup").write_bytes(b"old")
        os.utime(folder / f"niangjia-2026010{n}-000000.backup", (1000 + n, 1000 + n))
    _run("backup", "--dir", str(folder), "--keep", "2")
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 2 and left[0] == "niangjia-20260102-000000.backup"


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nope.backup"), "--yes")
