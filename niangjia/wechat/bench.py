"""Intake throughput through the real HTTP stack (issue 4's `make bench` figure).

Starts gunicorn (gthread workers) on a free port against the same database as this process,
then drives keep-alive clients (threads with http.client) for a fixed time against each intake
door and against /healthz, the trivial endpoint on the same server. Each intake request is
unique (a new call id, a new MsgId), so every one writes its records: the figure is what a
burst of real deliveries costs, not a cache hit. The server is stopped in a `finally`.
"""

import http.client
import itertools
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, reverse

from niangjia.accounts.models import User, UserScope
from niangjia.accounts.services import token_issue
from niangjia.core import periods, ratelimit
from niangjia.org.models import Federation

from . import protocol, services
from .models import WeChatAccount

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH_USER = "bench_intake"
BENCH_TOKEN = "benchintaketoken"
BENCH_AES_KEY = "benchIntakeKey0123456789abcdefghijklmnopqrs"
BENCH_APP_ID = "wxbench000000000000"
GH = "gh_bench"


# ---------------------------------------------------------------- the data behind the doors


@dataclass
class Setup:
    unit: object
    username: str
    bearer: str
    plain_slug: str
    safe_slug: str


def _bench_user(unit):
    password = secrets.token_urlsafe(24) + "Aa1!"
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(username=BENCH_USER, password=password, first_name="吞吐量测试",
                                        roles=["hotline_operator", "cadre"])
    else:
        user.set_password(password)
        user.roles, user.is_active = ["hotline_operator", "cadre"], True
        user.save()
    UserScope.objects.filter(user=user).delete()
    UserScope.objects.create(user=user, unit=unit)
    user.forget_reach()
    return user, password


def _account(user, unit, slug: str, mode: str):
    account = WeChatAccount.objects.filter(slug=slug).first()
    if account is None:
        return services.account_create(actor=user, unit=unit, name=f"吞吐量测试（{mode}）", slug=slug,
                                       app_id=BENCH_APP_ID, token=BENCH_TOKEN, encoding_aes_key=BENCH_AES_KEY,
                                       mode=mode, rate_per_minute=10_000_000)
    return services.account_update(actor=user, account=account, version=account.version, token=BENCH_TOKEN,
                                   encoding_aes_key=BENCH_AES_KEY, mode=mode, active=True,
                                   rate_per_minute=10_000_000)


def prepare() -> Setup:
    """A county, a bench user (hotline operator and cadre there) with a bearer token, two accounts."""
    unit = (Federation.objects.filter(level=4, is_active=True).order_by("id").first()
            or Federation.objects.filter(is_active=True).order_by("level", "id").first())
    if unit is None:
        raise RuntimeError("the database has no federation; run `niangjia demo --small` or migrate and load data")
    user, password = _bench_user(unit)
    bearer, _ = token_issue(username=BENCH_USER, password=password)
    _account(user, unit, "bench-plain", "plaintext")
    _account(user, unit, "bench-safe", "safe")
    return Setup(unit=unit, username=BENCH_USER, bearer=bearer, plain_slug="bench-plain", safe_slug="bench-safe")


# ---------------------------------------------------------------- the server


def database_url() -> str:
    """This process's default database as a DATABASE_URL the server understands."""
    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        name = str(cfg["NAME"])
        if name in (":memory:", "") or "mode=memory" in name:
            raise RuntimeError("an in-memory SQLite database cannot be shared with a server; use a file or PostgreSQL")
        return f"sqlite:///{Path(name).resolve()}"
    auth = quote(cfg.get("USER") or "", safe="")
    if cfg.get("PASSWORD"):
        auth += ":" + quote(cfg["PASSWORD"], safe="")
    host = f"{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}"
    return f"postgres://{auth + '@' if auth else ''}{host}/{quote(cfg['NAME'], safe='')}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in its own process group; `with Server(...) as port:` stops it on any exit."""

    def __init__(self, *, workers: int, threads: int, db_url: str):
        self.workers, self.threads, self.db_url = workers, threads, db_url
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="niangjia-bench-gunicorn-", suffix=".log", delete=False)

    def _env(self) -> dict:
        # production settings, and this process's keys: the server must open what this process sealed
        return {**os.environ, "DATABASE_URL": self.db_url, "NIANGJIA_DEBUG": "false",
                "NIANGJIA_SECRET_KEY": settings.SECRET_KEY, "NIANGJIA_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
                "NIANGJIA_BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY, "NIANGJIA_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_SETTINGS_MODULE": "niangjia.settings"}

    def _options(self) -> list[str]:
        return []

    def __enter__(self) -> int:
        cmd = [sys.executable, "-m", "gunicorn", "niangjia.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
               "--workers", str(self.workers), "--threads", str(self.threads), "--worker-class", "gthread",
               "--keep-alive", "30", "--backlog", "256", "--log-level", "warning", *self._options()]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self._env(), stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.port

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-chars:]

    def __exit__(self, *exc) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=5)
        finally:
            self.log.close()
            Path(self.log.name).unlink(missing_ok=True)


