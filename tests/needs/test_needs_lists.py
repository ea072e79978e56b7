"""Lists of the needs pages: Excel on catalogue, providers and orders; order and provider filters; the
"escalated to my federation" filter; `niangjia export` for the ledger, catalogue, providers and orders."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from niangjia.needs import services
from niangjia.org import services as org
from tests.conftest import make_user
from tests.needs.conftest import register

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def sheet(content: bytes) -> list[tuple]:
    return [r for r in load_workbook(BytesIO(content), read_only=True).active.iter_rows(values_only=True)]


@pytest.fixture
def orders(tree, personas, catalogue, admin_user):
    """Two orders in 东县 (legal by the aid centre, counselling by a second provider) and one in 西县."""
    org2 = org.organisation_create(actor=admin_user, unit=tree.east, kind="service_provider", name="东县心理服务站")
    p2 = services.provider_create(actor=admin_user, organisation=org2, services=[catalogue.counselling],
                                  areas=[tree.east])
    a = register(personas.east, tree.east_village, category="legal")
    b = register(personas.east, tree.east_village, category="counselling")
    w = register(personas.west, tree.west_village, category="legal")
    o1 = services.order_create(actor=personas.east, need=a, service=catalogue.legal, provider=catalogue.provider)
    o2 = services.order_create(actor=personas.east, need=b, service=catalogue.counselling, provider=p2)
    services.order_create(actor=personas.west, need=w, service=catalogue.west_legal, provider=catalogue.west_provider)
    return {"legal": o1, "counselling": o2, "p2": p2}


def test_service_orders_filter_by_provider_category_and_day_on_the_page_and_the_api(tree, personas, catalogue,
                                                                                 orders):
    c = client_for(personas.east)

    def shown(**params):
        body = c.get("/needs/orders/", params).content.decode()
        return sorted(int(x) for x in re.findall(r'data-order="(\d+)"', body))

    legal, counselling = orders["legal"].pk, orders["counselling"].pk
    assert shown() == sorted([legal, counselling])
    assert shown(provider=catalogue.provider.pk) == [legal]
    assert shown(category="counselling") == [counselling]
    today = timezone.localdate()
    assert shown(start=today.isoformat(), end=today.isoformat()) == sorted([legal, counselling])
    assert shown(end=(today - timedelta(days=1)).isoformat()) == []
    api = c.get("/api/v1/service-orders", {"category": "legal"}).json()["items"]
    assert [o["id"] for o in api] == [legal]
    assert c.get("/api/v1/service-orders", {"start": (today + timedelta(days=1)).isoformat()}).json()["items"] == []


def test_providers_filter_and_sort(tree, personas, catalogue, orders):
    c = client_for(personas.east)

    def shown(**params):
        body = c.get("/needs/providers/", params).content.decode()
        return [int(x) for x in re.findall(r'data-provider="(\d+)"', body)]

    assert shown(category="counselling") == [orders["p2"].pk]
    assert shown(q="法律") == [catalogue.provider.pk]
    assert shown(active="0") == []
    assert shown(sort="new") == [orders["p2"].pk, catalogue.provider.pk]
    names = [p["organisation"]["name"] for p in c.get("/api/v1/services/providers", {"sort": "name"}).json()["items"]]
    assert names == sorted(names) and len(names) == 2
    newest = c.get("/api/v1/services/providers", {"sort": "new"}).json()["items"]
    assert newest[0]["id"] == orders["p2"].pk


def test_catalogue_providers_and_orders_export_to_excel_as_the_user_sees_them(tree, personas, catalogue, orders,
                                                                             east_worker):
    c = client_for(personas.east)
    cat = sheet(c.get("/needs/catalogue/", {"export": "xlsx"}).content)
    assert cat[0][:3] == ("编号", "服务名称", "类别") and sorted(r[1] for r in cat[1:]) == ["心理疏导", "法律咨询"]
    prov = sheet(c.get("/needs/providers/", {"export": "xlsx"}).content)
    assert sorted(r[1] for r in prov[1:]) == ["东县心理服务站", "东县法律援助中心"]
    rows = sheet(c.get("/needs/orders/", {"export": "xlsx", "category": "legal"}).content)
    assert [(r[2], r[4], r[7]) for r in rows[1:]] == [("法律咨询", "东县法律援助中心", "已派单")]
    # the case worker handles needs but holds no export permission
    assert client_for(east_worker).get("/needs/orders/", {"export": "xlsx"}).status_code == 403


def test_the_ledger_filters_needs_escalated_to_my_federation(tree, personas):
    # given an overdue need of 东村 escalated to 东镇, and one of 东镇 escalated to 东县
    past = timezone.now() - timedelta(days=30)
    village = register(personas.east, tree.east_village, urgency="critical", description="村里的需求", at=past)
    town = register(personas.east, tree.east_town, urgency="critical", description="镇里的需求", at=past)
    services.needs_escalate()
    # then the township cadre sees only the village's under 上报本会; the county cadre only the town's
    t = client_for(personas.township).get("/needs/", {"to_me": "1"}).content.decode()
    assert f'data-need="{village.pk}"' in t and f'data-need="{town.pk}"' not in t
    e = client_for(personas.east).get("/api/v1/needs", {"escalated_to_me": "true"}).json()["items"]
    assert [n["id"] for n in e] == [town.pk]


def test_cli_exports_of_the_needs_lists_are_scoped(tree, personas, catalogue, orders, tmp_path):
    out = tmp_path / "x.xlsx"
    call_command("export_list", "service_orders", actor="east", output=str(out))
    assert sorted(r[2] for r in sheet(out.read_bytes())[1:]) == ["心理疏导", "法律咨询"]
    call_command("export_list", "needs", actor="west", output=str(out))
    assert [r[3] for r in sheet(out.read_bytes())[1:]] == ["西村妇联"]
    call_command("export_list", "service_providers", actor="province", output=str(out))
    assert len(sheet(out.read_bytes())) == 4
    call_command("export_list", "service_catalogue", actor="east", output=str(out))
    assert len(sheet(out.read_bytes())) == 3
    make_user("noexport", ["case_worker"], [tree.east])
    with pytest.raises(CommandError):
        call_command("export_list", "needs", actor="noexport", output=str(out))


def test_the_orders_export_writes_times_in_local_time_and_leaves_missing_ones_empty(tree, personas, orders,
                                                                                   tmp_path):
    # given the legal order accepted, the counselling one not
    legal = services.order_accept(actor=personas.east, order=orders["legal"], version=orders["legal"].version)
    # when the orders are exported
    out = tmp_path / "orders.xlsx"
    call_command("export_list", "service_orders", actor="east", output=str(out))
    rows = {r[2]: r for r in sheet(out.read_bytes())[1:]}
    # then 接单时间 is the local wall-clock time (to the second), and empty where there is none
    accepted = timezone.localtime(legal.accepted_at).replace(tzinfo=None, microsecond=0)
    assert rows["法律咨询"][9].replace(microsecond=0) == accepted
    assert rows["心理疏导"][9] in (None, "") and rows["心理疏导"][10] in (None, "")
