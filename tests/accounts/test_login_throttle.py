"""Login hardening: a locked account answers like a wrong password, a per-address throttle
answers 429 (web and token endpoint), and the lockout holds under concurrency (PostgreSQL)."""

import json

import pytest
from django.contrib.auth import hashers
from django.db import connection
from django.test import Client

from niangjia.accounts import backends
from niangjia.accounts import services as accounts
from niangjia.accounts.models import User
from niangjia.core.models import AuditEntry
from tests.checks import race
from tests.conftest import PASSWORD


def web_login(username, password, address="198.51.100.7"):
    return Client().post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def api_login(username, password, address="198.51.100.7"):
    return Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                         content_type="application/json", REMOTE_ADDR=address)


def lock(username):
    for n in range(5):
        web_login(username, f"wrong-{n}", address=f"192.0.2.{n}")
    assert User.objects.get(username=username).locked_until is not None


def test_a_locked_account_answers_the_api_exactly_like_a_wrong_password(personas):
    # given east is locked and west is not
    lock("east")
    # when both are tried, east with her right password and west with a wrong one
    locked = api_login("east", PASSWORD)
    wrong = api_login("west", "wrong-password")
    # then the answers cannot be told apart
    assert (locked.status_code, locked.json()) == (wrong.status_code, wrong.json())
    assert locked.status_code == 401 and locked.json()["error"]["message"] == accounts.MSG_BAD_LOGIN


def test_a_locked_account_answers_the_web_login_exactly_like_a_wrong_password(personas):
    lock("east")
    locked = web_login("east", PASSWORD)
    wrong = web_login("west", "wrong-password")
    assert locked.status_code == wrong.status_code == 400
    assert str(accounts.MSG_BAD_LOGIN) in locked.content.decode() and str(accounts.MSG_BAD_LOGIN) in wrong.content.decode()
    assert "锁定至" not in locked.content.decode()


def test_a_locked_account_still_runs_the_password_hasher(personas, monkeypatch):
    # given
    lock("east")
    calls = []
    real = hashers.check_password
    monkeypatch.setattr(backends, "check_password", lambda pw, enc: calls.append(pw) or real(pw, enc))
    # when
    with pytest.raises(Exception):  # noqa: B017 - the type is asserted by the tests above
        accounts.login_check("east", PASSWORD)
    # then the hash was computed, as for a wrong password, and the refusal is audited
    assert calls == [PASSWORD]
    assert AuditEntry.objects.filter(action="login.refused").count() == 1


def test_failed_logins_past_the_address_allowance_answer_429_on_the_web_login(personas, settings):
    # given an allowance of 3 failures per hour per address
    settings.LOGIN_ADDRESS_RATE = "3/h"
    for n in range(3):
        assert web_login("east", f"wrong-{n}").status_code == 400
    # when the address tries again, even with a right password
    refused = web_login("west", PASSWORD)
    # then 429 before any password is checked; another address is unaffected
    assert refused.status_code == 429 and str(accounts.MSG_TOO_MANY_ATTEMPTS) in refused.content.decode()
    assert User.objects.get(username="west").failed_logins == 0
    assert web_login("west", PASSWORD, address="198.51.100.8").status_code == 302


def test_failed_logins_past_the_address_allowance_answer_429_on_the_token_endpoint(personas, settings):
    settings.LOGIN_ADDRESS_RATE = "3/h"
    for n in range(3):
        assert api_login("east", f"wrong-{n}").status_code == 401
    refused = api_login("west", PASSWORD)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert api_login("west", PASSWORD, address="198.51.100.8").status_code == 200


def test_successful_logins_do_not_use_the_address_allowance(personas, settings):
    settings.LOGIN_ADDRESS_RATE = "2/h"
    for _ in range(4):
        assert web_login("east", PASSWORD).status_code == 302


def test_one_address_cannot_lock_more_accounts_than_its_allowance_allows(personas, settings):
    # given the default allowance of 20 failures an hour
    settings.LOGIN_ADDRESS_RATE = "20/h"
    # when one address tries 5 wrong passwords on each of 6 accounts
    for username in ["east", "west", "province", "township", "village", "stats"]:
        for n in range(5):
            web_login(username, f"wrong-{n}")
    # then only the first 4 accounts were locked
    assert User.objects.filter(locked_until__isnull=False).count() == 4


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_at_most_five_wrong_passwords_are_checked_under_a_burst_of_24(personas, settings):
    # given 24 simultaneous wrong-password attempts on one account, each from its own address
    settings.LOGIN_ADDRESS_RATE = "1000/h"
    _, _, errors = race(lambda n: web_login("east", f"wrong-{n}", address=f"192.0.2.{n}"), 24)
    # then exactly 5 passwords were checked (failed + the one that locked), the rest refused unchecked
    assert errors == []
    checked = AuditEntry.objects.filter(action__in=["login.failed", "login.locked"]).count()
    assert checked == 5
    assert AuditEntry.objects.filter(action="login.locked").count() == 1
    assert AuditEntry.objects.filter(action="login.refused").count() == 19
    assert User.objects.get(username="east").locked_until is not None
