"""Accounts and received messages through the API and the staff pages: scope, permission, secrets."""

import json

import pytest
from django.test import Client

from niangjia.core.models import AuditEntry
from niangjia.core.sensitive import decrypt
from niangjia.wechat import services
from niangjia.wechat.models import WeChatAccount
from tests.wechat.conftest import AES_KEY, APP_ID, TOKEN, text_xml

pytestmark = pytest.mark.django_db
BASE = "/api/v1/wechat"


class Api:
    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def get(self, url, **params):
        return self.client.get(BASE + url, params)

    def post(self, url, body):
        return self.client.post(BASE + url, json.dumps(body), content_type="application/json")

    def patch(self, url, body):
        return self.client.patch(BASE + url, json.dumps(body), content_type="application/json")


def _body(unit, **extra):
    return {"unit": unit.pk, "name": "东县女性", "slug": "dx", "app_id": APP_ID, "token": TOKEN,
            "encoding_aes_key": AES_KEY, "mode": "safe", **extra}


@pytest.fixture
def west_account(tree, admin_user):
    return services.account_create(actor=admin_user, unit=tree.west, name="西县女性", slug="xixian", app_id=APP_ID,
                                   token=TOKEN, mode="plaintext")


# ---------------------------------------------------------------- API


def test_a_cadre_connects_her_county_account_and_secrets_are_sealed(tree, personas):
    response = Api(personas.east).post("/accounts", _body(tree.east))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["callback_path"] == "/p/wechat/dx/" and body["has_aes_key"] is True and body["version"] == 1
    assert "token" not in body and "encoding_aes_key" not in body and TOKEN not in response.content.decode()
    account = WeChatAccount.objects.get()
    assert TOKEN not in account.token_enc and decrypt(account.token_enc) == TOKEN
    assert decrypt(account.aes_key_enc) == AES_KEY
    entry = AuditEntry.objects.get(action="wechat.account_create")
    assert entry.actor_id == personas.east.pk and TOKEN not in json.dumps(entry.detail)


@pytest.mark.parametrize(("field", "value"), [("encoding_aes_key", "tooshort"), ("token", "a b"),
                                              ("slug", "Bad Slug"), ("app_id", "x")])
def test_bad_settings_are_refused_naming_the_field(tree, personas, field, value):
    response = Api(personas.east).post("/accounts", _body(tree.east, **{field: value}))
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert WeChatAccount.objects.count() == 0


def test_safe_mode_needs_a_key(tree, personas):
    response = Api(personas.east).post("/accounts", _body(tree.east, encoding_aes_key=""))
    assert response.status_code == 400 and "encoding_aes_key" in response.json()["error"]["fields"]


def test_a_taken_slug_is_refused(tree, personas, west_account):
    response = Api(personas.east).post("/accounts", _body(tree.east, slug="xixian"))
    assert response.status_code == 400 and "slug" in response.json()["error"]["fields"]


def test_another_countys_unit_is_not_found(tree, personas):
    response = Api(personas.east).post("/accounts", _body(tree.west))
    assert response.status_code == 404 and WeChatAccount.objects.count() == 0


def test_without_org_edit_it_is_forbidden(tree, personas, plain_account):
    api = Api(personas.statistician)  # 东县, but no org.edit
    assert api.get("/accounts").status_code == 403
    assert api.get(f"/accounts/{plain_account.pk}").status_code == 403
    assert api.post("/accounts", _body(tree.east)).status_code == 403


def test_lists_and_details_stay_in_scope(personas, plain_account, west_account):
    api = Api(personas.east)
    assert {a["id"] for a in api.get("/accounts").json()["items"]} == {plain_account.pk}
    assert api.get(f"/accounts/{west_account.pk}").status_code == 404
    assert api.get(f"/accounts/{west_account.pk}/messages").status_code == 404
    assert api.patch(f"/accounts/{west_account.pk}", {"version": 1, "name": "x"}).status_code == 404
    assert WeChatAccount.objects.get(pk=west_account.pk).name == "西县女性"


def test_patch_changes_settings_keeps_secrets_unless_given_and_refuses_stale(personas, plain_account):
    api = Api(personas.east)
    response = api.patch(f"/accounts/{plain_account.pk}", {"version": 1, "name": "东县娘家", "welcome": "欢迎"})
    assert response.status_code == 200 and response.json()["version"] == 2
    plain_account.refresh_from_db()
    assert decrypt(plain_account.token_enc) == TOKEN
    assert api.patch(f"/accounts/{plain_account.pk}", {"version": 2, "token": "newtoken1"}).status_code == 200
    plain_account.refresh_from_db()
    assert decrypt(plain_account.token_enc) == "newtoken1"
    stale = api.patch(f"/accounts/{plain_account.pk}", {"version": 1, "name": "旧"})
    assert stale.status_code == 409 and WeChatAccount.objects.get().name == "东县娘家"
    entry = AuditEntry.objects.filter(action="wechat.account_update").last()
    assert "newtoken1" not in json.dumps(entry.detail)


