"""Statements sent again and again (intake's writes, rate counts) are parsed and planned once per connection on
PostgreSQL (core.together.prepared_cursor), and nothing else is prepared (issue 16)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from niangjia.core import ratelimit, together
from niangjia.core.models import RateCounter
from tests.checks import race

pytestmark = pytest.mark.django_db
PG = connection.vendor == "postgresql"


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT 1", "SELECT 1"),
    ("SELECT %s", "SELECT $1"),
    ("INSERT INTO t (a, b) VALUES (%s, %s), (%s, %s)", "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"),
    ("WITH k AS (SELECT %s::int) SELECT %s || 'x'", "WITH k AS (SELECT $1::int) SELECT $2 || 'x'"),
])
def test_placeholders_are_numbered_in_order(sql, expected):
    assert together.numbered(sql) == expected


def _prepared_texts() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cur.fetchall()]


@pytest.mark.skipif(not PG, reason="prepared statements are PostgreSQL's")
def test_a_statement_sent_through_prepared_is_prepared_once_and_answers_each_time():
    text = "SELECT %s::int + %s::int AS niangjia_prepared_probe"
    answers = []
    for n in range(3):
        with together.prepared_cursor() as cur:
            cur.execute(together.numbered(text), [n, 10])
            answers.append(cur.fetchone()[0])
    assert answers == [10, 11, 12]
    assert sum("niangjia_prepared_probe" in s for s in _prepared_texts()) == 1


@pytest.mark.skipif(not PG, reason="prepared statements are PostgreSQL's")
def test_the_query_log_shows_a_prepared_statement_text():
    # tests that count and read statements (CaptureQueriesContext) and DEBUG's log see what was sent
    with CaptureQueriesContext(connection) as ctx:
        for n in range(2):
            with together.prepared_cursor() as cur:
                cur.execute(together.numbered("SELECT %s::int AS niangjia_logged_probe"), [n])
    assert [q["sql"] for q in ctx.captured_queries] == ["SELECT $1::int AS niangjia_logged_probe"] * 2


@pytest.mark.skipif(not PG, reason="prepared statements are PostgreSQL's")
def test_the_orm_and_the_rate_counts_share_a_connection_and_only_the_rate_counts_are_prepared():
    for _ in range(12):  # more than any threshold a statement could reach by repetition
        ratelimit.hit("test.prepared", "198.51.100.7", limit=100, per_seconds=3600)
        list(RateCounter.objects.filter(bucket__startswith="test.prepared:").values_list("count", flat=True))
    texts = _prepared_texts()
    assert any("core_ratecounter" in s and "ON CONFLICT" in s for s in texts)
    assert not any(s.lstrip().upper().startswith("SELECT") and "core_ratecounter" in s for s in texts)
    assert RateCounter.objects.get(bucket="test.prepared:198.51.100.7").count == 12


@pytest.mark.parametrize("same_body", [True, False])
@pytest.mark.skipif(not PG, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_nonce_count_once_each_retry_and_never_a_forgery(same_body):
    # six deliveries of one timestamp+nonce at once: WeChat's retries of one body all count; of six different
    # bodies (forgeries but one) exactly one counts, whichever statement sees the others' claims in flight
    def deliver(i):
        body = "one body" if same_body else f"body {i}"
        return ratelimit.hit_many([("test.nonce", "acct", 3600)],
                                  first_use=("test.nonce.claim", "1700000000:n1", body, 600))

    results, _, errors = race(deliver, 6)
    assert errors == []
    counted = [r for r in results if r is not None]
    assert len(counted) == (6 if same_body else 1)
    assert RateCounter.objects.get(bucket="test.nonce:acct").count == len(counted)
