"""The needs API: the pipeline end to end, refusals in the error shape, scope (404) and permission (403),
catalogue/provider CRUD, orders and ratings, and the OpenAPI document."""

import json
import re

import pytest
from django.test import Client

from niangjia.core.models import AuditEntry
from niangjia.needs.models import Need, ServiceOrder, ServiceProvider
from tests.needs.conftest import register

pytestmark = pytest.mark.django_db
BASE = "/api/v1"


class Api:
    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def get(self, url, **params):
        return self.client.get(BASE + url, params)

    def post(self, url, body=None):
        return self.client.post(BASE + url, json.dumps(body or {}), content_type="application/json")

    def patch(self, url, body):
        return self.client.patch(BASE + url, json.dumps(body), content_type="application/json")


def test_a_need_walks_the_pipeline_through_the_api(tree, personas, east_worker):
    east, worker = Api(personas.east), Api(east_worker)
    r = east.post("/needs", {"unit": tree.east_village.pk, "category": "employment", "urgency": "urgent",
                             "channel": "intake_point", "description": "想学电商直播", "contact_name": "李梅",
                             "contact_phone": "13800138000"})
    assert r.status_code == 201, r.content
    need = r.json()
    assert (need["status"], need["contact_phone_mask"], need["allowed_steps"]) == (
        "registered", "138****8000", ["assign", "refer", "close"])
    assert "13800138000" not in r.content.decode()
    nid = need["id"]
    r = east.post(f"/needs/{nid}/assign", {"version": 1, "assignee": east_worker.pk})
    assert (r.status_code, r.json()["assignee"]["id"]) == (200, east_worker.pk)
    assert worker.post(f"/needs/{nid}/start", {"version": 2}).json()["status"] == "in_progress"
    r = worker.post(f"/needs/{nid}/resolve", {"version": 3, "resolution": "报名县妇联电商培训班"})
    assert r.json()["status"] == "resolved"
    r = east.post(f"/needs/{nid}/close", {"version": 4, "reason": "已参加培训"})
    assert (r.json()["status"], r.json()["version"]) == ("closed", 5)
    r = east.post(f"/needs/{nid}/contact")
    assert r.json() == {"name": "李梅", "phone": "+8613800138000"}


def test_a_refused_transition_answers_409_with_the_transition_code(tree, personas):
    need = register(personas.east, tree.east_village)
    r = Api(personas.east).post(f"/needs/{need.pk}/resolve", {"version": 1, "resolution": "x"})
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "invalid_transition" and "已登记" in err["message"]
    assert Need.objects.get(pk=need.pk).status == "registered"


def test_missing_fields_are_named(tree, personas):
    need = register(personas.east, tree.east_village)
    r = Api(personas.east).post(f"/needs/{need.pk}/close", {"version": 1, "reason": " "})
    assert (r.status_code, r.json()["error"]["fields"]) == (400, {"reason": "请填写关闭原因"})
    r = Api(personas.east).post("/needs", {"unit": tree.east_village.pk, "category": "nope", "channel": "walk_in",
                                           "description": "x"})
    assert r.status_code == 400 and "category" in r.json()["error"]["fields"]


def test_a_stale_version_answers_409(tree, personas):
    need = register(personas.east, tree.east_village)
    api = Api(personas.east)
    assert api.post(f"/needs/{need.pk}/refer", {"version": 1, "target": "县法律援助中心"}).status_code == 200
    r = api.post(f"/needs/{need.pk}/close", {"version": 1, "reason": "x"})
    assert (r.status_code, r.json()["error"]["code"]) == (409, "stale_version")


