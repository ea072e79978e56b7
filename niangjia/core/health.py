"""`/healthz` (the process answers; no database) and `/readyz` (ready to serve: 503 naming the part that is not).

/readyz checks the database answers, no migration is left unapplied, the task worker's
heartbeat is fresh and the backlog of ready tasks is under its limit (those two only when
tasks go to the database worker), and reports the version and the read replica's state (ok,
lagging, down: reads then come from the primary, so that alone never fails readiness).
"""

import time
import uuid
from datetime import timedelta
from importlib import metadata

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from niangjia.core import periods

from . import replica
from .models import IdempotencyKey, WorkerHeartbeat

_migrations_ok_until = [0.0]  # an all-applied answer holds 10 minutes (loading the graph is slow)


def version() -> str:
    try:
        return metadata.version("niangjia")
    except metadata.PackageNotFoundError:
        return "unknown"


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_migrations() -> dict:
    if _migrations_ok_until[0] > time.monotonic():
        return {"ok": True}
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return {"ok": False, "unapplied": [f"{m.app_label}.{m.name}" for m, _ in plan][:20]}
    _migrations_ok_until[0] = time.monotonic() + 600
    return {"ok": True}


def uses_worker() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db.")


def check_worker() -> dict:
    if not uses_worker():
        return {"ok": True, "detail": "tasks run in the web process"}
    age, limit = worker_heartbeat_age(), settings.WORKER_HEARTBEAT_MAX_AGE
    if age is None:
        return {"ok": False, "detail": "no worker heartbeat"}
    return {"ok": age <= limit, "age_seconds": round(age), "limit_seconds": limit}


def task_backlog() -> int:
    # django_tasks_db: optional and heavy, loaded only when this runs
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


def check_backlog() -> dict:
    if not uses_worker():
        return {"ok": True, "detail": "tasks run in the web process"}
    ready, limit = task_backlog(), settings.TASK_BACKLOG_MAX
    return {"ok": ready <= limit, "ready": ready, "limit": limit}


def check_replica() -> dict:
    """The read replica's state; never a reason to be unready (reads fall back to the primary)."""
    found = replica.state()
    if found["state"] == "not_configured":
        return {"ok": True, "state": "not_configured"}
    return {"ok": True, **found, "reads_from": "replica" if found["state"] == "ok" else "primary"}


CHECKS = {"database": check_database, "migrations": check_migrations, "worker": check_worker,
          "backlog": check_backlog, "replica": check_replica}


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    results, failing = {}, []
    for name, check in CHECKS.items():
        if failing and failing[0] == "database":
            results[name] = {"ok": False, "detail": "database unreachable"}
            failing.append(name)
            continue
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure is a reason not to be ready
            results[name] = {"ok": False, "detail": type(exc).__name__}
        if not results[name]["ok"]:
            failing.append(name)
    body = {"status": "fail" if failing else "ok", "failing": failing, "version": version(), "checks": results}
    return JsonResponse(body, status=503 if failing else 200)


def worker_heartbeat_age() -> float | None:
    """Seconds since the newest worker heartbeat, or None (for the metrics endpoint)."""
    last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    return None if last is None else (periods.now() - last) / timedelta(seconds=1)


@csrf_exempt
@never_cache
def bench_floor(request):
    """The intake floor of `niangjia bench` (settings.BENCH_FLOOR, off unless NIANGJIA_BENCH_FLOOR=1): one
    durable INSERT in a transaction and nothing else, behind the same middleware as every intake door."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} (scope, key, created_at, result_type, result_id) VALUES (%s, %s, %s, '', '')",
                    ["bench.floor", uuid.uuid4().hex, periods.now()])
    return HttpResponse("ok", status=201, content_type="text/plain")
