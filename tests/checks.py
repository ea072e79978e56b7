"""Checks the whole suite shares, imported by name (`from tests.checks import race`).

- `race`: run one call in many threads released at once, as parallel requests would (PostgreSQL).
- `assert_queries_do_not_grow`: a list costs the same number of queries whatever its rows.
"""

import threading

from django.db import connection
from django.test.utils import CaptureQueriesContext


def race(fn, n: int, *, refused=()):
    """Run fn(0) … fn(n - 1) in n threads released together, each on its own database connection (closed
    after). Returns (results, refusals, errors): what the calls returned, the exceptions of the `refused`
    kinds they raised, and every other exception (a test asserts what it expects of each)."""
    results, refusals, errors = [], [], []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except refused as exc:
            refusals.append(exc)
        except Exception as exc:  # noqa: BLE001 - returned for the test to assert on
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, refusals, errors


def _counted(get, url):
    # warm first: the first request after a change fills the caller cache (core.callers), one query more
    # than any later one whatever the rows
    assert get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        response = get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response


def assert_queries_do_not_grow(get, url: str, add_rows, *, few: int = 2, more: int = 6) -> None:
    """`get(url)` costs no more queries with few + more rows than with few: `add_rows(range(...))` adds the
    rows. The page must show the added rows (more items, a longer page), or the count would prove nothing.
    (A list of a time-partitioned table may cost one query fewer once the last year fills its page:
    core.pagination.)"""
    add_rows(range(few))
    before, small = _counted(get, url)
    add_rows(range(few, few + more))
    after, large = _counted(get, url)
    assert len(large.content) > len(small.content), f"{url}: the added rows do not show"
    assert after <= before, f"{url}: {before} queries for {few} rows, {after} for {few + more}"
