"""`niangjia bench` section "12338 hotline intake over HTTP": call records posted to
POST /api/v1/intake/hotline-calls through the real stack (gunicorn, middleware, token auth, ninja,
the idempotent service, PostgreSQL), against GET /healthz on the same server as the floor.

A fifth of the deliveries repeat an earlier call id (the telephony system's retries); the report
checks that every distinct call was recorded exactly once. Registered in apps.py with
core.extensions.register_bench; `run(ctx)` runs on the bench database.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import quote

from django.db import connection

from niangjia.accounts.models import User, UserScope
from niangjia.accounts.services import token_issue
from niangjia.cases.models import HotlineCall
from niangjia.core import periods
from niangjia.org.models import Federation

TITLE = "12338 hotline intake over HTTP"
THREADS = 8
PASSWORD = "Bench-Hotline-2026!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _operator():
    """A hotline operator at the first county of the bench tree, and her bearer token."""
    county = Federation.objects.filter(level=4).order_by("id").first() or Federation.objects.order_by("-level").first()
    user, _ = User.objects.get_or_create(username="bench_hotline", defaults={"roles": ["hotline_operator"]})
    user.set_password(PASSWORD)
    user.save()
    UserScope.objects.get_or_create(user=user, unit=county)
    raw, _ = token_issue(username=user.username, password=PASSWORD)
    return user, raw


def _serve(port: int):
    env = {**os.environ, "DATABASE_URL": _database_url(), "NIANGJIA_DEBUG": "true"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "niangjia.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start for the hotline bench")


def _drive(port: int, requests: list[tuple[str, str, bytes | None, dict]]) -> tuple[float, list[float], list[int]]:
    """Send the requests from THREADS keep-alive clients; returns (seconds, latencies ms, statuses)."""
    latencies, statuses, lock = [], [], threading.Lock()
    chunks = [requests[i::THREADS] for i in range(THREADS)]

    def worker(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for method, path, body, headers in chunk:
            t0 = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses.append(resp.status)
        conn.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, statuses


def _calls(n: int, token: str, operator: str, run: str) -> tuple[list, set[str]]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    now = periods.now().isoformat()
    out, ids = [], set()
    for i in range(n):
        # ids of this run only (the bench database is kept: a fixed id would be a retry of the last run's call)
        call_id = f"BENCH-{run}-{i // 5 * 4 + i % 5}" if i % 5 != 4 else f"BENCH-{run}-{(i // 5) * 4}"  # every 5th repeats
        ids.add(call_id)
        body = json.dumps({"call_id": call_id, "started_at": now, "caller": "13900001111", "duration_seconds": 60,
                           "operator": operator, "notes": "bench"}).encode()
        out.append(("POST", "/api/v1/intake/hotline-calls", body, headers))
    return out, ids


def _row(name: str, seconds: float, lat: list[float], n: int) -> str:
    p95 = statistics.quantiles(lat, n=20)[18] if len(lat) >= 20 else max(lat)
    return f"| {name} | {n} | {n / seconds:,.0f} | {statistics.median(lat):.1f} / {p95:.1f} |"


def run(ctx) -> list[str]:
    n = max(200, min(2000, 100 * ctx.repeat))
    user, token = _operator()
    port = _free_port()
    proc = _serve(port)
    try:
        _drive(port, [("GET", "/healthz", None, {})] * 50)  # warm both workers
        h_s, h_lat, h_st = _drive(port, [("GET", "/healthz", None, {})] * n)
        run = uuid.uuid4().hex[:8]
        calls, ids = _calls(n, token, user.username, run)
        c_s, c_lat, c_st = _drive(port, calls)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    recorded = HotlineCall.objects.filter(call_id__startswith=f"BENCH-{run}-").count()
    ratio = (n / c_s) / (n / h_s)
    ctx.say(f"hotline intake: {n / c_s:,.0f} req/s ({ratio:.0%} of /healthz)")
    return [
        f"gunicorn with 2 sync workers on this machine (development settings, DEBUG on), {THREADS} concurrent "
        f"clients, {n} requests per endpoint; "
        "every 5th delivery repeats an earlier call id (a retry).",
        "",
        "| endpoint | requests | req/s | p50 / p95 ms |",
        "| --- | ---: | ---: | ---: |",
        _row("GET /healthz (floor)", h_s, h_lat, n),
        _row("POST /api/v1/intake/hotline-calls", c_s, c_lat, n),
        "",
        f"Intake runs at **{ratio:.0%}** of the trivial endpoint's rate. Statuses: "
        f"{sum(s == 201 for s in c_st)} created, {sum(s == 200 for s in c_st)} retries answered with the first "
        f"record, {sum(s >= 400 for s in c_st) + sum(s >= 400 for s in h_st)} errors; distinct call ids sent "
        f"{len(ids)}, calls recorded {recorded} ({'none lost, none duplicated' if recorded == len(ids) else 'MISMATCH'}).",
    ]
