"""core.together.Statement.limit: a rate limit's hit counted in the statement that writes; past the limit
nothing is written (RateLimited), the hit counted all the same. PostgreSQL's (a Statement is PostgreSQL's)."""

import pytest
from django.db import connection

from niangjia.core import ratelimit, together
from niangjia.core.errors import RateLimited
from niangjia.core.models import AuditChainHead, IdempotencyKey

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="a Statement is PostgreSQL's")]


def _write(key: str, hit: ratelimit.Hit):
    st = together.Statement()
    st.claim("test.limit", key, IdempotencyKey)
    st.limit(hit)
    return st.run()


def _hit() -> ratelimit.Hit:
    return ratelimit.Hit("test.limit", "198.51.100.7", limit=2, per_seconds=3600)


def test_within_the_limit_it_writes_past_it_it_refuses_and_still_counts():
    first, second, third = _hit(), _hit(), _hit()
    assert _write("a", first) is not None and first.count == 1
    assert _write("a", second) is None and second.count == 2  # a retry: counted, nothing new
    with pytest.raises(RateLimited):
        _write("b", third)
    assert third.count == 3 and ratelimit.count("test.limit", "198.51.100.7", per_seconds=3600) == 3
    assert list(IdempotencyKey.objects.filter(scope="test.limit").values_list("key", flat=True)) == ["a"]
    third.settle()  # already counted: not again
    assert ratelimit.count("test.limit", "198.51.100.7", per_seconds=3600) == 3


def test_a_chain_without_its_head_row_gets_one_and_the_hit_counts_once():
    AuditChainHead.objects.all().delete()
    hit = _hit()
    assert _write("first", hit) is not None
    assert hit.count == 1 and ratelimit.count("test.limit", "198.51.100.7", per_seconds=3600) == 1
    assert AuditChainHead.objects.filter(pk=1).exists()