def test_a_cadre_of_west_gets_404_on_an_east_need_everywhere(tree, personas, catalogue):
    need = register(personas.east, tree.east_village)
    order_need = register(personas.east, tree.east_village)
    from niangjia.needs import services

    order = services.order_create(actor=personas.east, need=order_need, service=catalogue.legal,
                                  provider=catalogue.provider)
    west = Api(personas.west)
    for url in (f"/needs/{need.pk}", f"/needs/{need.pk}/orders", f"/service-orders/{order.pk}",
                f"/services/{catalogue.legal.pk}", f"/services/providers/{catalogue.provider.pk}",
                f"/needs?unit={tree.east.pk}", f"/service-orders?unit={tree.east.pk}"):
        r = west.client.get(BASE + url)
        assert (r.status_code, r.json()["error"]["code"]) == (404, "not_found"), url
    for url, body in ((f"/needs/{need.pk}/assign", {"version": 1, "assignee": personas.west.pk}),
                      (f"/needs/{need.pk}/refer", {"version": 1, "target": "x"}),
                      (f"/needs/{need.pk}/close", {"version": 1, "reason": "x"}),
                      (f"/needs/{need.pk}/contact", None),
                      (f"/service-orders/{order.pk}/accept", {"version": 1}),
                      ("/needs", {"unit": tree.east_village.pk, "category": "legal", "channel": "walk_in",
                                  "description": "x"}),
                      ("/services", {"unit": tree.east.pk, "name": "x", "category": "legal"}),
                      (f"/services/{catalogue.legal.pk}", {"version": 1, "name": "改"})):
        r = west.patch(url, body) if url.startswith("/services/") and "providers" not in url else west.post(url, body)
        assert r.status_code == 404, (url, r.content)
    assert Need.objects.get(pk=need.pk).version == 1
    assert ServiceOrder.objects.get(pk=order.pk).status == "ordered"
    lists = {"/needs": need.pk, "/service-orders": order.pk, "/services": catalogue.legal.pk,
             "/services/providers": catalogue.provider.pk}
    for url, hidden in lists.items():
        assert hidden not in [i["id"] for i in west.get(url, limit=200).json()["items"]], url
        assert hidden in [i["id"] for i in Api(personas.east).get(url, limit=200).json()["items"]], url


def test_an_executive_without_needs_permissions_gets_403(tree, personas):
    need = register(personas.east, tree.east_village)
    village = Api(personas.village)
    assert village.get("/needs").status_code == 403
    assert village.client.get(f"{BASE}/needs/{need.pk}").status_code == 403
    r = village.post(f"/needs/{need.pk}/refer", {"version": 1, "target": "x"})
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
    assert village.post("/needs", {"unit": tree.east_village.pk, "category": "legal", "channel": "walk_in",
                                   "description": "x"}).status_code == 403
    assert Need.objects.count() == 1


def test_a_handler_without_needs_manage_cannot_keep_the_catalogue(tree, personas, east_worker, catalogue):
    worker = Api(east_worker)
    assert worker.post("/services", {"unit": tree.east.pk, "name": "x", "category": "legal"}).status_code == 403
    assert worker.patch(f"/services/{catalogue.legal.pk}", {"version": 1, "name": "x"}).status_code == 403
    assert worker.post(f"/needs/{register(personas.east, tree.east_village).pk}/assign",
                       {"version": 1, "assignee": east_worker.pk}).status_code == 403


def test_list_filters_sorts_and_pages(tree, personas):
    for i in range(5):
        register(personas.east, tree.east_village, channel="hotline" if i % 2 else "website",
                 category="legal" if i < 3 else "rights", description=f"需求{i}")
    api = Api(personas.east)
    page = api.get("/needs", limit=2, sort="old").json()
    assert [i["description"] for i in page["items"]] == ["需求0", "需求1"] and page["next_cursor"]
    page2 = api.get("/needs", limit=2, sort="old", cursor=page["next_cursor"]).json()
    assert [i["description"] for i in page2["items"]] == ["需求2", "需求3"]
    assert {i["description"] for i in api.get("/needs", channel="hotline").json()["items"]} == {"需求1", "需求3"}
    assert {i["description"] for i in api.get("/needs", category="rights").json()["items"]} == {"需求3", "需求4"}
    assert api.get("/needs", status="bogus").status_code == 400


