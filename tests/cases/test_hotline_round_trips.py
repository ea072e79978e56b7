"""A hotline POST costs few round trips to the database (issue 16), and what makes it cheap — the caller
resolved once and cached per token — never outlives a change to her account, roles or scope.

What is counted: the statements Django sends during one POST (CaptureQueriesContext), after the token was
used twice (the first use learns whose token it is, the second caches her), without the transaction's own
statements: BEGIN and COMMIT (two more round trips; in a test, which runs inside a transaction of its own,
they are SAVEPOINT and RELEASE SAVEPOINT instead). On PostgreSQL a POST is one statement outside any transaction
(core.together.Statement: key, call, audit row and the chain's head at once), so one round trip.
"""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from niangjia.accounts import services as accounts
from niangjia.cases.models import HotlineCall
from niangjia.core import audit_chain

pytestmark = pytest.mark.django_db(transaction=False)
PASSWORD = "Niangjia-Test-2026!"
# PostgreSQL: the key claimed, the call's id drawn, the call, its audit row hashed into the chain and the head
# moved, in one statement. SQLite (local, no network) has no data-modifying WITH and no sequences: claim, call,
# head, audit row, hash, the key's result.
MAX_STATEMENTS = {"postgresql": 1, "sqlite": 6}


def bearer(username):
    r = Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": PASSWORD}),
                      content_type="application/json")
    return r.json()["token"]


def post_call(token, call_id, operator="hotline"):
    body = {"call_id": call_id, "started_at": timezone.now().isoformat(), "caller": "13900002222",
            "duration_seconds": 95, "operator": operator, "notes": "来电"}
    return Client().post("/api/v1/intake/hotline-calls", json.dumps(body), content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})


def test_a_hotline_post_makes_at_most_three_statements_and_keeps_the_audit_chain(staff, tree):
    # given a telephony seat whose token has been used before
    token = bearer("hotline")
    assert post_call(token, "warm-1").status_code == 201
    assert post_call(token, "warm-2").status_code == 201
    # when one more call arrives
    with CaptureQueriesContext(connection) as ctx:
        r = post_call(token, "counted")
    # then it is recorded with few statements, and the audit chain is whole
    assert r.status_code == 201
    statements = [q["sql"] for q in ctx.captured_queries
                  if not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(statements) <= MAX_STATEMENTS[connection.vendor], "\n".join(statements)
    call = HotlineCall.objects.get(call_id="counted")
    assert call.unit == tree.east and call.operator == staff.hotline
    problems, last_seq, _ = audit_chain.verify()
    assert problems == [] and last_seq > 0


def test_a_retried_call_is_answered_from_its_first_record_with_one_statement_more_at_most(staff, tree):
    token = bearer("hotline")
    first = post_call(token, "again")
    second = post_call(token, "again")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and HotlineCall.objects.filter(call_id="again").count() == 1
    assert audit_chain.verify()[0] == []


def test_a_scope_change_takes_effect_on_the_next_request(staff, tree, admin_user):
    # given an operator whose token and home unit are cached
    token = bearer("hotline")
    for n in range(2):
        assert post_call(token, f"east-{n}").status_code == 201
    assert HotlineCall.objects.get(call_id="east-1").unit == tree.east
    # when an administrator moves her to the west county
    accounts.user_update_access(actor=admin_user, user=staff.hotline, version=staff.hotline.version,
                                units=[tree.west])
    # then her very next call lands there, and she no longer sees the east county's calls
    assert post_call(token, "next").status_code == 201
    assert HotlineCall.objects.get(call_id="next").unit == tree.west
    listed = Client().get("/api/v1/cases/hotline-calls", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    assert {c["call_id"] for c in listed.json()["items"]} == {"next"}


def test_a_role_taken_away_or_an_account_disabled_takes_effect_on_the_next_request(staff, tree, admin_user):
    token = bearer("hotline")
    for n in range(2):
        assert post_call(token, f"r-{n}").status_code == 201
    user = staff.hotline
    user.refresh_from_db()
    accounts.user_update_access(actor=admin_user, user=user, version=user.version, roles=["cadre"])
    assert post_call(token, "no-role").status_code == 403
    accounts.user_set_active(actor=admin_user, user=user, active=False)
    assert post_call(token, "disabled").status_code == 401
    assert not HotlineCall.objects.filter(call_id__in=["no-role", "disabled"]).exists()


def test_a_revoked_token_is_refused_on_the_next_request(staff, tree):
    token = bearer("hotline")
    for n in range(2):
        assert post_call(token, f"t-{n}").status_code == 201
    accounts.token_revoke(actor=staff.hotline, raw=token)
    assert post_call(token, "revoked").status_code == 401


def test_a_deactivated_unit_leaves_the_cached_reach(staff, tree, admin_user):
    from niangjia.org import services as org

    token = bearer("hotline")
    headers = {"Authorization": f"Bearer {token}"}
    assert post_call(token, "u-0").status_code == 201
    assert Client().get("/api/v1/cases/hotline-calls", headers=headers).json()["items"]
    # the unit's reach disappears once the unit is deactivated (its children first)
    for unit in (tree.east_village, tree.east_village2, tree.east_town, tree.east):
        unit.refresh_from_db()
        org.federation_set_active(actor=admin_user, federation=unit, active=False, version=unit.version)
    assert Client().get("/api/v1/cases/hotline-calls", headers=headers).json()["items"] == []
