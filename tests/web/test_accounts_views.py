"""Login, home, user administration and the audit log, as users meet them."""

from datetime import date

import pytest

from niangjia.accounts.models import User, UserScope
from niangjia.accounts.services import MSG_BAD_LOGIN
from niangjia.core.models import AuditEntry
from niangjia.org import services as org
from niangjia.stats import services as stats

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD_PASSWORD = "Dongxian-2026!ok"
PASSWORD = "Persona-Login-2026!"


def scoped_user(username, roles, units):
    """A user with these roles and scope units (the shared conftest is not importable by name here)."""
    user = User.objects.create_user(username=username, password=PASSWORD, roles=roles, first_name=username)
    for unit in units:
        UserScope.objects.create(user=user, unit=unit)
    return user


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def county_admin(tree):
    """An administrator scoped to the east county, holding the admin and cadre roles."""
    return scoped_user("eastadmin", ["admin", "cadre"], [tree.east])


@pytest.fixture
def east_password(personas):
    personas.east.set_password(PASSWORD)
    personas.east.save(update_fields=["password"])
    return PASSWORD


def test_login_page_renders_and_logs_in(client, personas, east_password):
    assert "登录" in client.get("/login/").content.decode()
    resp = client.post("/login/", {"username": "east", "password": PASSWORD})
    assert resp.status_code == 302 and resp["Location"] == "/"


def test_login_with_bad_password_says_so(client, personas):
    resp = client.post("/login/", {"username": "east", "password": "wrong"})
    assert resp.status_code == 400 and "用户名或密码错误" in resp.content.decode()


def test_a_locked_login_shows_the_wrong_password_message(client, personas, settings, east_password):
    # a locked account must not be told apart from a wrong password (docs/security.md)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post("/login/", {"username": "east", "password": "wrong"})
    resp = client.post("/login/", {"username": "east", "password": PASSWORD})
    html = resp.content.decode()
    assert resp.status_code == 400 and str(MSG_BAD_LOGIN) in html and "账号已锁定" not in html
    assert "_auth_user_id" not in client.session


def test_login_with_empty_fields_names_them(client, db):
    html = client.post("/login/", {"username": "", "password": ""}).content.decode()
    assert "请填写用户名" in html and "请填写密码" in html


def test_language_switch_to_english(client, personas):
    client.force_login(personas.east)
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert resp.status_code == 302
    assert client.get("/").wsgi_request.LANGUAGE_CODE == "en"


def test_logout(client, personas):
    client.force_login(personas.east)
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_home_shows_greeting_scope_counts_and_chart(client, tree, personas):
    # given one logged activity in the east county and one in the west
    stats.activity_log(actor=personas.east, unit=tree.east_village, day=date.today(), category="visit",
                       title="入户走访", women_reached=12)
    stats.activity_log(actor=personas.west, unit=tree.west_village, day=date.today(), category="training",
                       title="西县培训", women_reached=30)
    org.site_create(actor=personas.east, unit=tree.east_village, kind="womens_home", name="东村妇女之家")
    client.force_login(personas.east)
    # when she opens the home page
    html = client.get("/").content.decode()
    # then she sees her scope, counts in reach and a chart of her reach only
    assert "east，您好" in html and "东县妇联" in html
    assert "nj-chart" in html and "走访" in html and "培训" not in html
    assert "妇女之家" in html and "/org/tree/" in html and "/users/" not in html


def test_users_list_for_admin_and_403_for_cadre(client, tree, personas, county_admin):
    client.force_login(county_admin)
    html = client.get("/users/").content.decode()
    assert "east" in html and "township" in html and "west" not in html
    client.force_login(personas.east)
    assert client.get("/users/").status_code == 403


