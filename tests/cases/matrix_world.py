"""The world of the scope matrix for the needs, cases and WeChat APIs (issue 4's apps): one record of each
family in 东县 and in 西县, the 东县 users who call (cadre, scoped admin, hotline operator), and `run`,
which checks one row (tests/scope_matrix.py) as its 东县 user against the 西县 record; after a refused
request nothing may have changed (every row of these apps, audit, summaries, notifications, idempotency
keys, persons).

Imported by tests/{needs,cases,wechat}/test_*_matrix.py (not a conftest).
"""

from collections import defaultdict
from types import SimpleNamespace

from conftest import make_user
from django.utils import timezone
from scope_matrix import Endpoint, client_of, fingerprint, run_row

from niangjia.cases import intake
from niangjia.cases import services as cases
from niangjia.cases.models import (
    Case,
    CaseApproval,
    CaseEvent,
    ConsentRecord,
    FollowUp,
    HotlineCall,
    Referral,
)
from niangjia.core.models import AuditEntry, IdempotencyKey, Notification, SummaryCount
from niangjia.needs import services as needs
from niangjia.needs.models import Need, NeedEscalation, ProviderArea, Service, ServiceOrder, ServiceProvider
from niangjia.org import services as org
from niangjia.people.models import Person
from niangjia.wechat import protocol
from niangjia.wechat import services as wechat
from niangjia.wechat.models import WeChatAccount, WeChatMessage

SNAPSHOT_MODELS = (Need, NeedEscalation, Service, ServiceProvider, ProviderArea, ServiceOrder, Case, CaseApproval, CaseEvent,
                   ConsentRecord, FollowUp, HotlineCall, Referral, WeChatAccount, WeChatMessage, SummaryCount,
                   Notification, IdempotencyKey, Person)


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
    rows = fingerprint(SNAPSHOT_MODELS)
    # a list view of cases audits what it showed (the caller's own); every other audit row must stay as it was
    rows["AuditEntry"] = list(AuditEntry.objects.exclude(action="case.list").order_by("pk").values("pk", "action"))
    return rows


def run(world, ep: Endpoint) -> None:
    """Call `ep` as its 东县 user (the cadre unless the row names another) against the 西县 record."""
    target = getattr(world, ep.family)["west"]
    url = ep.url.format_map(defaultdict(lambda: ep.own(world) if ep.own else target.pk))
    run_row(client_of(world.users[ep.persona or "cadre"]), ep, url, ep.body(world, target) if ep.body else None,
            hidden=target.pk, own=getattr(world, ep.family)["east"].pk, snapshot=snapshot,
            counts=lambda body: ep.counts(world, body))
