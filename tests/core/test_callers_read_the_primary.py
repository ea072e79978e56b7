"""What core.callers keeps for later requests is built from the primary, even inside a view whose reads may go
to the replica: a replica that lags behind a change just committed (a scope taken away, a token revoked) must
not have its old view kept under the new generation."""

import pytest

from niangjia.core import callers, replica


@pytest.fixture
def replica_reads_allowed():
    token = replica._reads.set(True)  # as inside a dashboard view with a usable replica
    yield
    replica._reads.reset(token)


def test_a_cached_value_is_built_with_replica_reads_off(replica_reads_allowed):
    seen = []
    callers.remember(987654, "probe", lambda: seen.append(replica._reads.get()) or "built")
    callers.remember_for(callers.POLICIES, "probe", lambda: seen.append(replica._reads.get()) or "built")
    assert seen == [False, False]
    assert replica._reads.get() is True  # the view's own reads may still go to the replica afterwards


def test_a_token_is_looked_up_on_the_primary(replica_reads_allowed, monkeypatch):
    from niangjia.accounts import services

    seen = []
    monkeypatch.setattr(services, "_token_load", lambda key_hash: seen.append(replica._reads.get()))
    assert services.token_user("no-such-token") is None
    assert seen == [False]
