"""Intake at 50 concurrent clients against its floor (issue 16), a section of `niangjia bench`.

One gunicorn (several workers, production settings) serves every door; wrk (Debian's `wrk`, driven by a Lua
script that replays pre-built requests, so each intake request is new: its own call id, MsgId or form key)
sends keep-alive requests from 50 connections. The floor is a bare endpoint on the same server making one
durable INSERT in a transaction (core.health.bench_floor, mounted only with NIANGJIA_BENCH_FLOOR=1). Each
door's round trips to the database are counted in this process with Django's test client: the statements
Django sends, and BEGIN and COMMIT for each transaction (savepoints too).
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from niangjia.core import periods
from niangjia.core.health import bench_floor
from niangjia.org.models import Federation

from . import bench
from .bench import Door

CLIENTS = 50
FLOOR_SHARE, P99_GOAL_MS, ROUND_TRIP_GOAL = 0.5, 200.0, 3  # the goals for each intake door
SEP = b"\0"
FLOOR = "POST /bench/floor (one durable INSERT)"

LUA = r"""
local threads, counter = {}, 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
reqs, i, wrapped, ok, bad, first = {}, 0, 0, 0, 0, 0  -- globals: done() reads them with thread:get
expected = {}
function init(args)
  local nthreads = tonumber(args[1])
  for code in string.gmatch(args[3], "%d+") do expected[tonumber(code)] = true end
  local f = io.open(args[2], "rb")
  local data = f:read("*a")
  f:close()
  local n = 0
  for req in string.gmatch(data, "([^%z]+)") do
    if n % nthreads == tid then table.insert(reqs, req) end
    n = n + 1
  end
end
function request()
  i = i + 1
  if i > #reqs then i = 1; wrapped = wrapped + 1 end
  return reqs[i]
end
function response(status, headers, body)
  if expected[status] then ok = ok + 1 else bad = bad + 1; if first == 0 then first = status end end
end
function done(summary, latency, requests)
  local o, b, w, f = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); b = b + t:get("bad"); w = w + t:get("wrapped")
    if f == 0 then f = t:get("first") end
  end
  io.write(string.format("NJ ok=%d bad=%d wrapped=%d first=%d p50=%.0f p99=%.0f seconds=%.3f\n", o, b, w, f,
    latency:percentile(50), latency:percentile(99), summary.duration / 1e6))
end
"""


@dataclass
class Load:
    name: str
    ok: int = 0
    bad: int = 0
    wrapped: int = 0
    first_bad: int = 0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    seconds: float = 0.0
    statements: int | None = None
    transactions: int | None = None

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def round_trips(self) -> int | None:
        return None if self.statements is None else self.statements + self.transactions


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    return found


def _raw(door: Door, n: int, port: int, extra: dict) -> bytes:
    path, body, headers = door.make(n)
    lines = [f"{door.method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}",
             *(f"{k}: {v}" for k, v in {**headers, **extra}.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _forwarded(n: int) -> dict:
    # the public form limits each woman's address: behind the (trusted) proxy each request is another woman
    return {"X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"}


def write_requests(door: Door, start: int, count: int, port: int, path: Path) -> None:
    with open(path, "wb") as fh:
        for n in range(start, start + count):
            fh.write(_raw(door, n, port, _forwarded(n) if door.source else {}) + SEP)


def run_wrk(port: int, requests: Path, expected: tuple[int, ...], *, seconds: float, script: Path,
            threads: int = 2) -> dict:
    cmd = [wrk_path(), f"-t{threads}", f"-c{CLIENTS}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s",
           "-s", str(script), f"http://127.0.0.1:{port}/", "--", str(threads), str(requests),
           ",".join(map(str, expected))]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120).stdout
    m = re.search(r"NJ ok=(\d+) bad=(\d+) wrapped=(\d+) first=(\d+) p50=(\d+) p99=(\d+) seconds=([\d.]+)", out)
    if not m:
        raise RuntimeError(f"wrk gave no result:\n{out[-2000:]}")
    ok, bad, wrapped, first, p50, p99, secs = m.groups()
    return {"ok": int(ok), "bad": int(bad), "wrapped": int(wrapped), "first_bad": int(first),
            "p50_ms": int(p50) / 1000, "p99_ms": int(p99) / 1000, "seconds": float(secs)}


TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def round_trips(captured: list[dict]) -> int:
    """Round trips among captured queries as this section counts them: statements + transaction statements."""
    return sum(_split(captured))


def _split(captured: list[dict]) -> tuple[int, int]:
    """(statements, transaction statements) among captured queries."""
    tx = sum(1 for q in captured if q["sql"].startswith(TRANSACTION))
    return len(captured) - tx, tx


def count_round_trips(door: Door, n: int) -> tuple[int, int]:
    """(statements, BEGIN/COMMIT/savepoints) of one request through this process's Django, its third (caches warm)."""
    client = Client()
    connection.ensure_connection()
    for k in range(3):
        path, body, headers = door.make(n + k)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        extra = {"REMOTE_ADDR": f"10.200.{k}.{n % 250 + 1}"} if door.source else {}
        with CaptureQueriesContext(connection) as ctx:
            response = client.generic(door.method, path, body, content_type=content_type, headers=headers, **extra)
    if response.status_code not in door.ok:
        raise RuntimeError(f"{door.name}: HTTP {response.status_code} in this process: {response.content[:200]!r}")
    return _split(ctx.captured_queries)