def test_switching_to_safe_mode_without_a_key_is_refused(personas, plain_account):
    response = Api(personas.east).patch(f"/accounts/{plain_account.pk}", {"version": 1, "mode": "safe"})
    assert response.status_code == 400 and WeChatAccount.objects.get().mode == "plaintext"


def test_messages_list_masks_senders_and_filters(personas, wechat_plain):
    wechat_plain.post_plain(text_xml("想学电商", msg_id="1"))
    wechat_plain.post_plain(text_xml("孩子厌学", msg_id="2"))
    api = Api(personas.east)
    items = api.get(f"/accounts/{wechat_plain.account.pk}/messages").json()["items"]
    assert len(items) == 2 and {i["sender"] for i in items} == {"oyO****0rs"}
    assert {i["outcome"] for i in items} == {"need"} and all(i["record_type"] == "needs.Need" for i in items)
    assert api.get(f"/accounts/{wechat_plain.account.pk}/messages", outcome="suggestion").json()["items"] == []
    page = api.get(f"/accounts/{wechat_plain.account.pk}/messages", limit=1).json()
    assert len(page["items"]) == 1 and page["next_cursor"]


def test_openapi_documents_the_endpoints():
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/wechat/accounts", "/api/v1/wechat/accounts/{account_id}",
            "/api/v1/wechat/accounts/{account_id}/messages"} <= set(paths)


# ---------------------------------------------------------------- staff pages


def _web(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_pages_list_create_show_and_edit(tree, personas):
    c = _web(personas.east)
    assert c.get("/wechat/").status_code == 200
    assert c.get("/wechat/new/").status_code == 200
    response = c.post("/wechat/new/", {"unit": tree.east.pk, "name": "东县女性", "slug": "dx", "app_id": APP_ID,
                                       "token": TOKEN, "encoding_aes_key": AES_KEY, "mode": "safe",
                                       "rate_per_minute": 600, "active": "on"})
    account = WeChatAccount.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/wechat/{account.pk}/"
    page = c.get(f"/wechat/{account.pk}/").content.decode()
    assert "http://testserver/p/wechat/dx/" in page and TOKEN not in page and AES_KEY not in page
    edit = c.get(f"/wechat/{account.pk}/edit/").content.decode()
    assert TOKEN not in edit and AES_KEY not in edit
    c.post(f"/wechat/{account.pk}/edit/", {"name": "东县娘家", "slug": "dx", "app_id": APP_ID, "mode": "safe",
                                           "rate_per_minute": 600, "active": "on", "version": 1})
    account.refresh_from_db()
    assert account.name == "东县娘家" and decrypt(account.token_enc) == TOKEN


def test_a_bad_form_shows_the_field_and_writes_nothing(tree, personas):
    response = _web(personas.east).post("/wechat/new/", {
        "unit": tree.east.pk, "name": "东县女性", "slug": "dx", "app_id": APP_ID, "token": TOKEN,
        "encoding_aes_key": "short", "mode": "safe", "rate_per_minute": 600})
    assert response.status_code == 200 and "EncodingAESKey" in response.content.decode()
    assert WeChatAccount.objects.count() == 0


def test_toggle_switches_the_account_off(personas, plain_account):
    c = _web(personas.east)
    c.post(f"/wechat/{plain_account.pk}/toggle/", {"version": 1})
    assert WeChatAccount.objects.get().active is False


def test_pages_outside_scope_or_permission(personas, west_account):
    assert _web(personas.east).get(f"/wechat/{west_account.pk}/").status_code == 404
    assert _web(personas.east).post(f"/wechat/{west_account.pk}/toggle/", {"version": 1}).status_code == 404
    assert _web(personas.statistician).get("/wechat/").status_code == 403
    assert WeChatAccount.objects.get().active is True


def test_the_message_list_shows_masked_senders_and_exports(personas, wechat_plain):
    from niangjia.needs.models import Need

    wechat_plain.post_plain(text_xml("想学电商"))
    c = _web(personas.east)
    page = c.get(f"/wechat/{wechat_plain.account.pk}/").content.decode()
    need = Need.objects.get()
    assert "oyO****0rs" in page and need.tracking_code in page and "oyORnuP8" not in page
    assert f'href="/needs/{need.pk}/"' in page
    wechat_plain.post_plain(text_xml("建议：多办讲座", msg_id="2"))
    from niangjia.participation.models import Suggestion

    letter = Suggestion.objects.get()
    assert f'href="/participation/suggestions/{letter.pk}/"' in c.get(f"/wechat/{wechat_plain.account.pk}/").content.decode()
    export = c.get(f"/wechat/{wechat_plain.account.pk}/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