# ---------------------------------------------------------------- the doors and the clients


@dataclass
class Door:
    name: str
    method: str
    make: Callable[[int], tuple[str, bytes, dict]]  # n → (path, body, headers)
    ok: tuple[int, ...] = (200,)
    # Public pages limit each client address: such a door is driven as many women, each from her
    # own loopback address (127.x.y.z), reconnecting after `per_source` requests.
    source: Callable[[], str] | None = None
    per_source: int = 0


def doors(setup: Setup) -> list[Door]:
    run = uuid.uuid4().hex[:10]
    key = protocol.aes_key(BENCH_AES_KEY)

    def healthz(n):
        return "/healthz", b"", {}

    def hotline(n):
        body = {"call_id": f"bench-{run}-{n}", "started_at": periods.now().isoformat(), "caller": "13800138000",
                "duration_seconds": 95, "operator": setup.username, "notes": "吞吐量测试来电"}
        return ("/api/v1/intake/hotline-calls", json.dumps(body).encode(),
                {"Authorization": f"Bearer {setup.bearer}", "Content-Type": "application/json"})

    def wechat_xml(n):
        return (f"<xml><ToUserName><![CDATA[{GH}]]></ToUserName><FromUserName><![CDATA[oBench{n:010d}]]>"
                f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                f"<Content><![CDATA[想参加电商直播培训，请问在哪里报名？（{n}）]]></Content>"
                f"<MsgId>{run_id_num + n}</MsgId></xml>")

    run_id_num = int(run, 16) % 10**12 * 10**6

    def wechat_plain(n):
        ts, nonce = str(int(time.time())), str(n)
        query = urlencode({"signature": protocol.signature(BENCH_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
                           "openid": "oBench"})
        return f"/p/wechat/{setup.plain_slug}/?{query}", wechat_xml(n).encode(), {"Content-Type": "text/xml"}

    def wechat_safe(n):
        ts, nonce = str(int(time.time())), str(n)
        encrypted = protocol.encrypt(key, BENCH_APP_ID, wechat_xml(n))
        query = urlencode({"signature": protocol.signature(BENCH_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
                           "openid": "oBench", "encrypt_type": "aes",
                           "msg_signature": protocol.signature(BENCH_TOKEN, ts, nonce, encrypted)})
        body = f"<xml><ToUserName><![CDATA[{GH}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        return f"/p/wechat/{setup.safe_slug}/?{query}", body.encode(), {"Content-Type": "text/xml"}

    found = [Door("GET /healthz (trivial)", "GET", healthz),
            Door("POST /api/v1/intake/hotline-calls", "POST", hotline, ok=(201,)),
            Door("POST /p/wechat/… (plaintext)", "POST", wechat_plain),
            Door("POST /p/wechat/… (safe mode, AES)", "POST", wechat_safe)]
    form = need_form_door(setup)
    return found + ([form] if form else [])


def _loopback_addresses():
    """Distinct 127.x.y.z addresses from a random start, so a rerun within the hour is not limited."""
    start = random.randrange(1 << 23)
    for n in itertools.count(start):
        n %= (1 << 24) - 2
        yield f"127.{(n + 2) >> 16 & 255}.{(n + 2) >> 8 & 255}.{(n + 2) & 255}"


def need_form_door(setup: Setup) -> Door | None:
    """The public need form (POST /p/needs/v/<village>/), when this build has it."""
    village = (Federation.objects.filter(level=6, is_active=True, l4=setup.unit.pk).order_by("id").first()
               or Federation.objects.filter(level=6, is_active=True).order_by("id").first())
    try:
        path = reverse("needs_public:village", args=[village.pk]) if village else ""
    except NoReverseMatch:
        return None
    if not path:
        return None
    csrf = uuid.uuid4().hex  # a 32-character secret: Django accepts it unmasked when it equals the cookie
    addresses, lock = _loopback_addresses(), threading.Lock()

    def next_address() -> str:
        with lock:
            return next(addresses)

    def submit(n):
        body = urlencode({"csrfmiddlewaretoken": csrf, "key": uuid.uuid4().hex, "service": "",
                          "category": "employment", "urgency": "normal", "contact_name": "", "contact_phone": "",
                          "description": f"想参加电商直播培训，请问在哪里报名？（{n}）"}).encode()
        return path, body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}

    limit = _public_need_limit()
    return Door(f"POST {path.replace(str(village.pk), '<village>')} (public need form)", "POST", submit, ok=(302,),
                source=next_address, per_source=limit)


def _public_need_limit() -> int:
    try:
        # optional: the except below answers without it
        from niangjia.needs.views.public import SUBMIT_RATE
    except ImportError:
        return 1
    return max(1, ratelimit.parse(SUBMIT_RATE)[0])


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        lat = sorted(self.latencies)
        return lat[min(len(lat) - 1, int(q * (len(lat) - 1) + 0.5))] * 1000 if lat else float("nan")


def _connect(port: int, door: Door) -> http.client.HTTPConnection:
    source = (door.source(), 0) if door.source else None
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source)


