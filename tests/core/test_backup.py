"""Backup and restore round trip: what was there comes back; nothing is half-restored."""

import pytest
from django.core.management import CommandError, call_command

from niangjia.org import services as org
from niangjia.org.models import Federation


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_what_the_backup_held(tree, admin_user, tmp_path):
    # given a backup of the tree
    path = tmp_path / "nj.backup"
    call_command("backup", "-o", str(path), stdout=open("/dev/null", "w"))
    assert path.stat().st_size > 0
    # when a unit is added afterwards and the backup is restored
    org.federation_create(actor=admin_user, parent=tree.east_town, name="新村妇联", code="110101001099")
    assert Federation.objects.filter(code="110101001099").exists()
    call_command("restore", str(path), "--yes", stdout=open("/dev/null", "w"))
    # then the database is as it was at the backup
    assert not Federation.objects.filter(code="110101001099").exists()
    assert Federation.objects.filter(code=tree.east_village.code).exists()


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nope.backup"), "--yes")
