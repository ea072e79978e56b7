"""schemathesis over every operation of the published OpenAPI, in-process (WSGI), as an administrator and as
an executive member (the lowest-privileged staff role): any 5xx or an answer that breaks its documented
schema fails the test.

Bounded and deterministic: EXAMPLES cases per operation and persona, derandomized (a fixed seed), no
example database, no shrinking, so a run costs the same every time (about four minutes on two cores).
Run alone: `pytest -m schemathesis -n 0`.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from niangjia.accounts import services as accounts

from .helpers import PASSWORD, build_records, make_user

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("NIANGJIA_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Operations that cannot run in-process without outside services, with the reason.
SKIPPED: dict[tuple[str, str], str] = {}


def _run_operation(operation, headers: dict, tally: Counter, failures: list) -> None:
    # the token is fixed in the strategy: schemathesis would otherwise generate its own Authorization header
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE, headers=headers))
    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    def run(case):
        tally["cases"] += 1
        response = case.call()
        tally[f"status {response.status_code // 100}xx"] += 1
        tally[f"status {response.status_code}"] += 1
        if response.status_code == 401 and not operation.path.startswith("/api/v1/auth/"):
            tally["401 outside /auth"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as exc:  # schemathesis raises a FailureGroup (an AssertionError)
            failures.append(f"{operation.method.upper()} {operation.path} → {response.status_code}: "
                            f"{str(exc).splitlines()[0][:200]}")

    run()


def test_every_operation_survives_schemathesis_as_admin_and_executive_member(tree, personas, admin_user,
                                                                             settings):
    # the WSGI handler closes "old" connections at each request's start and end; inside the test's transaction
    # on PostgreSQL that would close it under the test (Django's own test client disconnects the same receiver)
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        _run_all(tree, personas, admin_user, settings)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _run_all(tree, personas, admin_user, settings):
    # given an administrator and an executive member (东村) holding tokens, and a record of each kind
    build_records(tree, admin_user)
    make_user("schema_admin", ["admin"], [], superuser=True)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    tally: Counter = Counter()
    failures: list[str] = []
    # when every operation is called with generated inputs by each of them
    for who in ("schema_admin", personas.village.username):
        for result in schema.get_all_operations():
            operation = result.ok()
            if (operation.method.upper(), operation.path) in SKIPPED:
                continue
            tally["operations"] += 1
            _run_operation(operation, {"Authorization": f"Bearer {_fresh_token(who)}"}, tally, failures)
    print(f"schemathesis: {dict(sorted(tally.items()))}; failures: {len(failures)}")
    # then none answered 5xx or broke its documented schema
    assert failures == []
    # and the run was not hollow: each operation ran as its caller (a generated logout, password change or
    # disable of the caller must not turn every later operation into a 401 that proves nothing)
    assert tally["401 outside /auth"] <= tally["cases"] // 20, dict(tally)


def _fresh_token(username: str) -> str:
    """A new token for the caller before each operation: the one before may have been revoked by a generated
    logout, or the account disabled, locked or given a new password by a generated call."""
    from niangjia.accounts.models import User

    user = User.objects.get(username=username)
    user.is_active, user.must_change_password, user.failed_logins, user.locked_until = True, False, 0, None
    user.set_password(PASSWORD)
    user.save()
    return accounts.token_issue(username=username, password=PASSWORD)[0]
