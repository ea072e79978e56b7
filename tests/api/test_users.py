"""User administration (users.manage only): list, detail, create, access, disable/enable, unlock, password, roles."""

from datetime import timedelta

from django.utils import timezone

from niangjia.accounts.models import User

from .helpers import PASSWORD, Api, error_of, ids_of, snapshot, token_for

NEW_PASSWORD = "Xinmima-2026!"


def test_list_shows_only_users_inside_the_admins_scope(personas, records, east_admin):
    body = Api(east_admin).get("/users").json()
    names = {u["username"] for u in body["items"]}
    assert names == {"east_admin", "east", "township", "village", "stats", "east_clerk"}
    assert ids_of(Api(east_admin).get("/users", role="executive").json()) == {personas.village.id}
    assert ids_of(Api(east_admin).get("/users", q="town").json()) == {personas.township.id}


def test_list_without_users_manage_is_403(personas):
    r = Api(personas.province).get("/users")
    assert r.status_code == 403
    assert error_of(r)["code"] == "forbidden"


def test_detail(personas, east_admin, tree):
    r = Api(east_admin).get(f"/users/{personas.village.id}")
    assert r.status_code == 200
    body = r.json()
    assert body["roles"] == ["executive"] and body["role_names"] == ["执委"]
    assert body["units"] == [{"id": tree.east_village.id, "name": "东村妇联", "level": 6}]
    assert "people.reveal" not in body["permissions"] and body["locked"] is False


def test_create_with_roles_units_and_person(tree, personas, records, east_admin):
    r = Api(east_admin).post("/users", {"username": "dongcun2", "password": NEW_PASSWORD, "first_name": "王四红",
                                        "roles": ["executive"], "units": [tree.east_village2.id],
                                        "person": records.person["village"].id})
    assert r.status_code == 201, r.content
    user = User.objects.get(username="dongcun2")
    assert user.roles == ["executive"] and user.person_id == records.person["village"].id
    assert [s.unit_id for s in user.scopes.all()] == [tree.east_village2.id]
    assert token_for("dongcun2", NEW_PASSWORD)


def test_create_refuses_a_weak_password_naming_the_field(tree, east_admin):
    before = snapshot()
    r = Api(east_admin).post("/users", {"username": "x1", "password": "123456", "roles": ["executive"],
                                        "units": [tree.east.id]})
    assert r.status_code == 400
    assert "password" in error_of(r)["fields"]
    assert snapshot() == before


def test_create_refuses_an_unknown_role_naming_the_field(tree, east_admin):
    r = Api(east_admin).post("/users", {"username": "x1", "password": NEW_PASSWORD, "roles": ["queen"],
                                        "units": [tree.east.id]})
    assert r.status_code == 400
    assert "roles.0" in error_of(r)["fields"]


def test_create_refuses_a_taken_username(tree, personas, east_admin):
    r = Api(east_admin).post("/users", {"username": "village", "password": NEW_PASSWORD, "roles": ["executive"],
                                        "units": [tree.east.id]})
    assert r.status_code == 400
    assert "username" in error_of(r)["fields"]


def test_create_refuses_empty_scope(east_admin):
    r = Api(east_admin).post("/users", {"username": "x1", "password": NEW_PASSWORD, "roles": ["executive"],
                                        "units": []})
    assert r.status_code == 400
    assert "units" in error_of(r)["fields"]


def test_create_without_users_manage_is_403(tree, personas):
    before = snapshot()
    r = Api(personas.east).post("/users", {"username": "x1", "password": NEW_PASSWORD, "roles": ["executive"],
                                           "units": [tree.east.id]})
    assert r.status_code == 403
    assert snapshot() == before


def test_patch_access(tree, personas, east_admin):
    r = Api(east_admin).patch(f"/users/{personas.village.id}", {"version": 1, "roles": ["statistician"],
                                                               "units": [tree.east_town.id]})
    assert r.status_code == 200, r.content
    assert r.json()["roles"] == ["statistician"] and r.json()["units"][0]["id"] == tree.east_town.id
    assert r.json()["version"] == 2


def test_patch_access_with_a_stale_version_is_409(tree, personas, east_admin):
    api = Api(east_admin)
    assert api.patch(f"/users/{personas.village.id}", {"version": 1, "roles": ["statistician"]}).status_code == 200
    before = snapshot()
    r = api.patch(f"/users/{personas.village.id}", {"version": 1, "roles": ["cadre"]})
    assert r.status_code == 409
    assert snapshot() == before


def test_an_admin_cannot_change_her_own_access(tree, east_admin):
    before = snapshot()
    r = Api(east_admin).patch(f"/users/{east_admin.id}", {"version": 1, "units": [tree.city.id]})
    assert r.status_code in (403, 404)
    assert snapshot() == before


def test_disable_stops_the_users_token_and_enable_restores_access(personas, east_admin):
    # given
    victim = Api(token=token_for("township"))
    assert victim.get("/persons").status_code == 200
    api = Api(east_admin)
    # when
    r = api.post(f"/users/{personas.township.id}/disable")
    # then
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert victim.get("/persons").status_code == 401
    assert api.post(f"/users/{personas.township.id}/enable").json()["is_active"] is True
    assert Api(token=token_for("township")).get("/persons").status_code == 200


def test_unlock(personas, east_admin):
    User.objects.filter(pk=personas.village.pk).update(failed_logins=5,
                                                       locked_until=timezone.now() + timedelta(minutes=30))
    api = Api(east_admin)
    assert api.get(f"/users/{personas.village.id}").json()["locked"] is True
    r = api.post(f"/users/{personas.village.id}/unlock")
    assert r.status_code == 200 and r.json()["locked"] is False
    assert token_for("village")


def test_set_password_revokes_old_tokens(personas, east_admin):
    old = Api(token=token_for("village"))
    r = Api(east_admin).post(f"/users/{personas.village.id}/password", {"password": NEW_PASSWORD})
    assert r.status_code == 200
    assert old.get("/persons").status_code == 401
    assert token_for("village", NEW_PASSWORD)
    assert Api().post("/auth/token", {"username": "village", "password": PASSWORD}).status_code == 401


def test_set_a_weak_password_names_the_field(personas, east_admin):
    before = snapshot()
    r = Api(east_admin).post(f"/users/{personas.village.id}/password", {"password": "abc"})
    assert r.status_code == 400
    assert "password" in error_of(r)["fields"]
    assert snapshot() == before


def test_roles_list_names_roles_and_permissions(east_admin, personas):
    roles = {r["code"]: r for r in Api(east_admin).get("/roles").json()["items"]}
    assert roles["executive"]["name"] == "执委"
    assert {p["code"] for p in roles["executive"]["permissions"]} == {
        "org.view", "people.view", "stats.view", "duties.record", "fieldwork.record", "contacts.record",
        "reports.view", "reports.fill"}
    assert Api(personas.east).get("/roles").status_code == 403
