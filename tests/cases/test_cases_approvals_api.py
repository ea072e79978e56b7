"""The supervisor approval of closing a high-risk case (or lowering its risk) through the JSON API: the worker
asks, the case's named supervisor approves (the case is then closed) or returns it with a note; the same
services as the case page (cases/approvals.py), audited, versioned."""

import json

import pytest
from django.test import Client

from niangjia.cases.models import CaseApproval
from niangjia.core.models import AuditEntry, Notification
from tests.cases.conftest import open_case

pytestmark = pytest.mark.django_db
CLOSE = {"kind": "close", "outcome": "resolved", "reason": "已离婚并搬离，安全"}


def api(user):
    c = Client()
    c.force_login(user)
    return lambda method, url, body=None: getattr(c, method)(
        "/api/v1" + url, json.dumps(body) if body is not None else None, content_type="application/json")


@pytest.fixture
def high(staff, tree):
    return open_case(staff, tree, answers={"strangulation": True})


def test_the_worker_asks_and_the_named_supervisor_approves_closing_a_high_risk_case(staff, high):
    # given the worker's plain close is refused: it waits for a supervisor
    worker, sup = api(staff.worker), api(staff.sup)
    refused = worker("post", f"/cases/{high.pk}/transition", {"to": "closed", "outcome": "resolved", "reason": "x",
                                                                "version": high.version})
    assert refused.status_code == 409 and refused.json()["error"]["fields"] == {"approval": "close"}
    # when she asks for approval through the API
    asked = worker("post", f"/cases/{high.pk}/approvals", CLOSE)
    # then it is filed for the named supervisor, who is told, and the case is still open
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert (body["kind"], body["status"], body["requested_by"]["username"]) == ("close", "requested", "worker")
    assert body["details"]["reason"] == CLOSE["reason"]
    assert Notification.objects.filter(recipient=staff.sup, kind="case.approval").count() == 1
    assert [a["id"] for a in sup("get", f"/cases/{high.pk}/approvals").json()] == [body["id"]]
    high.refresh_from_db()
    assert high.status != "closed"
    # when the worker tries to decide it herself, she is refused
    assert worker("post", f"/cases/approvals/{body['id']}/decide",
                  {"decision": "approve", "version": body["version"]}).status_code == 403
    # when the supervisor approves with the version she read
    done = sup("post", f"/cases/approvals/{body['id']}/decide", {"decision": "approve", "version": body["version"]})
    # then the case is closed with the worker's outcome, and both steps are audited
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["decided_by"]["username"]) == ("approved", "sup")
    high.refresh_from_db()
    assert (high.status, high.outcome) == ("closed", "resolved")
    assert {"case.approval.request", "case.approval.approve"} <= set(
        AuditEntry.objects.filter(target_id=str(high.pk)).values_list("action", flat=True))


def test_a_returned_request_needs_a_note_and_leaves_the_case_as_it_was(staff, high):
    ap = api(staff.worker)("post", f"/cases/{high.pk}/approvals", CLOSE).json()
    sup = api(staff.sup)
    # a return without a note is refused, and nothing changes
    no_note = sup("post", f"/cases/approvals/{ap['id']}/decide", {"decision": "return", "version": ap["version"]})
    assert no_note.status_code == 400 and "note" in no_note.json()["error"]["fields"]
    assert CaseApproval.objects.get(pk=ap["id"]).status == "requested"
    # with a note it goes back to the worker, and the case stays open
    back = sup("post", f"/cases/approvals/{ap['id']}/decide",
               {"decision": "return", "note": "先确认住处安全", "version": ap["version"]})
    assert back.json()["status"] == "returned" and back.json()["note"] == "先确认住处安全"
    high.refresh_from_db()
    assert high.status != "closed"
    assert Notification.objects.filter(recipient=staff.worker, kind="case.approval.decided").count() == 1
    # a decided request cannot be decided again
    decided = back.json()["version"]
    assert sup("post", f"/cases/approvals/{ap['id']}/decide",
               {"decision": "approve", "version": decided}).status_code == 409


def test_a_decision_without_the_version_read_is_refused(staff, high):
    ap = api(staff.worker)("post", f"/cases/{high.pk}/approvals", CLOSE).json()
    missing = api(staff.sup)("post", f"/cases/approvals/{ap['id']}/decide", {"decision": "approve"})
    assert missing.status_code == 400 and "version" in missing.json()["error"]["fields"]
    assert CaseApproval.objects.get(pk=ap["id"]).status == "requested"


def test_a_stale_decision_is_refused_and_changes_nothing(staff, high):
    ap = api(staff.worker)("post", f"/cases/{high.pk}/approvals", CLOSE).json()
    stale = api(staff.sup)("post", f"/cases/approvals/{ap['id']}/decide", {"decision": "approve", "version": 99})
    assert stale.status_code == 409
    high.refresh_from_db()
    assert high.status != "closed" and CaseApproval.objects.get(pk=ap["id"]).status == "requested"


def test_lowering_the_risk_is_asked_and_approved_the_same_way(staff, high):
    ap = api(staff.worker)("post", f"/cases/{high.pk}/approvals", {"kind": "lower_risk", "assessment": {}})
    assert ap.status_code == 201, ap.content
    done = api(staff.sup)("post", f"/cases/approvals/{ap.json()['id']}/decide",
                          {"decision": "approve", "version": ap.json()["version"]})
    assert done.status_code == 200, done.content
    high.refresh_from_db()
    assert high.risk_level == "low"


def test_no_request_when_no_approval_is_needed_or_one_is_already_open(staff, tree, high):
    worker = api(staff.worker)
    low = open_case(staff, tree)
    not_needed = worker("post", f"/cases/{low.pk}/approvals", CLOSE)
    assert not_needed.status_code == 400 and not_needed.json()["error"]["message"] == "这一步不需要督导批准，可以直接办理"
    no_reason = worker("post", f"/cases/{high.pk}/approvals", {**CLOSE, "reason": ""})
    assert no_reason.status_code == 400
    assert worker("post", f"/cases/{high.pk}/approvals", CLOSE).status_code == 201
    assert worker("post", f"/cases/{high.pk}/approvals", CLOSE).status_code == 409
    assert CaseApproval.objects.filter(case=high).count() == 1
