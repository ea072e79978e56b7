"""Checks the whole suite shares, imported by name (`from tests.checks import race`).

- `race`: run one call in many threads released at once, as parallel requests would (PostgreSQL).
- `assert_queries_do_not_grow`: a list costs the same number of queries whatever its rows.
"""

import threading

from django.db import connection


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