def test_catalogue_provider_crud_and_an_order_rated(tree, personas):
    from niangjia.org import services as org

    api = Api(personas.east)
    r = api.post("/services", {"unit": tree.east.pk, "name": "家庭教育指导", "category": "family_education",
                               "government_purchased": True})
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    r = api.patch(f"/services/{sid}", {"version": 1, "description": "每周六上午，县妇女儿童活动中心"})
    assert r.json()["version"] == 2
    organisation = org.organisation_create(actor=personas.east, unit=tree.east, kind="social_org", name="春晖家教社")
    r = api.post("/services/providers", {"organisation": organisation.pk, "services": [sid],
                                         "areas": [tree.east_town.pk]})
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert [a["id"] for a in r.json()["areas"]] == [tree.east_town.pk]
    assert [s["id"] for s in api.get("/services/available", unit=tree.east_village.pk).json()["items"]] == [sid]
    assert api.get("/services/available", unit=tree.east.pk).json()["items"] == []  # 东县 itself is not under 东镇
    need = register(personas.east, tree.east_village, category="family_education")
    r = api.post("/service-orders", {"need": need.pk, "service": sid, "provider": pid, "version": 1})
    assert r.status_code == 201, r.content
    oid = r.json()["id"]
    assert api.get(f"/needs/{need.pk}").json()["status"] == "referred"
    assert api.post(f"/service-orders/{oid}/rating", {"rating": 5}).json()["error"]["code"] == "invalid"
    assert api.post(f"/service-orders/{oid}/accept", {"version": 1}).json()["status"] == "accepted"
    r = api.post(f"/service-orders/{oid}/deliver", {"version": 2, "outcome": ""})
    assert r.json()["error"]["fields"] == {"outcome": "请填写服务情况"}
    assert api.post(f"/service-orders/{oid}/deliver", {"version": 2, "outcome": "上门指导 2 次"}).json()["status"] == "delivered"
    r = api.post(f"/service-orders/{oid}/rating", {"rating": 5, "comment": "老师很耐心"})
    assert (r.json()["rating"], r.json()["rated_by_woman"]) == (5, False)
    assert api.post(f"/service-orders/{oid}/rating", {"rating": 9}).status_code == 400
    r = api.patch(f"/services/providers/{pid}", {"version": 1, "is_active": False})
    assert r.json()["is_active"] is False
    assert AuditEntry.objects.filter(action="needs.order.rate").count() == 1


def test_an_order_outside_the_providers_area_is_refused(tree, personas, catalogue):
    need = register(personas.east, tree.east_village)
    api = Api(personas.east)
    r = api.post("/service-orders", {"need": need.pk, "service": catalogue.west_legal.pk,
                                     "provider": catalogue.west_provider.pk, "version": need.version})
    assert r.status_code == 400 and r.json()["error"]["fields"] == {"provider": "服务区域不包括需求所在地"}
    r = api.post("/service-orders", {"need": need.pk, "service": catalogue.counselling.pk,
                                     "provider": catalogue.provider.pk, "version": need.version})
    assert r.json()["error"]["fields"] == {"provider": "不提供此服务"}
    assert not ServiceOrder.objects.exists()
    assert Need.objects.get(pk=need.pk).status == "registered"


def test_orders_decline_then_reorder_and_cancel(tree, personas, catalogue):
    need = register(personas.east, tree.east_village)
    api = Api(personas.east)
    body = {"need": need.pk, "service": catalogue.legal.pk, "provider": catalogue.provider.pk}
    first = api.post("/service-orders", {**body, "version": need.version}).json()
    r = api.post(f"/service-orders/{first['id']}/decline", {"version": 1, "reason": "本周律师不足"})
    assert r.json()["status"] == "declined"
    assert api.post(f"/service-orders/{first['id']}/accept", {"version": 2}).json()["error"]["code"] == "invalid_transition"
    second = api.post("/service-orders", {**body, "version": api.get(f"/needs/{need.pk}").json()["version"]})
    assert second.status_code == 201  # a referred need may be ordered again
    r = api.post(f"/service-orders/{second.json()['id']}/cancel", {"version": 1, "reason": "妇女已自行解决"})
    assert r.json()["status"] == "cancelled"
    assert len(api.get(f"/needs/{need.pk}/orders").json()["items"]) == 2
    assert ServiceProvider.objects.count() == 2


def test_openapi_documents_every_needs_endpoint_in_chinese(db):
    schema = Client().get("/api/openapi.json").json()
    ops = {(m, p): op for p, d in schema["paths"].items() for m, op in d.items()
           if p.startswith(("/api/v1/needs", "/api/v1/services", "/api/v1/service-orders"))}
    assert len(ops) >= 28
    for key in [("get", "/api/v1/needs"), ("post", "/api/v1/needs/{id}/assign"), ("post", "/api/v1/service-orders"),
                ("post", "/api/v1/services/providers"), ("post", "/api/v1/service-orders/{id}/rating")]:
        assert key in ops
    for key, op in ops.items():
        assert re.search(r"[\u4e00-\u9fff]", op.get("summary", "")), key
        ok = next(code for code in op["responses"] if code.startswith("2"))
        assert "schema" in op["responses"][ok]["content"]["application/json"], key
