"""Token and session auth: one error shape for every refusal."""

from niangjia.accounts import services as accounts
from niangjia.accounts.models import ApiToken

from .helpers import PASSWORD, Api, error_of, token_for


def test_token_from_username_and_password_opens_the_api(personas):
    # given
    token = token_for("east")
    # when
    r = Api(token=token).get("/federations/tree")
    # then
    assert r.status_code == 200
    assert [n["name"] for n in r.json()["items"]] == ["东县妇联"]


def test_wrong_password_gets_no_token(personas):
    # when
    r = Api().post("/auth/token", {"username": "east", "password": "wrong"})
    # then
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"
    assert ApiToken.objects.count() == 0


def test_token_request_without_password_names_the_field(personas):
    r = Api().post("/auth/token", {"username": "east"})
    assert r.status_code == 400
    assert "password" in error_of(r)["fields"]


def test_bad_token_answers_401_in_the_error_shape(personas):
    r = Api(token="not-a-token").get("/persons")
    assert r.status_code == 401
    err = error_of(r)
    assert err["code"] == "unauthenticated"
    assert err["message"]


def test_no_credentials_answers_401(personas):
    r = Api().get("/federations")
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"


def test_disabled_users_token_stops_working_at_once(personas, admin_user):
    # given: a working token
    token = token_for("east")
    api = Api(token=token)
    assert api.get("/persons").status_code == 200
    # when: an administrator disables her
    accounts.user_set_active(actor=admin_user, user=personas.east, active=False)
    # then: the very next request is refused
    r = api.get("/persons")
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthenticated"


def test_disabled_users_session_stops_working(personas, admin_user):
    api = Api(personas.east)
    assert api.get("/persons").status_code == 200
    accounts.user_set_active(actor=admin_user, user=personas.east, active=False)
    assert api.get("/persons").status_code == 401


def test_logout_revokes_the_token(personas):
    # given
    token = token_for("east")
    api = Api(token=token)
    # when
    r = api.post("/auth/logout")
    # then
    assert r.status_code == 200
    assert api.get("/persons").status_code == 401


def test_session_login_works_without_a_token(personas):
    api = Api()
    assert api.client.login(username="east", password=PASSWORD)
    assert api.get("/federations/tree").status_code == 200