def floor_round_trips() -> tuple[int, int]:
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as ctx:
        bench_floor(RequestFactory().post("/bench/floor"))
    return _split(ctx.captured_queries)


def connections_per_worker(workers: int) -> int:
    """gunicorn's worker_connections for the intake bench: each worker's share of the clients, and two to spare."""
    return -(-CLIENTS // workers) + 2


class FloorServer(bench.Server):
    """The intake bench's gunicorn, with the floor mounted, a cache of its own shared by its workers, and
    loopback as the trusted proxy (the public form's clients are told apart by X-Forwarded-For)."""

    def __init__(self, *, cache_dir: str, **kw):
        super().__init__(**kw)
        self.cache_dir = cache_dir

    def _wait_ready(self, timeout: float = 240) -> None:  # several workers start slowly on a loaded machine
        super()._wait_ready(timeout)

    def _options(self) -> list[str]:
        # each worker holds at most its share of the keep-alive connections (and two to spare), as the
        # production set-up does by its nature (nginx in front, sync workers: one request per worker at a time).
        # gthread's default (1,000) lets whichever worker accepts first keep a third of them, whose requests then
        # queue behind each other while the other workers idle: p99 was 3-4× p50 for every endpoint, the floor too
        # --preload as in production (deploy/gunicorn.conf.py): every worker is ready when the first answers,
        # else the first endpoint's clients wait seconds in the backlog for workers still importing Django
        return ["--worker-connections", str(connections_per_worker(self.workers)), "--preload"]

    def _env(self) -> dict:
        return {**super()._env(), "NIANGJIA_BENCH_FLOOR": "1", "NIANGJIA_CACHE_DIR": self.cache_dir,
                "NIANGJIA_TRUSTED_PROXIES": "127.0.0.1"}


def _static(name: str, method: str, path: str, ok: tuple[int, ...]) -> Door:
    return Door(name, method, lambda n: (path, b"", {}), ok=ok)


def measure(*, seconds: float = 10, workers: int = 4, threads: int = 2, requests_per_door: int = 20_000,
            say: Callable[[str], None] = print) -> tuple[list[Load], dict]:
    """Every endpoint in turn on one server: /healthz, the floor, then each door followed by the floor again,
    so each door is compared with floors measured just before and just after it (this machine's speed
    drifts from minute to minute)."""
    setup = bench.prepare()
    intake = [d for d in bench.doors(setup) if d.method == "POST"]
    healthz = _static("GET /healthz (trivial)", "GET", "/healthz", (200,))
    floor = _static(FLOOR, "POST", "/bench/floor", (201,))
    order = [healthz, floor, *(d for door in intake for d in (door, floor))]
    counts = {door.name: count_round_trips(door, 10_000_000) for door in intake}
    counts |= {floor.name: floor_round_trips(), healthz.name: (0, 0)}
    load_before = os.getloadavg()[0]
    results: list[Load] = []
    with tempfile.TemporaryDirectory(prefix="niangjia-intake-bench-") as tmp:
        script = Path(tmp) / "replay.lua"
        script.write_text(LUA)
        with FloorServer(workers=workers, threads=threads, db_url=bench.database_url(),
                         cache_dir=str(Path(tmp) / "cache")) as port:
            for k, door in enumerate(order):
                count = requests_per_door if door in intake else 100  # the same request, for every wrk thread
                warm, main = Path(tmp) / f"warm{k}", Path(tmp) / f"main{k}"
                base = 20_000_000 + k * 1_000_000
                write_requests(door, base, min(count, 3000), port, warm)
                write_requests(door, base + 100_000, count, port, main)
                run_wrk(port, warm, door.ok, seconds=2, script=script)
                time.sleep(0.5)
                say(f"  {door.name}: {seconds:.0f} s, {CLIENTS} clients (wrk)")
                got = run_wrk(port, main, door.ok, seconds=seconds, script=script)
                statements, transactions = counts[door.name]
                results.append(Load(door.name, **got, statements=statements, transactions=transactions))
    meta = {"seconds": seconds, "workers": workers, "threads": threads, "load_before": load_before,
            "load_after": os.getloadavg()[0], "engine": connection.vendor,
            "federations": Federation.objects.filter(is_active=True).count()}
    return results, meta


def floor_beside(results: list[Load], i: int) -> float:
    """The floor a door is held to: the mean rate of the floors measured just before and just after it."""
    near = [results[j].rate for j in (i - 1, i + 1) if 0 <= j < len(results) and results[j].name == FLOOR]
    return sum(near) / len(near) if near else 0.0


def _goal(load: Load, floor_rate: float) -> str:
    share = load.rate / floor_rate if floor_rate else 0
    checks = [share >= FLOOR_SHARE, load.p99_ms < P99_GOAL_MS,
              load.round_trips is not None and load.round_trips <= ROUND_TRIP_GOAL]
    return "PASS" if all(checks) else "**FAIL** (" + ", ".join(
        what for what, ok in zip((f"< {FLOOR_SHARE:.0%} of the floor", f"p99 ≥ {P99_GOAL_MS:.0f} ms",
                                  f"> {ROUND_TRIP_GOAL} round trips"), checks, strict=True) if not ok) + ")"


def report(results: list[Load], meta: dict) -> list[str]:
    healthz = results[0]
    floors = [r.rate for r in results if r.name == FLOOR]
    mean_floor = sum(floors) / len(floors) if floors else 0.0
    lines = [f"gunicorn {meta['workers']} workers × {meta['threads']} threads (gthread, keep-alive, at most "
             f"{connections_per_worker(meta['workers'])} connections per worker, preloaded) on 127.0.0.1, "
             f"production settings (NIANGJIA_DEBUG=false), {meta['engine']} database of "
             f"{meta.get('federations', 0):,} federations; wrk with {CLIENTS} keep-alive "
             f"connections (2 threads) on the same machine, {meta['seconds']:.0f} s per endpoint after a 2 s warm-up; "
             f"machine cores: {bench.cores()}, 1-minute load average {meta['load_before']:.1f} before and "
             f"{meta['load_after']:.1f} after (the machine is shared: other work competes for the same cores, and "
             f"wrk, gunicorn and PostgreSQL share them too). Every intake request is new (its own call id, MsgId "
             f"or form key). Rows in the order measured: the floor is measured again after each door, and a "
             f"door's share is of the mean of the floors just before and after it (a floor row's share is of "
             f"the mean of all {len(floors)} floor runs: how far the machine drifted). Round trips: statements "
             f"Django sends for one request (counted in this process, caches warm) + BEGIN and COMMIT of each "
             f"transaction (and savepoints).", "",
             "| endpoint | requests/s | p50 ms | p99 ms | ok | errors | share of the floor | ratio to /healthz | "
             "round trips: statements + BEGIN/COMMIT | goal: ≥ 50% of the floor, p99 < 200 ms, ≤ 3 round trips |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for i, r in enumerate(results):
        rt = "—" if r.statements is None else f"{r.statements} + {r.transactions} = {r.round_trips}"
        reference = r is healthz or r.name == FLOOR
        floor_rate = mean_floor if reference else floor_beside(results, i)
        goal = "(reference)" if reference else _goal(r, floor_rate)
        lines.append(f"| {r.name} | {r.rate:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.ok:,} | {r.bad:,} | "
                     f"{r.rate / floor_rate if floor_rate else 0:.0%} | "
                     f"{r.rate / healthz.rate if healthz.rate else 0:.2f} | {rt} | {goal} |")
    notes = [f"- {r.name}: first unexpected status {r.first_bad}" for r in results if r.bad]
    notes += [f"- {r.name}: the pre-built requests ran out and were replayed {r.wrapped}× (replays answer from "
              f"the first record)" for r in results[1:] if r.wrapped and r.name != FLOOR]
    if notes:
        lines += ["", *notes]
    lines += ["", f"Measured {periods.local_now():%Y-%m-%d %H:%M %Z}."]
    return lines


def run(ctx) -> list[str]:
    """The `make bench` section (core.extensions.register_bench)."""
    if not shutil.which("wrk"):
        return ["Not measured: `wrk` is not installed on this machine (Debian: `apt-get install wrk`)."]
    seconds = max(3.0, min(10.0, float(ctx.budget_s)))
    results, meta = measure(seconds=seconds, say=ctx.say)
    return report(results, meta)
