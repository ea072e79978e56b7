"""A scorer's phone resends her submission after it was saved (lost answer, double tap): with the
same submission key she gets her saved scores back, never "link already used" and never a
second set of scores. Without the key, or with another key, the spent link still refuses."""

import json
import re

import pytest
from django.test import Client

from niangjia.selection.models import Score
from tests.selection.conftest import Api, add_scorers, close_call, error

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(sel, personas):
    close_call(personas.east, sel.selection)
    return add_scorers(personas.east, sel.parts["jury"], 1)[0][1]


def _form(sel, values, key):
    return {"key": key} | {f"score_{c.pk}": v for c, v in zip(sel.candidates, values, strict=True)}


def test_page_resend_with_the_same_key_shows_her_saved_scores(sel, token):
    # given her scoring page (it carries a submission key)
    client = Client()
    page = client.get(f"/p/selection/score/{token}/").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)
    # when she submits and her phone sends the same form again
    first = client.post(f"/p/selection/score/{token}/", _form(sel, [80, 81, 82, 83], key))
    again = client.post(f"/p/selection/score/{token}/", _form(sel, [80, 81, 82, 83], key))
    # then both answers are the "submitted" page with her scores; one set is stored
    assert first.status_code == again.status_code == 200
    body = again.content.decode()
    assert "评分已提交" in body and "83.00" in body and "此链接已经使用过" not in body
    assert Score.objects.count() == 4


def test_page_resend_without_the_key_is_refused_and_stores_nothing_more(sel, token):
    client = Client()
    client.post(f"/p/selection/score/{token}/", _form(sel, [80, 81, 82, 83], "k1"))
    other = client.post(f"/p/selection/score/{token}/", _form(sel, [10, 10, 10, 10], "k2"))
    assert other.status_code == 409 and "此链接已经使用过" in other.content.decode()
    assert sorted(Score.objects.values_list("value", flat=True)) == [80, 81, 82, 83]


def test_api_retry_with_the_same_key_returns_the_first_submission(sel, token):
    anon = Api()
    body = {"key": "phone-1", "scores": [{"candidate": c.pk, "value": 70 + i} for i, c in enumerate(sel.candidates)]}
    first = anon.post(f"/score/{token}", body)
    retry = anon.post(f"/score/{token}", body | {"scores": [{"candidate": c.pk, "value": 1} for c in sel.candidates]})
    assert (first.status_code, retry.status_code) == (201, 200)
    assert [s["value"] for s in retry.json()["scores"]] == ["70.00", "71.00", "72.00", "73.00"]
    assert Score.objects.count() == 4


def test_api_retry_with_the_idempotency_key_header(sel, token):
    client = Client()
    body = json.dumps({"scores": [{"candidate": c.pk, "value": 90} for c in sel.candidates]})
    url = f"/api/v1/selection/score/{token}"
    first = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "h1"})
    retry = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "h1"})
    fresh = client.post(url, body, content_type="application/json", headers={"Idempotency-Key": "h2"})
    assert (first.status_code, retry.status_code, fresh.status_code) == (201, 200, 409)
    assert error(fresh)["message"] == "此链接已经使用过"
    assert Score.objects.count() == 4


def test_a_key_of_one_link_does_not_replay_on_another(sel, personas, token):
    other = add_scorers(personas.east, sel.parts["jury"], 1, prefix="另")[0][1]
    anon = Api()
    body = {"key": "same", "scores": [{"candidate": c.pk, "value": 60} for c in sel.candidates]}
    assert anon.post(f"/score/{token}", body).status_code == 201
    second = anon.post(f"/score/{other}", body)
    assert second.status_code == 201 and second.json()["scorer"] == "另1"
    assert Score.objects.count() == 8
