"""Lockout keyed on the account, password policy, idle sessions, disabled users."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from niangjia.accounts import queries as accounts_queries
from niangjia.accounts import services as accounts
from niangjia.accounts.models import ApiToken, User
from niangjia.core.errors import Forbidden, NotFound, Unauthenticated, ValidationFailed
from niangjia.core.models import AuditEntry
from tests.conftest import PASSWORD


def post_login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_five_failures_lock_the_account_for_thirty_minutes(personas):
    client = Client()
    for _ in range(5):
        post_login(client, "east", "wrong-password")
    user = User.objects.get(username="east")
    assert user.locked_until is not None
    minutes = (user.locked_until - timezone.now()).total_seconds() / 60
    assert 29 < minutes <= 30
    # even the right password is refused while locked, in the words of a wrong password
    resp = post_login(client, "east", PASSWORD)
    assert resp.status_code == 400 and str(accounts.MSG_BAD_LOGIN) in resp.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login.locked").count() == 1


def test_four_failures_do_not_lock_and_a_success_resets_the_count(personas):
    for _ in range(4):
        post_login(Client(), "east", "wrong-password")
    assert User.objects.get(username="east").locked_until is None
    post_login(Client(), "east", PASSWORD)
    assert User.objects.get(username="east").failed_logins == 0


def test_a_forged_forwarded_for_header_does_not_reset_the_lock(personas):
    for i in range(5):
        post_login(Client(), "east", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}", REMOTE_ADDR=f"192.0.2.{i}")
    resp = post_login(Client(), "east", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.7")
    assert resp.status_code == 400 and User.objects.get(username="east").locked_until is not None


def test_the_lock_ends_after_thirty_minutes(personas):
    User.objects.filter(username="east").update(locked_until=timezone.now() - timedelta(seconds=1))
    client = Client()
    resp = post_login(client, "east", PASSWORD)
    assert resp.status_code == 302 and client.session["_auth_user_id"] == str(personas.east.pk)


def test_the_api_token_endpoint_is_locked_too(personas):
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            accounts.token_issue(username="west", password="nope")
    with pytest.raises(Unauthenticated) as locked:
        accounts.token_issue(username="west", password=PASSWORD)
    assert locked.value.message == accounts.MSG_BAD_LOGIN


def test_unknown_users_get_the_same_message_as_bad_passwords(personas):
    with pytest.raises(Unauthenticated) as unknown:
        accounts.login_check("nobody", "x")
    with pytest.raises(Unauthenticated) as wrong:
        accounts.login_check("east", "x")
    assert unknown.value.message == wrong.value.message


def test_idle_sessions_expire_after_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.parametrize("password, fragment", [
    ("Ab1!", "太短"),              # length
    ("password1234", "常见"),       # common password
    ("abcdefghijkl", "3 类"),       # one character class
    ("abcdefgh1234", "3 类"),       # two classes
])
def test_the_password_policy_names_what_is_wrong(personas, admin_user, tree, password, fragment):
    with pytest.raises(ValidationFailed) as exc:
        accounts.user_create(actor=admin_user, username="newbie", password=password, roles=["cadre"], units=[tree.east])
    assert fragment in exc.value.message
    assert not User.objects.filter(username="newbie").exists()


def test_a_strong_password_passes(admin_user, tree):
    user = accounts.user_create(actor=admin_user, username="newbie", password="Dong-Village-2026", roles=["cadre"],
                                units=[tree.east])
    assert user.check_password("Dong-Village-2026")


def test_disabling_a_user_ends_her_sessions_and_tokens_at_once(personas):
    # given a logged-in browser session and an API token
    browser = Client()
    post_login(browser, "east", PASSWORD)
    raw, _ = accounts.token_issue(username="east", password=PASSWORD)
    assert browser.get("/").status_code == 200
    assert accounts.token_user(raw) == personas.east
    # when an administrator disables her
    accounts.user_set_active(actor=User.objects.get(username="admin"),
                             user=personas.east, active=False)
    # then neither works on the very next request
    assert browser.get("/").status_code == 302
    assert accounts.token_user(raw) is None
    assert ApiToken.objects.filter(user=personas.east, revoked=False).count() == 0


def test_an_admin_cannot_widen_her_own_roles_or_scope(personas, tree):
    county_admin = accounts.user_create(actor=User.objects.get(username="admin"), username="eastadmin",
                                        password="Dong-Admin-2026!", roles=["admin"], units=[tree.east])
    with pytest.raises(Forbidden):
        accounts.user_update_access(actor=county_admin, user=county_admin, version=None, units=[tree.province])
    with pytest.raises(Forbidden):
        accounts.user_set_active(actor=county_admin, user=county_admin, active=False)
    assert [s.unit_id for s in county_admin.scopes.all()] == [tree.east.id]


def test_an_admin_cannot_grant_beyond_what_she_holds(personas, tree, admin_user):
    county_admin = accounts.user_create(actor=admin_user, username="eastadmin", password="Dong-Admin-2026!",
                                        roles=["admin"], units=[tree.east])
    leader = accounts.user_create(actor=admin_user, username="eastleader", password="Dong-Leader-2026!",
                                  roles=["leader"], units=[tree.east_town])
    # scope outside her reach answers as if the unit did not exist
    with pytest.raises(NotFound):
        accounts.user_update_access(actor=county_admin, user=leader, version=None, units=[tree.west])
    with pytest.raises(NotFound):
        accounts.user_create(actor=county_admin, username="x1", password="Dong-Admin-2026!", roles=["cadre"],
                             units=[tree.west])
    # a user of another county is not hers to manage
    with pytest.raises(NotFound):
        accounts_queries.get_user_for(county_admin, personas.west.pk)
    assert accounts_queries.get_user_for(county_admin, leader.pk) == leader


def test_a_non_superuser_cannot_grant_a_role_she_lacks(personas, tree, admin_user):
    cadre_admin = accounts.user_create(actor=admin_user, username="mixed", password="Dong-Admin-2026!",
                                       roles=["cadre"], units=[tree.east])
    with pytest.raises(Forbidden):  # cadre lacks users.manage altogether
        accounts.user_create(actor=cadre_admin, username="x2", password="Dong-Admin-2026!", roles=["cadre"],
                             units=[tree.east])
