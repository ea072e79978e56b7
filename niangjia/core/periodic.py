"""Periodic jobs (deploy/crontab, deploy/systemd) that two machines may start at the same moment.

`niangjia <job>` takes a PostgreSQL advisory lock named after the job, on a connection of its own held for
the whole run: a second run of the same job anywhere on the same database finds it taken, says so and exits
0 without doing anything. The jobs are also idempotent by design (each claims its rows with a conditional
update), so a run that starts just after another ended finds nothing left to do twice. On SQLite (one
machine) cron's flock is the only guard needed.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

# the management commands the crontab and the systemd timers call
JOBS = frozenset({
    "needs_escalate", "cases_escalate", "participation_close_due", "contacts_overdue", "awards_notice_due",
    "duty_reminders", "reports_remind", "reform_overdue", "rollup", "purge", "audit", "backup",
})


def lock_key(job: str) -> int:
    """The job's advisory lock: a signed 64-bit number from its name."""
    return int.from_bytes(hashlib.sha256(b"niangjia periodic job " + job.encode()).digest()[:8], "big", signed=True)


@contextmanager
def only_one(job: str) -> Iterator[bool]:
    """True inside when this run holds the job's lock, False when another run (any machine) holds it."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        yield True
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)  # the lock lives as long as this session
    try:
        with side.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(job)])
            held = cur.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with side.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", [lock_key(job)])
    finally:
        side.close()


def run_alone(job: str, run) -> bool:
    """Call `run()` unless another run of `job` holds its lock; returns whether it ran."""
    with only_one(job) as held:
        if held:
            run()
        return held
