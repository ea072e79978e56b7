"""/healthz, /readyz, request ids, JSON request logs without personal data, /metrics, Sentry's scrubbing."""

import io
import json
import logging
import sys
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from niangjia.core import errortracking, health
from niangjia.core.management.commands.worker import beat
from niangjia.core.models import WorkerHeartbeat
from niangjia.core.requestlog import JsonFormatter, scrub
from tests.conftest import PASSWORD

DB_WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PHONE, ID_NUMBER, LANDLINE = "13812345678", "11010519491231002X", "0571-87654321"


def boom(request):
    raise RuntimeError(f"could not reach {PHONE} at {ID_NUMBER}")


def hello(request):
    return HttpResponse(f"hi {request.request_id}")


urlpatterns = [path("boom/", boom), path("hello/", hello), path("", __import__("django").urls.include("niangjia.urls"))]


@pytest.fixture
def log_lines():
    """Every log line written during the test, as the production JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(n) for n in ("", "niangjia.request", "django.request")]
    for lg in loggers:
        lg.addHandler(handler)
    yield lambda: [json.loads(ln) for ln in stream.getvalue().splitlines()]
    for lg in loggers:
        lg.removeHandler(handler)


@pytest.fixture(autouse=True)
def fresh_migration_answer():
    health._migrations_ok_until[0] = 0.0


# ---------------------------------------------------------------- health


def test_healthz_answers_without_touching_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readyz_answers_ok_with_the_version_when_all_parts_are_ready(db):
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["failing"] == [] and body["version"] == health.version() != "unknown"
    assert sorted(body["checks"]) == ["backlog", "database", "migrations", "replica", "worker"]
    assert body["checks"]["replica"] == {"ok": True, "state": "not_configured"}  # no NIANGJIA_REPLICA_URL


def test_readyz_answers_503_naming_the_database_when_it_is_unreachable(db, monkeypatch):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", unreachable)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database", "migrations", "worker", "backlog", "replica"]
    assert response.json()["checks"]["database"] == {"ok": False, "detail": "OperationalError"}


def test_readyz_answers_503_naming_unapplied_migrations(db, monkeypatch):
    class Pending:
        app_label, name = "needs", "0099_future"

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [(Pending, False)])
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["migrations"]
    assert response.json()["checks"]["migrations"]["unapplied"] == ["needs.0099_future"]


def test_readyz_wants_a_fresh_worker_heartbeat_when_tasks_go_to_the_worker(db, settings):
    # given tasks go to the database worker, which has never beaten
    settings.TASKS = DB_WORKER
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    assert Client().get("/readyz").json()["failing"] == ["worker"]
    # when the worker beats
    beat("host:1")
    # then ready; and a heartbeat older than the limit is not
    assert Client().get("/readyz").status_code == 200
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=121))
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["worker"]


def test_readyz_answers_503_when_the_task_backlog_is_over_its_limit(db, settings, monkeypatch):
    settings.TASKS = DB_WORKER
    settings.TASK_BACKLOG_MAX = 3
    beat("host:1")
    monkeypatch.setattr(health, "task_backlog", lambda: 4)
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["backlog"] == {"ok": False, "ready": 4, "limit": 3}
    monkeypatch.setattr(health, "task_backlog", lambda: 3)
    assert Client().get("/readyz").status_code == 200


def test_the_real_backlog_counts_ready_tasks(db):
    assert health.task_backlog() == 0


# ---------------------------------------------------------------- request ids and logs


@pytest.mark.parametrize("given, kept", [
    ("req-2026-12-06-abcdef", True),
    ("short", False),                      # too short
    ("has spaces in it here", False),
    ("x" * 129, False),                    # too long
    ("abc\ndef-injected-line", False),
])
def test_a_sane_request_id_is_kept_and_anything_else_replaced(db, settings, given, kept):
    settings.ROOT_URLCONF = __name__
    response = Client().get("/hello/", HTTP_X_REQUEST_ID=given)
    rid = response["X-Request-ID"]
    assert (rid == given) is kept
    assert len(rid) >= 8 and response.content.decode() == f"hi {rid}"  # request.request_id for other code


def test_each_request_leaves_one_json_line_with_its_facts(personas, log_lines):
    # given a logged-in user
    client = Client()
    client.post("/login/", {"username": "east", "password": PASSWORD})
    # when
    response = client.get("/readyz", HTTP_X_REQUEST_ID="trace-0001-abcd")
    # then
    line = [ln for ln in log_lines() if ln["logger"] == "niangjia.request" and ln["path"] == "/readyz"]
    assert len(line) == 1
    assert response["X-Request-ID"] == line[0]["request_id"] == "trace-0001-abcd"
    assert (line[0]["method"], line[0]["route"], line[0]["status"], line[0]["user_id"]) == (
        "GET", "readyz", 200, personas.east.pk)
    assert line[0]["queries"] >= 1 and line[0]["duration_ms"] > 0


def test_a_request_slower_than_the_threshold_logs_a_warning(db, settings, log_lines):
    settings.SLOW_REQUEST_MS = 0
    Client().get("/healthz")
    settings.SLOW_REQUEST_MS = 60_000
    Client().get("/healthz")
    levels = [(ln["level"], ln.get("slow")) for ln in log_lines() if ln["logger"] == "niangjia.request"]
    assert levels == [("WARNING", True), ("INFO", None)]


def test_no_phone_id_number_or_address_reaches_any_log_line(personas, settings, log_lines):
    # given requests carrying personal data in paths, query strings, and an error's traceback
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(personas.east)
    client.get(f"/persons/?q={PHONE}&unit=3")
    client.get(f"/api/v1/persons?phone=%2B86{PHONE}&id_number={ID_NUMBER}&address=西湖区文三路8号")
    client.get(f"/lookup/{ID_NUMBER}/?tel={LANDLINE}")
    client.get(f"/search?x={LANDLINE}&name=王秀英")
    response = client.get("/boom/")
    # then the error is logged with its traceback, and nothing personal is anywhere
    lines = log_lines()
    text = json.dumps(lines, ensure_ascii=False)
    assert response.status_code == 500
    assert any("RuntimeError" in ln.get("traceback", "") for ln in lines)
    for secret in (PHONE, ID_NUMBER, "87654321", "文三路", "王秀英", ID_NUMBER[:17]):
        assert secret not in text
    assert "unit=3" in text and "/persons/" in text  # harmless parts stay


@pytest.mark.parametrize("raw, clean", [
    ("phone=13812345678&page=2", "phone=[redacted]&page=2"),
    ("call 13812345678 now", "call [redacted] now"),
    ("id 11010519491231002X.", "id [redacted]."),
    ("tel 0571-87654321", "tel [redacted]"),
    ("+86 138 1234 5678", "[redacted]"),
    ("page 2 of 12, 2026-12-06, 150 ms, id=123456", "page 2 of 12, 2026-12-06, 150 ms, id=123456"),
])
def test_scrub_removes_phone_and_id_like_digit_runs_and_keeps_the_rest(raw, clean):
    assert scrub(raw) == clean


# ---------------------------------------------------------------- metrics


def test_metrics_is_not_public(db, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED = []
    assert Client().get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_metrics_answers_the_token_with_request_counts(db, settings):
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    Client().get("/healthz")
    response = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'niangjia_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "niangjia_http_request_duration_seconds_bucket" in text


def test_metrics_answers_an_allowed_address_with_the_worker_figures(db, settings):
    import ipaddress

    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED = [ipaddress.ip_network("10.9.0.0/24")]
    settings.TASKS = DB_WORKER
    beat("host:1")
    assert Client().get("/metrics", REMOTE_ADDR="10.9.1.5").status_code == 404
    text = Client().get("/metrics", REMOTE_ADDR="10.9.0.5").content.decode()
    assert "niangjia_task_backlog 0.0" in text and "niangjia_worker_heartbeat_age_seconds" in text


# ---------------------------------------------------------------- Sentry


def test_sentry_is_off_without_a_dsn_and_skipped_without_the_package(monkeypatch, caplog):
    assert errortracking.init("") is False
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)
    assert errortracking.init("https://key@sentry.intranet/1") is False
    assert "sentry-sdk is not installed" in caplog.text


def test_sentry_events_lose_bodies_cookies_users_and_personal_digits():
    event = {"message": f"failed for {PHONE}", "user": {"id": 1},
             "request": {"url": f"https://h/p?phone={PHONE}", "query_string": f"id_number={ID_NUMBER}",
                         "data": {"phone": PHONE}, "cookies": {"sessionid": "x"}, "headers": {"Cookie": "x"}}}
    cleaned = errortracking._before_send(event, None)
    assert PHONE not in json.dumps(cleaned) and ID_NUMBER not in json.dumps(cleaned)
    assert "user" not in cleaned and sorted(cleaned["request"]) == ["query_string", "url"]
