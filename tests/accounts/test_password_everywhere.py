"""Every way of setting a password meets the policy (createsuperuser, changepassword, the Django
admin, the API); the demo refuses to run in production."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from niangjia.accounts.models import User
from niangjia.org.models import Federation
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


class Terminal(StringIO):
    def isatty(self):
        return True


def test_createsuperuser_without_input_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "123")
    with pytest.raises(CommandError) as exc:
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "", stdout=StringIO())
    assert "太短" in str(exc.value)
    assert not User.objects.filter(username="root").exists()


def test_createsuperuser_without_input_accepts_a_strong_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Shengfulian-Root-2026")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "", stdout=StringIO())
    assert User.objects.get(username="root").check_password("Shengfulian-Root-2026")


def test_answering_yes_to_bypass_validation_still_refuses_a_weak_password(db, monkeypatch):
    # given an operator at the prompt who types 123 twice and then "y" to "Bypass password validation?"
    from django.contrib.auth.management.commands import createsuperuser

    monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": "123")
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")
    monkeypatch.setattr(createsuperuser.Command, "get_input_data", lambda self, field, message, default=None: "root"
                        if field.name == "username" else "")
    command = createsuperuser.Command(stdout=StringIO(), stderr=StringIO())
    command._called_from_command_line = False
    # when / then
    with pytest.raises(CommandError) as exc:
        call_command(command, interactive=True, stdin=Terminal())
    assert "太短" in str(exc.value)
    assert not User.objects.filter(username="root").exists()


def test_changepassword_refuses_a_weak_password(personas, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    monkeypatch.setattr(changepassword.getpass, "getpass", lambda prompt="": "123")
    with pytest.raises(CommandError):
        call_command("changepassword", "east", stdout=StringIO(), stderr=StringIO())
    assert User.objects.get(username="east").check_password(PASSWORD)


def test_the_django_admin_sets_no_password(personas, admin_user):
    # the admin's user pages are view-only and have no password form: /users/ (policy-checked) does it
    client = Client()
    client.force_login(admin_user)
    page = client.get(f"/django-admin/accounts/user/{personas.east.pk}/password/", follow=True)
    assert page.status_code == 200 and 'name="password' not in page.content.decode()
    changed = client.post(f"/django-admin/accounts/user/{personas.east.pk}/change/", {"password": "123"})
    assert changed.status_code == 403 and User.objects.get(username="east").check_password(PASSWORD)
    response = client.post("/django-admin/accounts/user/add/", {"username": "x", "password1": "123",
                                                                "password2": "123"})
    assert response.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_the_demo_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError) as exc:
        call_command("demo", "--small", stdout=StringIO())
    assert "NIANGJIA_DEBUG=false" in str(exc.value)
    assert not Federation.objects.exists() and not User.objects.exists()


def test_the_demo_command_refuses_with_debug_off_in_the_environment(tmp_path):
    from niangjia.core.management.commands.keys import generate

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIANGJIA_", "DJANGO_ALLOW_ASYNC"))}
    env.update(generate(), NIANGJIA_DEBUG="false", NIANGJIA_MEDIA_ROOT=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "demo", "--small"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "NIANGJIA_DEBUG=false" in result.stderr
