"""`niangjia bootstrap`: the root and the first administrator, once, with a policy-checked password."""

import io

import pytest
from django.core.management import CommandError, call_command

from niangjia.accounts.models import User
from niangjia.core.models import AuditEntry
from niangjia.org.models import Federation

GOOD = "Niangjia-Bootstrap-2026!"


def test_bootstrap_creates_the_national_root_and_the_first_administrator(db, monkeypatch):
    # given an empty database and a password in the environment
    monkeypatch.setenv("NIANGJIA_ADMIN_PASSWORD", GOOD)
    # when bootstrap runs
    call_command("bootstrap", "--username", "root-admin", stdout=io.StringIO())
    # then the root and a superuser exist, and the creation is audited
    root = Federation.objects.get()
    user = User.objects.get(username="root-admin")
    assert (root.name, root.code, root.level, root.path, root.l1) == ("全国妇联", "100000000000", 1, f"/{root.id}/", root.id)
    assert (user.is_superuser, user.check_password(GOOD), user.roles) == (True, True, ["admin"])
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["federation.create"]


def test_bootstrap_makes_a_provincial_root_for_a_provincial_deployment(db, monkeypatch):
    monkeypatch.setenv("NIANGJIA_ADMIN_PASSWORD", GOOD)
    call_command("bootstrap", "--province", "33", "--name", "浙江省妇联", stdout=io.StringIO())
    root = Federation.objects.get()
    assert (root.code, root.level, root.l1, root.l2, root.parent_id) == ("33", 2, None, root.id, None)


def test_bootstrap_reads_the_password_from_stdin(db, monkeypatch):
    monkeypatch.delenv("NIANGJIA_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    call_command("bootstrap", "--password-stdin", stdout=io.StringIO())
    assert User.objects.get(username="admin").check_password(GOOD)


def test_bootstrap_refuses_a_weak_password_and_writes_nothing(db, monkeypatch):
    monkeypatch.setenv("NIANGJIA_ADMIN_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="密码不符合策略"):
        call_command("bootstrap", stdout=io.StringIO())
    assert (Federation.objects.count(), User.objects.count()) == (0, 0)


def test_bootstrap_refuses_when_a_root_exists(tree, monkeypatch):
    monkeypatch.setenv("NIANGJIA_ADMIN_PASSWORD", GOOD)
    with pytest.raises(CommandError, match="已有根组织"):
        call_command("bootstrap", "--username", "second", stdout=io.StringIO())
    assert not User.objects.filter(username="second").exists()