def test_users_export(client, county_admin, personas):
    client.force_login(county_admin)
    resp = client.get("/users/?export=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX


def test_create_user_with_roles_and_scope(client, tree, county_admin):
    client.force_login(county_admin)
    resp = client.post("/users/new/", {"username": "newcadre", "first_name": "李梅", "password": GOOD_PASSWORD,
                                       "password2": GOOD_PASSWORD, "roles": ["cadre"],
                                       "units": [str(tree.east_town.id)], "unit_codes": tree.east_village.code})
    user = User.objects.get(username="newcadre")
    assert resp.status_code == 302
    assert user.roles == ["cadre"]
    assert set(UserScope.objects.filter(user=user).values_list("unit_id", flat=True)) == {
        tree.east_town.id, tree.east_village.id}


def test_create_user_weak_password_shows_policy_and_writes_nothing(client, tree, county_admin):
    client.force_login(county_admin)
    resp = client.post("/users/new/", {"username": "weak", "password": "abc", "password2": "abc",
                                       "roles": ["cadre"], "units": [str(tree.east.id)]})
    html = resp.content.decode()
    assert resp.status_code == 400 and "密码" in html and "类" in html
    assert not User.objects.filter(username="weak").exists()


def test_create_user_cannot_grant_a_unit_outside_her_reach(client, tree, county_admin):
    client.force_login(county_admin)
    resp = client.post("/users/new/", {"username": "x1", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
                                       "roles": ["statistician"], "unit_codes": tree.west.code})
    html = resp.content.decode()
    assert resp.status_code == 400 and tree.west.code in html
    assert not User.objects.filter(username="x1").exists()


def test_edit_access_and_refused_for_oneself(client, tree, personas, county_admin):
    client.force_login(county_admin)
    target = personas.township
    resp = client.post(f"/users/{target.id}/", {"roles": ["cadre"], "units": [str(tree.east_village.id)],
                                                 "version": target.version})
    assert resp.status_code == 302
    assert list(UserScope.objects.filter(user=target).values_list("unit_id", flat=True)) == [tree.east_village.id]
    me = client.post(f"/users/{county_admin.id}/", {"roles": ["cadre"], "units": [str(tree.east_village.id)],
                                                     "version": county_admin.version})
    assert me.status_code == 403 and "不能修改自己的角色" in me.content.decode()
    assert list(UserScope.objects.filter(user=county_admin).values_list("unit_id", flat=True)) == [tree.east.id]


def test_user_outside_reach_is_404(client, personas, county_admin):
    client.force_login(county_admin)
    assert client.get(f"/users/{personas.west.id}/").status_code == 404
    assert client.post(f"/users/{personas.west.id}/active/", {"active": ""}).status_code == 404
    assert User.objects.get(pk=personas.west.pk).is_active


def test_disable_enable_and_unlock(client, personas, county_admin):
    client.force_login(county_admin)
    client.post(f"/users/{personas.township.id}/active/", {"active": ""})
    assert not User.objects.get(pk=personas.township.pk).is_active
    client.post(f"/users/{personas.township.id}/active/", {"active": "on"})
    assert User.objects.get(pk=personas.township.pk).is_active
    User.objects.filter(pk=personas.east.pk).update(locked_until="2999-01-01T00:00:00Z")
    assert "解除锁定" in client.get(f"/users/{personas.east.id}/").content.decode()
    client.post(f"/users/{personas.east.id}/unlock/")
    assert User.objects.get(pk=personas.east.pk).locked_until is None


def test_audit_log_filters_and_exports(client, tree, personas, county_admin):
    org.site_create(actor=personas.east, unit=tree.east, kind="hotline", name="东县12338")
    org.site_create(actor=personas.west, unit=tree.west, kind="hotline", name="西县12338")
    client.force_login(county_admin)
    html = client.get("/audit/?action=site.create").content.decode()
    assert "东县12338" in html and "西县12338" not in html
    assert "东县12338" not in client.get("/audit/?actor=township").content.decode()
    resp = client.get("/audit/?export=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX


def test_audit_log_403_without_permission(client, personas):
    client.force_login(personas.statistician)
    before = AuditEntry.objects.count()
    assert client.get("/audit/").status_code == 403
    assert AuditEntry.objects.count() == before
