"""The cases and hotline API: intake by token, idempotency under retries, the case flow, errors, OpenAPI."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from niangjia.cases.models import Case, HotlineCall, Referral
from niangjia.core import sensitive
from niangjia.core.models import AuditEntry, IdempotencyKey
from niangjia.needs.models import Need
from tests.cases.conftest import ID_BAD
from tests.checks import race

pytestmark = pytest.mark.django_db
PASSWORD = "Niangjia-Test-2026!"


class Api:
    def __init__(self, user=None, token=None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if user is not None:
            self.client.force_login(user)

    def get(self, url, **params):
        return self.client.get("/api/v1" + url, params, headers=self.headers)

    def post(self, url, body=None):
        return self.client.post("/api/v1" + url, json.dumps(body or {}), content_type="application/json",
                                headers=self.headers)


def version_of(model, pk) -> int:
    """The version a client would have read (every write to an existing record names it)."""
    return model.objects.values_list("version", flat=True).get(pk=pk)


def token(username):
    r = Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": PASSWORD}),
                      content_type="application/json")
    return r.json()["token"]


def call_body(call_id="T-1", **kw):
    body = {"call_id": call_id, "started_at": timezone.now().isoformat(), "caller": "13900002222",
            "duration_seconds": 95, "operator": "hotline", "notes": "来电称被丈夫打伤"}
    body.update(kw)
    return body


def test_the_telephony_system_posts_a_call_with_a_token_and_a_retry_returns_the_first(staff, tree):
    api = Api(token=token("hotline"))
    first = api.post("/intake/hotline-calls", call_body())
    again = api.post("/intake/hotline-calls", call_body(notes="重发"))
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["id"] == first.json()["id"]
    call = HotlineCall.objects.get()
    assert call.unit == tree.east and call.operator == staff.hotline and call.caller_mask == "139****2222"
    assert sensitive.decrypt(call.notes_enc) == "来电称被丈夫打伤"
    with connection.cursor() as cur:
        cur.execute("SELECT caller_enc, notes_enc FROM cases_hotlinecall")
        raw = " ".join(cur.fetchone())
    assert "13900002222" not in raw and "打伤" not in raw


def test_intake_refuses_bad_input_naming_the_field_and_users_without_the_permission(staff, tree):
    api = Api(staff.hotline)
    r = api.post("/intake/hotline-calls", call_body(duration_seconds=-1))
    assert r.status_code == 400 and "duration_seconds" in r.json()["error"]["fields"]
    r = api.post("/intake/hotline-calls", call_body(started_at="2999-01-01T00:00:00+08:00"))
    assert r.status_code == 400 and "started_at" in r.json()["error"]["fields"]
    assert Api(staff.worker).post("/intake/hotline-calls", call_body()).status_code == 403
    assert Api().post("/intake/hotline-calls", call_body()).status_code == 401
    assert not HotlineCall.objects.exists()


def test_an_operator_turns_a_call_into_a_need_linked_both_ways(staff, tree):
    api = Api(staff.hotline)
    call_id = api.post("/intake/hotline-calls", call_body()).json()["id"]
    r = api.post(f"/cases/hotline-calls/{call_id}/need", {"category": "legal", "description": "咨询离婚",
                                                          "version": 1})
    assert r.status_code == 200, r.content
    need = Need.objects.get()
    assert (need.channel, need.source_type, need.source_id) == ("hotline", "cases.HotlineCall", call_id)
    call = HotlineCall.objects.get()
    assert (call.status, call.need_id, call.handled_by) == ("need", need.pk, staff.hotline)
    again = api.post(f"/cases/hotline-calls/{call_id}/need", {"category": "legal", "description": "咨询离婚",
                                                              "version": version_of(HotlineCall, call_id)})
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    assert Need.objects.count() == 1


def test_an_operator_turns_a_call_into_a_case_with_the_caller_number_and_a_checksum_warning(staff, tree):
    api = Api(staff.hotline)
    call_id = api.post("/intake/hotline-calls", call_body()).json()["id"]
    r = api.post(f"/cases/hotline-calls/{call_id}/case", {
        "case_type": "domestic_violence", "narrative": "被打伤", "worker": staff.worker.pk,
        "supervisors": [staff.sup.pk], "assessment": {"weapon": True}, "name": "周桂英", "id_number": ID_BAD,
        "version": 1})
    assert r.status_code == 201, r.content
    assert r.json()["warnings"] and "校验位" in r.json()["warnings"][0]
    case = Case.objects.get()
    assert (case.channel, case.risk_level, case.phone_mask) == ("hotline", "high", "139****2222")
    assert HotlineCall.objects.get().case == case
    # the operator took the call but is not on the case: need-to-know
    assert api.get(f"/cases/{case.pk}").status_code == 404


def test_the_case_flow_through_the_api(staff, tree):
    api = Api(staff.worker)
    r = api.post("/cases", {"unit": tree.east.pk, "channel": "walk_in", "case_type": "custody", "narrative": "抚养费",
                            "worker": staff.worker.pk, "supervisors": [staff.sup.pk], "name": "陈美玲",
                            "phone": "13900003333", "consent_share": False})
    assert r.status_code == 201, r.content
    cid, version = r.json()["case"]["id"], r.json()["case"]["version"]
    refused = api.post(f"/cases/{cid}/transition", {"to": "follow_up", "version": version})
    assert refused.json()["error"]["code"] == "invalid_transition"
    assert api.post(f"/cases/{cid}/transition", {"to": "assessment", "version": version + 5}).status_code == 409
    assessed = api.post(f"/cases/{cid}/assess", {"assessment": {"children_at_risk": True}, "version": version})
    assert assessed.json()["risk_level"] == "medium"
    refused = api.post(f"/cases/{cid}/referrals", {"agency": staff.police.pk})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "consent_required"
    assert api.post(f"/cases/{cid}/consent", {"kind": "share", "given": True}).status_code == 200
    ref = api.post(f"/cases/{cid}/referrals", {"agency": staff.police.pk, "note": "请求调查"})
    assert ref.status_code == 201 and ref.json()["status"] == "sent"
    answer = {"to": "accepted", "version": ref.json()["version"]}
    assert api.post(f"/cases/referrals/{ref.json()['id']}/status", answer).json()["status"] == "accepted"
    assert api.post(f"/cases/{cid}/follow-ups", {"method": "phone", "note": "已联系"}).status_code == 201
    bad_close = api.post(f"/cases/{cid}/transition", {"to": "closed", "outcome": "resolved",
                                                      "version": version_of(Case, cid)})
    assert bad_close.status_code == 400 and "reason" in bad_close.json()["error"]["fields"]
    closed = api.post(f"/cases/{cid}/transition", {"to": "closed", "outcome": "resolved", "reason": "已支付",
                                                   "satisfaction": 4, "version": version_of(Case, cid)})
    assert closed.json()["status"] == "closed"
    detail = api.get(f"/cases/{cid}").json()
    assert detail["satisfaction"] == 4 and detail["allowed_moves"] == []
    assert [f["note"] for f in detail["follow_ups"]] == ["已联系"]
    assert [r["status"] for r in detail["referrals"]] == ["accepted"]
    assert len(detail["events"]) >= 6
    # override by the named supervisor, refused for the worker
    assert api.post(f"/cases/{cid}/override", {"reason": "紧急情况"}).status_code in (403, 409)


def test_override_through_the_api_by_the_named_supervisor(staff, tree, case):
    Api(staff.worker).post(f"/cases/{case.pk}/transition", {"to": "assessment", "version": case.version})
    assert Api(staff.worker).post(f"/cases/{case.pk}/override", {"reason": "依法紧急共享"}).status_code == 403
    r = Api(staff.sup).post(f"/cases/{case.pk}/override", {"reason": "《反家庭暴力法》第十四条"})
    assert r.status_code == 200
    assert Api(staff.worker).post(f"/cases/{case.pk}/referrals", {"agency": staff.police.pk}).status_code == 201
    assert Referral.objects.get().under_override is True


def test_the_hotline_list_puts_unhandled_calls_first(staff, tree):
    api = Api(staff.hotline)
    ids = [api.post("/intake/hotline-calls", call_body(f"L-{n}")).json()["id"] for n in range(3)]
    api.post(f"/cases/hotline-calls/{ids[2]}/dismiss", {"reason": "打错电话", "version": 1})
    items = api.get("/cases/hotline-calls").json()["items"]
    assert [i["status"] for i in items] == ["new", "new", "no_action"]
    assert Api(staff.worker).get("/cases/hotline-calls").status_code == 403


def test_every_endpoint_is_in_the_openapi_document(db):
    from niangjia.api import api

    paths = set(api.get_openapi_schema()["paths"])
    for p in ("/api/v1/intake/hotline-calls", "/api/v1/cases", "/api/v1/cases/counts", "/api/v1/cases/{case_id}",
              "/api/v1/cases/{case_id}/transition", "/api/v1/cases/{case_id}/referrals",
              "/api/v1/cases/referrals/{referral_id}/status", "/api/v1/cases/{case_id}/follow-ups",
              "/api/v1/cases/{case_id}/consent", "/api/v1/cases/{case_id}/override"):
        assert p in paths, p


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_the_same_and_different_calls_lose_none_and_duplicate_none(staff, tree):
    # given 4 distinct calls, each delivered 4 times at once (16 threads)
    tok = token("hotline")
    def deliver(n):
        call_id = f"C-{n % 4}"
        r = Api(token=tok).post("/intake/hotline-calls", call_body(call_id))
        return call_id, r.status_code, r.json().get("id")

    results, _, errors = race(deliver, 16)
    # then
    assert errors == []
    assert sorted(s for _, s, _ in results) == [200] * 12 + [201] * 4
    assert HotlineCall.objects.count() == 4
    for n in range(4):
        assert len({i for c, _, i in results if c == f"C-{n}"}) == 1
    assert IdempotencyKey.objects.filter(scope="cases.hotline_call").count() == 4
    assert AuditEntry.objects.filter(action="hotline.receive").count() == 4


def test_a_hotline_operator_of_another_county_reaches_none_of_these_calls(staff, tree):
    from conftest import make_user

    west_op = make_user("west_hotline", ["hotline_operator"], [tree.west])
    call_id = Api(staff.hotline).post("/intake/hotline-calls", call_body()).json()["id"]
    west = Api(west_op)
    assert west.get(f"/cases/hotline-calls/{call_id}").status_code == 404
    assert west.post(f"/cases/hotline-calls/{call_id}/reveal").status_code == 404
    to_need = {"category": "legal", "description": "x", "version": 1}
    assert west.post(f"/cases/hotline-calls/{call_id}/need", to_need).status_code == 404
    assert west.post(f"/cases/hotline-calls/{call_id}/dismiss", {"reason": "x", "version": 1}).status_code == 404
    assert call_id not in [i["id"] for i in west.get("/cases/hotline-calls").json()["items"]]
    # nor may its telephony token post calls answered by 东县's operator
    assert west.post("/intake/hotline-calls", call_body("W-1")).status_code == 404
    assert HotlineCall.objects.get().status == "new" and HotlineCall.objects.count() == 1
    assert not AuditEntry.objects.filter(action="reveal").exists()


def _call_to_case(api, staff, call_id="R-1", worker=None):
    cid = api.post("/intake/hotline-calls", call_body(call_id)).json()["id"]
    r = api.post(f"/cases/hotline-calls/{cid}/case", {"case_type": "domestic_violence", "narrative": "被打伤",
                                                      "worker": (worker or staff.worker).pk, "name": "周桂英",
                                                      "version": 1})
    assert r.status_code == 201, r.content
    return cid


def test_once_a_call_became_a_case_its_number_and_notes_are_for_those_on_the_case_only(staff, tree, admin_user):
    from conftest import make_user

    # given a call turned into a case by the operator, and a worker who also takes calls
    both = make_user("both", ["case_worker", "hotline_operator"], [tree.east])
    api = Api(staff.hotline)
    assert api.post(f"/cases/hotline-calls/{api.post('/intake/hotline-calls', call_body('R-0')).json()['id']}/reveal"
                    ).status_code == 200  # a new call: open to the operators in reach
    cid = _call_to_case(api, staff, worker=both)
    other_op = make_user("other_op", ["hotline_operator"], [tree.east])
    before = AuditEntry.objects.filter(action="reveal").count()
    # when the operator, another operator, the case's worker and the admin ask for the clear values
    refused = [Api(u).post(f"/cases/hotline-calls/{cid}/reveal") for u in (staff.hotline, other_op)]
    on_case = Api(both).post(f"/cases/hotline-calls/{cid}/reveal")
    by_admin = Api(admin_user).post(f"/cases/hotline-calls/{cid}/reveal")
    # then only the worker on the case and the admin read them, each read audited
    assert [r.status_code for r in refused] == [403, 403]
    assert refused[0].json()["error"]["message"].startswith("该来电已处理")
    assert on_case.status_code == 200 and on_case.json()["caller"] == "+8613900002222"
    assert by_admin.status_code == 200 and by_admin.json()["notes"] == "来电称被丈夫打伤"
    assert AuditEntry.objects.filter(action="reveal").count() == before + 2


def test_a_call_registered_as_a_need_or_dismissed_is_no_longer_revealed_to_operators(staff, tree):
    api = Api(staff.hotline)
    a = api.post("/intake/hotline-calls", call_body("N-1")).json()["id"]
    b = api.post("/intake/hotline-calls", call_body("N-2")).json()["id"]
    api.post(f"/cases/hotline-calls/{a}/need", {"category": "legal", "description": "咨询离婚", "version": 1})
    api.post(f"/cases/hotline-calls/{b}/dismiss", {"reason": "打错电话", "version": 1})
    assert api.post(f"/cases/hotline-calls/{a}/reveal").status_code == 403
    assert api.post(f"/cases/hotline-calls/{b}/reveal").status_code == 403
    assert not AuditEntry.objects.filter(action="reveal").exists()


@pytest.mark.parametrize("operator", ["nobody", "worker", "", "retired"])
def test_a_call_whose_operator_is_unknown_is_kept_under_the_sending_account_to_be_sorted_out(staff, tree, operator):
    from conftest import make_user

    from niangjia.core.models import Notification

    # given an operator account that was disabled, and the telephony token of 东县
    make_user("retired", ["hotline_operator"], [tree.east]).__class__.objects.filter(username="retired").update(
        is_active=False)
    api = Api(token=token("hotline"))
    # when the telephony system names an operator the platform does not know (or who may not take calls), twice
    first = api.post("/intake/hotline-calls", call_body("U-1", operator=operator))
    again = api.post("/intake/hotline-calls", call_body("U-1", operator=operator))
    # then the call is recorded once, under 东县, operator unset, the given name kept, 待分派
    assert (first.status_code, again.status_code) == (201, 200), first.content
    body = first.json()
    assert (body["operator"], body["operator_given"], body["operator_unknown"]) == (None, operator, True)
    call = HotlineCall.objects.get()
    assert (call.unit, call.operator, call.status) == (tree.east, None, "new")
    assert AuditEntry.objects.get(action="hotline.receive").detail == {"operator": None, "operator_given": operator}
    assert list(Notification.objects.filter(kind="hotline.unassigned").values_list("recipient__username", flat=True)
                ) == ["hotline"]
    # and it shows in the list as 待分派, filtered on its own
    listed = Api(staff.hotline).get("/cases/hotline-calls", operator="none").json()["items"]
    assert [i["call_id"] for i in listed] == ["U-1"]


def test_an_unassigned_call_is_assigned_to_an_operator_in_reach(staff, tree, admin_user):
    from conftest import make_user

    api = Api(staff.hotline)
    cid = api.post("/intake/hotline-calls", call_body("U-2", operator="ghost")).json()["id"]
    west_op = make_user("west_op", ["hotline_operator"], [tree.west])
    refused = api.post(f"/cases/hotline-calls/{cid}/assign", {"operator": west_op.pk, "version": 1})
    assert refused.status_code == 400 and "operator" in refused.json()["error"]["fields"]
    assert api.post(f"/cases/hotline-calls/{cid}/assign", {"operator": staff.worker.pk, "version": 1}).status_code == 400
    r = api.post(f"/cases/hotline-calls/{cid}/assign", {"operator": staff.hotline.pk, "version": 1})
    assert r.status_code == 200 and r.json()["operator"]["username"] == "hotline" and r.json()["version"] == 2
    assert AuditEntry.objects.get(action="hotline.assign").detail == {"from": None, "to": staff.hotline.pk,
                                                                      "operator_given": "ghost"}
    assert api.get("/cases/hotline-calls", operator="none").json()["items"] == []
    assert Api(west_op).post(f"/cases/hotline-calls/{cid}/assign", {"operator": west_op.pk, "version": 2}).status_code == 404


def test_the_hotline_list_filters_by_operator_day_and_whether_a_case_was_opened(staff, tree):
    from datetime import timedelta

    api = Api(staff.hotline)
    now = timezone.now()
    old = api.post("/intake/hotline-calls", call_body("F-1", started_at=(now - timedelta(days=3)).isoformat()))
    api.post("/intake/hotline-calls", call_body("F-2", operator="ghost"))
    cased = _call_to_case(api, staff, "F-3")
    today = timezone.localdate().isoformat()

    def ids(**params):
        return sorted(i["call_id"] for i in api.get("/cases/hotline-calls", **params).json()["items"])

    assert ids(operator=str(staff.hotline.pk)) == ["F-1", "F-3"]
    assert ids(start=today) == ["F-2", "F-3"]
    assert ids(end=(timezone.localdate() - timedelta(days=1)).isoformat()) == ["F-1"]
    assert ids(has_case="true") == ["F-3"] and ids(has_case="false") == ["F-1", "F-2"]
    assert api.get("/cases/hotline-calls", operator="x").status_code == 400
    assert old.status_code == 201 and cased


def test_the_hotline_day_filters_hold_the_whole_first_and_last_day(staff, tree):
    from datetime import datetime, time, timedelta

    from niangjia.cases import intake, queries

    # given calls at the first and the last instant of a local day D, and at the first instant of D+1
    day = timezone.localdate() - timedelta(days=5)
    at = {"D-start": timezone.make_aware(datetime.combine(day, time.min)),
          "D-end": timezone.make_aware(datetime.combine(day, time.max)),
          "D+1": timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))}
    for call_id, started in at.items():
        intake.call_receive(actor=staff.hotline, call_id=call_id, started_at=started, caller="", duration_seconds=9,
                            operator="hotline", notes="")

    def ids(**kw):
        return sorted(c.call_id for c in queries.calls_for(staff.hotline, **kw))

    # then start=D and end=D hold the whole of D and nothing of D+1; end=D-1 holds nothing
    assert ids(start=day, end=day) == ["D-end", "D-start"]
    assert ids(start=day + timedelta(days=1)) == ["D+1"]
    assert ids(end=day - timedelta(days=1)) == []


def test_a_transition_without_its_version_or_with_a_stale_one_changes_nothing(staff, tree, case):
    # given an open case the worker read at version v
    api, v = Api(staff.worker), case.version
    # when she moves it without naming the version, with a version that is not a number, or a stale one
    missing = api.post(f"/cases/{case.pk}/transition", {"to": "assessment"})
    garbage = api.post(f"/cases/{case.pk}/transition", {"to": "assessment", "version": "abc"})
    stale = api.post(f"/cases/{case.pk}/transition", {"to": "assessment", "version": v - 1})
    # then 400 naming `version` twice, 409 once, and the case is where it was
    assert (missing.status_code, garbage.status_code, stale.status_code) == (400, 400, 409)
    assert missing.json()["error"]["fields"] == {"version": "必填"}
    assert garbage.json()["error"]["fields"] == {"version": "应为数字"}
    assert stale.json()["error"]["code"] == "stale_version"
    assert Case.objects.values_list("status", "version").get(pk=case.pk) == (case.status, v)
    # and with the version she read, it moves
    assert api.post(f"/cases/{case.pk}/transition", {"to": "assessment", "version": v}).status_code == 200