def _client(port: int, door: Door, counter, stop_at: float, result: Result, lock: threading.Lock) -> None:
    conn, used = _connect(port, door), 0
    lat, errors, first = [], 0, ""
    while time.monotonic() < stop_at:
        if door.per_source and used >= door.per_source:
            conn.close()
            conn, used = _connect(port, door), 0
        used += 1
        path, body, headers = door.make(next(counter))
        t0 = time.perf_counter()
        try:
            conn.request(door.method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - t0
            if response.status in door.ok:
                lat.append(elapsed)
            else:
                errors += 1
                first = first or f"HTTP {response.status}: {payload[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            errors += 1
            first = first or f"{type(exc).__name__}: {exc}"
            conn.close()
            conn, used = _connect(port, door), 0
    conn.close()
    with lock:
        result.latencies.extend(lat)
        result.errors += errors
        result.first_error = result.first_error or first


def _burst(port: int, door: Door, counter, *, seconds: float, clients: int) -> Result:
    result, lock = Result(door.name, seconds), threading.Lock()
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(port, door, counter, stop_at, result, lock), daemon=True)
               for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - started
    return result


def drive(port: int, door: Door, *, seconds: float, clients: int, warmup: float = 1.0) -> Result:
    """`clients` keep-alive connections sending back to back for `seconds`, after an unmeasured warm-up
    (connections opened, code paths and statements warm); request numbers never repeat."""
    counter = itertools.count()
    if warmup:
        _burst(port, door, counter, seconds=warmup, clients=clients)
    return _burst(port, door, counter, seconds=seconds, clients=clients)


# ---------------------------------------------------------------- the report


def cores() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{usable} usable of {os.cpu_count()}"


def table(results: list[Result]) -> list[str]:
    base = results[0].rate if results and results[0].rate else float("nan")
    lines = ["| endpoint | requests/s | p50 ms | p95 ms | ok | errors | ratio to /healthz |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.name} | {r.rate:,.0f} | {r.pct(0.5):.1f} | {r.pct(0.95):.1f} | {len(r.latencies):,} | "
                     f"{r.errors:,} | {r.rate / base:.2f} |")
    return lines


def measure(*, seconds: float = 10, clients: int = 8, workers: int = 2, threads: int = 4,
            say: Callable[[str], None] = print) -> list[str]:
    """Run every door against one gunicorn and return the markdown lines of the report."""
    setup = prepare()
    engine = connection.vendor
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    db_url = database_url()
    results: list[Result] = []
    with Server(workers=workers, threads=threads, db_url=db_url) as port:
        for door in doors(setup):
            say(f"  {door.name}: {seconds:.0f} s with {clients} clients")
            results.append(drive(port, door, seconds=seconds, clients=clients))
    lines = [f"gunicorn {workers} workers × {threads} threads (gthread, keep-alive) on 127.0.0.1, production "
             f"settings (NIANGJIA_DEBUG=false), {engine} database, {clients} keep-alive client threads in the "
             f"benchmark process on the same machine, {seconds:.0f} s per endpoint after a 1 s warm-up; "
             f"machine cores: {cores()}, load average {load_before:.1f} when it started (other work on the "
             f"machine competes for the same cores). Every intake request is new (fresh call id, MsgId or form key), so each writes its "
             f"record, audit row, idempotency key and summary count in one transaction.", ""]
    lines += table(results)
    failing = [r for r in results if r.errors]
    if failing:
        lines += ["", *(f"- first error at {r.name}: `{r.first_error}`" for r in failing)]
    lines += ["", f"Measured {periods.local_now():%Y-%m-%d %H:%M %Z}."]
    return lines


def run(ctx) -> list[str]:
    """The `make bench` section (core.extensions.register_bench)."""
    seconds = max(1.0, min(10.0, float(ctx.budget_s)))  # the time budget the bench gives each measurement
    return measure(seconds=seconds, say=ctx.say)


def table_only(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("|")]
