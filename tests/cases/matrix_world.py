"""A scope matrix for the needs, cases and WeChat APIs (issue 4's apps), in the manner of
tests/test_permission_matrix.py: every API path of these apps is one row, called by a user of 东县
who holds the permission it needs, against the same record of 西县 (the other county).

A list must leave the 西县 record out and show 东县's own (so the check is not vacuous); a detail,
a list filtered by a 西县 unit and every write must answer 404 in the error shape, and after a refused
request nothing has changed (every row of these apps, audit, summaries, notifications, idempotency
keys, persons). `covered(...)` turns the rows into (method, OpenAPI path) pairs so each app's test can
assert that every documented path of it is in its matrix.

Imported by tests/{needs,cases,wechat}/test_*_matrix.py (not a conftest).
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from conftest import make_user
from django.test import Client
from django.utils import timezone

from niangjia.cases import intake
from niangjia.cases import services as cases
from niangjia.cases.models import Case, CaseEvent, ConsentRecord, FollowUp, HotlineCall, Referral
from niangjia.core.models import AuditEntry, IdempotencyKey, Notification, SummaryCount
from niangjia.needs import services as needs
from niangjia.needs.models import Need, NeedEscalation, ProviderArea, Service, ServiceOrder, ServiceProvider
from niangjia.org import services as org
from niangjia.people.models import Person
from niangjia.wechat import protocol
from niangjia.wechat import services as wechat
from niangjia.wechat.models import WeChatAccount, WeChatMessage

SNAPSHOT_MODELS = (Need, NeedEscalation, Service, ServiceProvider, ProviderArea, ServiceOrder, Case, CaseEvent,
                   ConsentRecord, FollowUp, HotlineCall, Referral, WeChatAccount, WeChatMessage, SummaryCount,
                   Notification, IdempotencyKey, Person)


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str  # OpenAPI's path (after /api/v1) with its own parameter names; each is filled with the target's id
    family: str  # world.<family>["west"] is the target, world.<family>["east"] the caller's own
    kind: str  # "list" | "detail" | "write" | "counts"
    persona: str = "cadre"  # cadre (东县 cadre), admin (东县 scoped admin), hotline (东县 operator)
    body: Callable | None = None  # (world, target) -> dict
    ids: Callable = field(default=lambda body: {i["id"] for i in (body["items"] if isinstance(body, dict) else body)})
    counts: Callable | None = None  # for "counts": (world, body) -> bool, True when 西县 is left out
    own: Callable | None = None  # (world) -> id filling the URL when the 西县 record travels in the body instead
    note: str = ""

    def __str__(self) -> str:
        return " ".join(filter(None, [self.method, self.url, self.note]))


def build_world(tree, personas, admin_user) -> SimpleNamespace:
    """One record of each family in 东县 (east) and in 西县 (west), through the real services."""
    w = SimpleNamespace()
    east_worker = make_user("m_east_worker", ["case_worker"], [tree.east])
    west_worker = make_user("m_west_worker", ["case_worker"], [tree.west])
    east_op = make_user("m_east_op", ["hotline_operator"], [tree.east])
    west_op = make_user("m_west_op", ["hotline_operator"], [tree.west])
    w.users = {"cadre": personas.east, "admin": make_user("m_east_admin", ["admin"], [tree.east]),
               "hotline": east_op, "east_worker": east_worker, "west_worker": west_worker, "west_op": west_op}
    w.fed = {"east": tree.east, "west": tree.west}
    w.village = {"east": tree.east_village, "west": tree.west_village}
    w.service, w.provider, w.need, w.order, w.org = {}, {}, {}, {}, {}
    for side, unit, village, cadre in (("east", tree.east, tree.east_village, personas.east),
                                       ("west", tree.west, tree.west_village, personas.west)):
        w.service[side] = needs.service_create(actor=admin_user, unit=unit, name=f"{side}法律咨询", category="legal")
        w.org[side] = org.organisation_create(actor=admin_user, unit=unit, kind="service_provider",
                                              name=f"{side}法律援助中心")
        w.provider[side] = needs.provider_create(actor=admin_user, organisation=w.org[side],
                                                 services=[w.service[side]], areas=[unit])
        open_need = needs.need_register(actor=cadre, unit=village, category="legal", urgency="normal",
                                        channel="walk_in", description=f"{side}的需求", contact_name="张女士",
                                        contact_phone="13900001111")
        ordered = needs.need_register(actor=cadre, unit=village, category="legal", urgency="normal",
                                      channel="walk_in", description=f"{side}派单的需求")
        w.need[side] = open_need
        w.order[side] = needs.order_create(actor=cadre, need=ordered, service=w.service[side],
                                           provider=w.provider[side])
    w.case, w.referral, w.call, w.account, w.police = {}, {}, {}, {}, {}
    for side, unit, worker, op in (("east", tree.east, east_worker, east_op), ("west", tree.west, west_worker, west_op)):
        w.police[side] = org.organisation_create(actor=admin_user, unit=unit, kind="partner_agency",
                                                 agency_type="police", name=f"{side}公安局")
        case, _ = cases.case_open(actor=worker, unit=unit, channel="walk_in", case_type="domestic_violence",
                                  narrative=f"{side}的陈述", worker=worker, consent_share=True, name=f"{side}女士",
                                  phone="13900002222" if side == "east" else "13900003333")
        cases.case_transition(actor=worker, case=case, to="assessment")
        w.referral[side] = cases.referral_create(actor=worker, case=case, agency=w.police[side])
        case.refresh_from_db()
        w.case[side] = case
        w.call[side], _ = intake.call_receive(actor=op, call_id=f"M-{side}", started_at=timezone.now(),
                                              caller="13900004444", duration_seconds=30, operator=op.username,
                                              notes="来电")
        account = wechat.account_create(actor=admin_user, unit=unit, name=f"{side}公众号", slug=f"m-{side}",
                                        app_id="wx2c2769f8efd9abc2", token="matrixtoken",
                                        mode=WeChatAccount.Mode.PLAINTEXT)
        wechat.message_record(account=account, inbound=protocol.Inbound(
            to_user="gh_matrix", from_user=f"o{side}", create_time=int(timezone.now().timestamp()), msg_type="text",
            content="想咨询法律问题", msg_id=f"99{len(side)}{ord(side[0])}", event=""))
        w.account[side] = account
    return w


def snapshot() -> dict:
    rows = {m.__name__: list(m._base_manager.order_by("pk").values()) for m in SNAPSHOT_MODELS}
    # a list view of cases audits what it showed (the caller's own); every other audit row must stay as it was
    rows["AuditEntry"] = list(AuditEntry.objects.exclude(action="case.list").order_by("pk").values("pk", "action"))
    return rows


def version_of(obj) -> int:
    return type(obj)._base_manager.values_list("version", flat=True).get(pk=obj.pk)


def cases_of(endpoints):
    for ep in endpoints:
        yield pytest.param(ep, id=str(ep))


def run(world, ep: Endpoint) -> None:
    """Call `ep` as its 东县 persona against the 西县 record and check what the caller gets and that nothing moved."""
    target = getattr(world, ep.family)["west"]
    own = getattr(world, ep.family).get("east")
    client = Client()
    client.force_login(world.users[ep.persona])
    url = "/api/v1" + ep.url.format_map(defaultdict(lambda: ep.own(world) if ep.own else target.pk))
    body = ep.body(world, target) if ep.body else None
    before = snapshot()
    if ep.method == "GET":
        r = client.get(url)
    else:
        r = getattr(client, ep.method.lower())(url, json.dumps(body or {}), content_type="application/json")
    if ep.kind == "list":
        assert r.status_code == 200, r.content
        seen = ep.ids(r.json())
        assert target.pk not in seen
        assert own.pk in seen, "the list does not even show the caller's own record"
    elif ep.kind == "counts":
        assert r.status_code == 200, r.content
        assert ep.counts(world, r.json()), r.json()
    else:
        assert r.status_code == 404, (r.status_code, r.content)
        err = r.json()["error"]
        assert set(err) == {"code", "message", "fields"} and err["code"] == "not_found"
    assert snapshot() == before


def covered(endpoints) -> set[tuple[str, str]]:
    return {(ep.method, "/api/v1" + ep.url.split("?")[0]) for ep in endpoints}


def documented(*prefixes: str) -> set[tuple[str, str]]:
    from niangjia.api import api

    return {(method.upper(), path) for path, ops in api.get_openapi_schema()["paths"].items()
            for method in ops if any(path.startswith("/api/v1" + p) for p in prefixes)}
