"""Scope on every cases and hotline API path: a 东县 user who holds the permission (a scoped admin, who
sees every case in her reach, or the 东县 hotline operator) against 西县's records (see tests/scope_matrix.py
and tests/cases/matrix_world.py); and every documented path of the app is in the matrix."""

import pytest
from conftest import make_user
from scope_matrix import Endpoint, assert_paths_covered, version_of

from niangjia.cases import approvals
from niangjia.cases import services as cases
from niangjia.cases.models import Case
from tests.cases.matrix_world import build_world, run

pytestmark = pytest.mark.django_db

CASE_FIELDS = {"case_type": "custody", "narrative": "越界接案", "name": "某女士"}


def _case_body(w, t):
    return {**CASE_FIELDS, "worker": w.users["east_worker"].pk}


def _own_counts(w, body) -> bool:
    return body["total"] == Case.objects.filter(l4=w.fed["east"].pk).count() == 1 and Case.objects.count() == 2


ENDPOINTS = [
    # lists leave 西县 out and show 东县's own
    Endpoint("GET", "/cases?limit=200", "case", "list", persona="admin"),
    Endpoint("GET", "/cases/hotline-calls?limit=200", "call", "list", persona="hotline"),
    Endpoint("GET", "/cases/counts", "case", "counts", persona="admin", counts=_own_counts),
    # details and filters by 西县: 404
    Endpoint("GET", "/cases/{case_id}", "case", "detail", persona="admin"),
    Endpoint("GET", "/cases/counts?unit={id}", "fed", "detail", persona="admin"),
    Endpoint("GET", "/cases/hotline-calls/{id}", "call", "detail", persona="hotline"),
    # writes: 404, nothing changes
    Endpoint("POST", "/intake/hotline-calls", "west_op", "write", persona="hotline", body=lambda w, t: {
        "call_id": "M-new", "started_at": "2026-01-05T09:00:00+08:00", "caller": "13900005555",
        "duration_seconds": 60, "operator": t.username}),
    Endpoint("POST", "/cases/hotline-calls/{id}/assign", "call", "write", persona="hotline",
             body=lambda w, t: {"operator": w.users["hotline"].pk, "version": version_of(t)}),
    Endpoint("POST", "/cases/hotline-calls/{id}/reveal", "call", "write", persona="hotline"),
    Endpoint("POST", "/cases/hotline-calls/{id}/need", "call", "write", persona="hotline",
             body=lambda w, t: {"category": "legal", "description": "越界", "version": version_of(t)}),
    Endpoint("POST", "/cases/hotline-calls/{id}/case", "call", "write", persona="hotline",
             body=lambda w, t: {**_case_body(w, t), "version": version_of(t)}),
    Endpoint("POST", "/cases/hotline-calls/{id}/dismiss", "call", "write", persona="hotline",
             body=lambda w, t: {"reason": "越界", "version": version_of(t)}),
    Endpoint("POST", "/cases", "fed", "write", persona="admin",
             body=lambda w, t: {**_case_body(w, t), "unit": t.pk, "channel": "walk_in"}),
    Endpoint("POST", "/cases", "person_west", "write", persona="admin", note="hidden person",
             body=lambda w, t: {**_case_body(w, t), "unit": w.fed["east"].pk, "channel": "walk_in", "person": t.pk}),
    Endpoint("POST", "/cases/from-need/{need_id}", "need", "write", persona="admin",
             body=lambda w, t: {**_case_body(w, t), "need_version": version_of(t)}),
    Endpoint("PATCH", "/cases/{case_id}", "case", "write", persona="admin",
             body=lambda w, t: {"version": version_of(t), "narrative": "改"}),
    Endpoint("POST", "/cases/{case_id}/transition", "case", "write", persona="admin",
             body=lambda w, t: {"to": "closed", "outcome": "resolved", "reason": "x", "version": version_of(t)}),
    Endpoint("POST", "/cases/{case_id}/assess", "case", "write", persona="admin",
             body=lambda w, t: {"assessment": {"weapon": True}, "version": version_of(t)}),
    Endpoint("POST", "/cases/{case_id}/consent", "case", "write", persona="admin",
             body=lambda w, t: {"kind": "share", "given": False}),
    Endpoint("POST", "/cases/{case_id}/override", "case", "write", persona="admin",
             body=lambda w, t: {"reason": "《反家庭暴力法》第十四条"}),
    Endpoint("POST", "/cases/{case_id}/referrals", "case", "write", persona="admin",
             body=lambda w, t: {"agency": w.police["west"].pk}),
    Endpoint("POST", "/cases/referrals/{referral_id}/status", "referral", "write", persona="admin",
             body=lambda w, t: {"to": "accepted", "version": version_of(t)}),
    Endpoint("POST", "/cases/{case_id}/follow-ups", "case", "write", persona="admin",
             body=lambda w, t: {"method": "phone", "note": "越界"}),
    Endpoint("POST", "/cases/{case_id}/reassign", "case", "write", persona="admin",
             body=lambda w, t: {"worker": w.users["east_worker"].pk, "version": version_of(t)}),
    # the supervisor approval of closing a high-risk case: 西县's request is neither listed, filed nor decided
    Endpoint("GET", "/cases/{case_id}/approvals", "case", "detail", persona="admin"),
    Endpoint("POST", "/cases/{case_id}/approvals", "case", "write", persona="admin",
             body=lambda w, t: {"kind": "close", "outcome": "resolved", "reason": "越界"}),
    Endpoint("POST", "/cases/approvals/{approval_id}/decide", "approval", "write", persona="admin",
             body=lambda w, t: {"decision": "approve", "version": version_of(t)}),
]


@pytest.fixture
def world(tree, personas, admin_user):
    w = build_world(tree, personas, admin_user)
    w.west_op = {"west": w.users["west_op"], "east": w.users["hotline"]}
    w.person_west = {"west": w.case["west"].complainant, "east": w.case["east"].complainant}
    w.approval = {}
    for side, unit in (("east", tree.east), ("west", tree.west)):  # a high-risk case waiting for its supervisor
        worker = w.users[f"{side}_worker"]
        sup = make_user(f"m_{side}_sup", ["case_supervisor"], [unit])
        cases.case_reassign(actor=admin_user, case=w.case[side], worker=worker, supervisors=[sup])
        cases.case_assess(actor=worker, case=w.case[side], answers={"strangulation": True})
        w.approval[side] = approvals.approval_request(actor=worker, case=w.case[side], kind="close",
                                                      payload={"outcome": "resolved", "reason": "安全"})
        w.case[side].refresh_from_db()
    return w


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_a_county_user_reaches_nothing_of_the_other_county(world, ep):
    run(world, ep)


def test_every_documented_cases_path_is_in_the_matrix(db):
    assert_paths_covered(["cases", "intake"], ENDPOINTS, exact_names=True)
