"""Messages made in Python follow the reader's language: an API refusal answers in the language of the request,
and a notification is written in the language its recipient chose, whoever caused it."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from niangjia.core.models import Notification
from niangjia.core.notify import notify
from niangjia.needs import services
from niangjia.needs.models import Need

pytestmark = pytest.mark.django_db


def register(actor, unit):
    return services.need_register(actor=actor, unit=unit, category="legal", urgency="normal", channel="walk_in",
                                  description="土地承包权益咨询", registered_at=None)


def _post(user, path, body, language):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_a_refused_step_is_explained_in_the_language_of_the_request(tree, personas):
    # given a need just registered
    need = register(personas.east, tree.east_village)
    # when a cadre who chose English tries to resolve it before anyone took it on
    r = _post(personas.east, f"/needs/{need.pk}/resolve", {"version": 1, "resolution": "x"}, "en")
    # then the refusal reads in English, naming the need's status in English, and nothing changed
    assert r.status_code == 409
    message = r.json()["error"]["message"]
    assert "Registered" in message and not any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert Need.objects.get(pk=need.pk).status == "registered"
    # and the same refusal in Chinese for a Chinese request
    r = _post(personas.east, f"/needs/{need.pk}/resolve", {"version": 1, "resolution": "x"}, "zh-hans")
    assert "已登记" in r.json()["error"]["message"]


def test_a_missing_field_is_named_in_english(tree, personas):
    need = register(personas.east, tree.east_village)
    r = _post(personas.east, f"/needs/{need.pk}/close", {"version": 1, "reason": " "}, "en")
    assert (r.status_code, r.json()["error"]["fields"]) == (400, {"reason": "Please give the reason for closing"})


def test_a_login_request_without_a_token_is_refused_in_english(db):
    r = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/federations")
    assert r.status_code == 401 and r.json()["error"]["message"] == "Please log in or give a valid token"


def test_a_notification_is_written_in_the_language_its_recipient_chose(personas):
    # given one recipient who chose English and one who kept Chinese
    personas.east.language = "en"
    personas.east.save(update_fields=["language"])
    # when a Chinese-speaking colleague's action notifies both
    with translation.override("zh-hans"):
        notify([personas.east, personas.township], kind="needs.assigned",
               text=format_lazy(gettext_lazy("指派给您的需求：{value}"), value="婆媳矛盾"))
    # then each reads it in her own language (the need's own words stay as written)
    texts = dict(Notification.objects.values_list("recipient__username", "text"))
    assert texts == {"east": "A need assigned to you: 婆媳矛盾", "township": "指派给您的需求：婆媳矛盾"}
