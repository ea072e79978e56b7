"""The public needs API (no account): find a village and its services, describe a need or order a service
(retry-safe on the key), track by code, rate — rate-limited, in OpenAPI, showing no personal data."""

import json

import pytest
from django.test import Client

from niangjia.core.models import IdempotencyKey
from niangjia.needs import services
from niangjia.needs.models import Need, ServiceOrder

pytestmark = pytest.mark.django_db
API = "/api/v1/needs/public"


def post(url, body, client=None, **extra):
    return (client or Client()).post(url, json.dumps(body), content_type="application/json", **extra)


def body(tree, **kw):
    b = {"village": tree.east_village.pk, "key": "k-0000-0001", "category": "legal", "urgency": "normal",
         "description": "想咨询土地承包权益", "contact_name": "李大姐", "contact_phone": "13900001234"}
    b.update(kw)
    return b


def test_a_woman_finds_her_village_and_its_services(tree, catalogue):
    found = Client().get(f"{API}/villages", {"q": "东村"}).json()["items"]
    assert [(v["id"], v["township"], v["county"]) for v in found] == [(tree.east_village.pk, "东镇妇联", "东县妇联")]
    svcs = Client().get(f"{API}/villages/{tree.east_village.pk}/services").json()["items"]
    assert [s["name"] for s in svcs] == ["法律咨询"] and svcs[0]["category_name"] == "法律服务"
    assert Client().get(f"{API}/villages/{tree.east.pk}/services").status_code == 404


def test_a_need_is_registered_once_however_often_it_is_retried(tree):
    first = post(f"{API}/needs", body(tree))
    again = post(f"{API}/needs", body(tree, description="重发的内容"))
    assert first.status_code == 201 and again.status_code == 200, first.content
    assert first.json()["tracking_code"] == again.json()["tracking_code"] and again.json()["created"] is False
    need = Need.objects.get()
    assert (need.unit, need.channel, need.description, need.contact_phone_mask) == (
        tree.east_village, "website", "想咨询土地承包权益", "139****1234")
    assert IdempotencyKey.objects.filter(scope="need.public.website").count() == 1


def test_ordering_a_service_takes_its_category_and_a_service_not_offered_there_is_refused(tree, catalogue):
    r = post(f"{API}/needs", body(tree, key="k-order-1", category=None, service=catalogue.legal.pk))
    assert r.status_code == 201 and Need.objects.get().requested_service == catalogue.legal
    refused = post(f"{API}/needs", body(tree, key="k-order-2", service=catalogue.west_legal.pk))
    assert refused.status_code == 400 and "service" in refused.json()["error"]["fields"]
    assert Need.objects.count() == 1


@pytest.mark.parametrize(("change", "field"), [({"category": None}, "category"), ({"description": " "}, "description"),
                                               ({"contact_phone": "12"}, "contact_phone"), ({"key": "x"}, "key"),
                                               ({"urgency": "critical"}, "urgency")])
def test_bad_input_names_the_field_and_writes_nothing(tree, change, field):
    r = post(f"{API}/needs", body(tree, **change))
    assert r.status_code == 400 and field in r.json()["error"]["fields"], r.content
    assert not Need.objects.exists()


def test_tracking_shows_status_and_no_personal_data_and_the_rating_goes_to_the_service_then_the_need(
        tree, personas, catalogue):
    code = post(f"{API}/needs", body(tree, category=None, service=catalogue.legal.pk)).json()["tracking_code"]
    need = Need.objects.get()
    track = Client().get(f"{API}/track/{code.lower()}")
    assert track.status_code == 200
    text = track.content.decode()
    assert "土地承包" not in text and "李大姐" not in text and "1234" not in text
    assert (track.json()["status"], track.json()["rate_next"], track.json()["requested_service"]) == (
        "registered", "", "法律咨询")
    assert post(f"{API}/track/{code}/rating", {"rating": 5}).status_code == 400  # nothing to rate yet
    order = services.order_create(actor=personas.east, need=need, service=catalogue.legal, provider=catalogue.provider)
    services.order_deliver(actor=personas.east, order=order, version=order.version, outcome="律师已解答")
    assert Client().get(f"{API}/track/{code}").json()["rate_next"] == "order"
    rated = post(f"{API}/track/{code}/rating", {"rating": 4, "comment": "很及时", "key": "r-1"})
    retry = post(f"{API}/track/{code}/rating", {"rating": 4, "comment": "很及时", "key": "r-1"})
    assert (rated.status_code, retry.status_code) == (201, 200)
    assert rated.json() == {"rated": "order", "rating": 4, "created": True} and retry.json()["created"] is False
    o = ServiceOrder.objects.get()
    assert (o.rating, o.rated_by_woman) == (4, True)
    assert Client().get(f"{API}/track/{code}").json()["orders"][0]["rated"] is True
    assert Client().get(f"{API}/track/ZZZZ9999").status_code == 404


def test_submissions_are_rate_limited_per_address(tree):
    from niangjia.needs.views.public import SUBMIT_RATE

    limit = int(SUBMIT_RATE.split("/")[0])
    codes = [post(f"{API}/needs", body(tree, key=f"k-limit-{n:04d}"), REMOTE_ADDR="10.1.1.1").status_code
             for n in range(limit + 1)]
    assert codes == [201] * limit + [429]
    assert post(f"{API}/needs", body(tree, key="k-other-0001"), REMOTE_ADDR="10.1.1.2").status_code == 201
    assert Need.objects.count() == limit + 1


def test_the_public_endpoints_are_in_the_openapi_document(db):
    from niangjia.api import api

    paths = api.get_openapi_schema()["paths"]
    for p in ("/villages", "/villages/{village}/services", "/needs", "/track/{code}", "/track/{code}/rating"):
        assert f"/api/v1/needs/public{p}" in paths, p
    assert not paths["/api/v1/needs/public/needs"]["post"].get("security")
