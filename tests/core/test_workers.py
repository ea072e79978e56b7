"""Several machines: two task workers on one queue never run a task twice, and a periodic job started on two
machines at once runs once (core.periodic). Real worker processes on PostgreSQL."""

import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.db import connection

from niangjia.core import periodic
from niangjia.core.models import AuditEntry, WorkerHeartbeat

PG = connection.vendor == "postgresql"
pytestmark = pytest.mark.skipif(not PG, reason="several workers and machines share a PostgreSQL database")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def child_env() -> dict:
    """The environment of a process on the test database, with the database task backend."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "NIANGJIA_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "NIANGJIA_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "niangjia.settings"}


def niangjia(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from niangjia.cli import main; main()", *args], cwd=ROOT,
                            env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_queue_run_each_task_exactly_once(settings):
    # given two worker processes on the same queue, both alive
    from django_tasks_db.models import DBTaskResult

    from niangjia.core.tasks import worker_probe

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    workers = [niangjia("worker", "--queue-name", "*", "--interval", "0.1", "--no-startup-delay", "--no-reload")
               for _ in range(2)]
    try:
        deadline = time.monotonic() + 60
        while WorkerHeartbeat.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert WorkerHeartbeat.objects.count() == 2, "the workers did not start"
        # when 80 tasks are enqueued, each holding its worker a little
        tokens = [f"probe-{i}" for i in range(80)]
        for token in tokens:
            worker_probe.enqueue(token, 0.05)
        deadline = time.monotonic() + 120
        while DBTaskResult.objects.exclude(status="SUCCESSFUL").exists() and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.communicate(timeout=30)
    # then every task ran, each exactly once, and both workers took a share
    runs = list(AuditEntry.objects.filter(action="worker.probe").values_list("summary", "detail"))
    assert sorted(token for token, _ in runs) == sorted(tokens)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(tokens)
    assert len({detail["worker"] for _, detail in runs}) == 2


@pytest.mark.django_db(transaction=True)
def test_a_periodic_job_already_running_elsewhere_is_skipped():
    # given another machine running needs_escalate (it holds the job's lock)
    with periodic.only_one("needs_escalate") as held:
        assert held
        # when this machine's timer starts the same job
        second = niangjia("needs_escalate")
        out, err = second.communicate(timeout=120)
        # then it does nothing and says so, successfully
        assert second.returncode == 0, err
        assert "already running elsewhere" in err and "新上报超期需求" not in out
        # and another job is not held up by it
        with periodic.only_one("cases_escalate") as other:
            assert other
    # when the first run has ended, the job runs again
    third = niangjia("needs_escalate")
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert "新上报超期需求 0 条" in out


@pytest.mark.django_db(transaction=True)
def test_two_runs_started_together_do_the_work_once():
    # given two machines starting audit verify at the same moment, this one holding the lock first
    with periodic.only_one("audit") as held:
        runs = [niangjia("audit", "verify") for _ in range(2)]
        results = [r.communicate(timeout=120) for r in runs]
        assert held and all(r.returncode == 0 for r in runs)
        assert all("already running elsewhere" in err for _, err in results)
    # then once the lock is free exactly one of two simultaneous runs does the work, or they run one after the other
    runs = [niangjia("audit", "verify") for _ in range(2)]
    results = [r.communicate(timeout=120) for r in runs]
    assert all(r.returncode == 0 for r in runs)
    assert sum("audit chain intact" in out for out, _ in results) + \
        sum("already running elsewhere" in err for _, err in results) == 2
    assert any("audit chain intact" in out for out, _ in results)
