"""A lapsed session never eats what was typed: htmx gets a 401 that is not swapped, a plain post gets a
page that keeps every field and asks for the password, and that page's post saves the record."""

from django.contrib.sessions.models import Session

from niangjia.duties.models import Evidence
from tests.duties.conftest import PASSWORD


def _url(duty, kind="contact_delegate"):
    return f"/duties/a/{duty.a.pk}/items/{duty.items[kind].pk}/record/"


def _lapsed_client(client, duty):
    client.force_login(duty.exec_a)
    client.get("/")
    Session.objects.all().delete()  # the server forgets the session, as after 30 idle minutes
    return client


def test_htmx_post_with_a_lapsed_session_gets_401_that_is_never_swapped(client, duty):
    # given a lapsed session
    _lapsed_client(client, duty)
    # when the card's form posts by htmx
    resp = client.post(_url(duty), {"what": "走访代表王芳", "day": "2026-03-01"}, HTTP_HX_REQUEST="true")
    # then a 401 that htmx must not swap, no login page, nothing saved
    assert resp.status_code == 401
    assert resp["HX-Reswap"] == "none"
    assert resp.json()["code"] == "login_required"
    assert Evidence.objects.filter(what="走访代表王芳").count() == 0


def test_plain_post_with_a_lapsed_session_keeps_every_field_and_asks_for_the_password(client, duty):
    # given a lapsed session; the login name was remembered at login
    _lapsed_client(client, duty)
    client.cookies["nj_user"] = "exec_a"
    # when the full-page form posts
    resp = client.post(_url(duty), {"what": "走访代表王芳", "day": "2026-03-01", "with_whom": "王芳"})
    # then the page keeps the typed fields as hidden inputs and asks for the password, nothing saved
    assert resp.status_code == 401
    body = resp.content.decode()
    assert '<input type="hidden" name="what" value="走访代表王芳">' in body
    assert '<input type="hidden" name="with_whom" value="王芳">' in body
    assert 'name="_nj_reauth_username" value="exec_a"' in body
    assert "登录已过期，您填写的内容还在" in body
    assert Evidence.objects.filter(what="走访代表王芳").count() == 0


def test_the_kept_post_with_the_password_saves_the_record(client, duty):
    # given a lapsed session
    _lapsed_client(client, duty)
    # when the kept fields come back with the password
    resp = client.post(_url(duty), {"what": "走访代表王芳", "day": "2026-03-01", "with_whom": "王芳",
                                    "_nj_reauth_username": "exec_a", "_nj_reauth_password": PASSWORD})
    # then she is logged in again and the record is saved as typed
    assert resp.status_code == 302
    ev = Evidence.objects.get(what="走访代表王芳")
    assert (ev.with_whom, str(ev.day)) == ("王芳", "2026-03-01")
    assert client.get("/session/").status_code == 200


def test_the_kept_post_with_a_wrong_password_saves_nothing_and_keeps_the_fields(client, duty):
    _lapsed_client(client, duty)
    resp = client.post(_url(duty), {"what": "走访代表王芳", "day": "2026-03-01",
                                    "_nj_reauth_username": "exec_a", "_nj_reauth_password": "wrong"})
    assert resp.status_code == 401
    assert '<input type="hidden" name="what" value="走访代表王芳">' in resp.content.decode()
    assert "用户名或密码错误" in resp.content.decode()
    assert Evidence.objects.filter(what="走访代表王芳").count() == 0


def test_session_state_and_login_in_place(client, duty):
    # given no session
    assert client.get("/session/").status_code == 401
    # when she logs in in place with a wrong, then the right password
    bad = client.post("/session/login/", {"username": "exec_a", "password": "wrong"})
    good = client.post("/session/login/", {"username": "exec_a", "password": PASSWORD})
    # then the first is refused, the second answers a fresh CSRF token and the session is alive
    assert bad.status_code == 401
    assert good.status_code == 200 and good.json()["username"] == "exec_a" and good.json()["csrf"]
    assert client.get("/session/").json()["authenticated"] is True
    assert good.cookies["nj_user"].value == "exec_a"
