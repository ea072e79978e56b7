"""`niangjia purge` (past-window rows go, twice is harmless, audit rows never), the legal floors,
and the audit export by date range (CLI, web, API): streamed, scoped, no row cap, itself audited."""

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from niangjia.accounts.models import ApiToken
from niangjia.core.models import AuditEntry, IdempotencyKey, Notification, RateCounter
from niangjia.core.scope import ANCESTOR_FIELDS
from tests.api.helpers import Api, make_user

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def audit_row(day: str, unit=None, action="test.row", hour=12):
    entry = AuditEntry(at=datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=SHANGHAI), action=action,
                       actor_name="admin", summary=f"row of {day}")
    for f in ANCESTOR_FIELDS:
        setattr(entry, f, getattr(unit, f, None))
    entry.save()
    return entry


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# ---------------------------------------------------------------- purge


def test_purge_removes_what_is_past_its_window_keeps_the_rest_and_is_safe_twice(personas, settings):
    # given old and fresh rows of each kind
    now = timezone.now()
    settings.NOTIFICATION_RETENTION_DAYS, settings.IDEMPOTENCY_KEY_DAYS = 90, 30
    old_session, new_session = SessionStore(), SessionStore()
    old_session.create()
    new_session.create()
    Session.objects.filter(session_key=old_session.session_key).update(expire_date=now - timedelta(minutes=1))
    ApiToken.objects.create(user=personas.east, key_hash="a" * 64, expires_at=now - timedelta(hours=1))
    ApiToken.objects.create(user=personas.east, key_hash="b" * 64, expires_at=now + timedelta(hours=1))
    RateCounter.objects.create(bucket="x:old", window_start=now - timedelta(days=3), count=1)
    RateCounter.objects.create(bucket="x:new", window_start=now, count=1)
    for key, age in (("old", 31), ("new", 29)):
        k = IdempotencyKey.objects.create(scope="s", key=key)
        IdempotencyKey.objects.filter(pk=k.pk).update(created_at=now - timedelta(days=age))
    for text, read_days_ago in (("old read", 91), ("recent read", 89), ("unread", None)):
        Notification.objects.create(recipient=personas.east, kind="k", text=text,
                                    read_at=None if read_days_ago is None else now - timedelta(days=read_days_ago))
    audit_row("2019-01-01")  # far older than any window: still kept
    audits = AuditEntry.objects.count()
    # when
    call_command("purge", stdout=io.StringIO())
    first = {"sessions": Session.objects.count(), "tokens": ApiToken.objects.count()}
    out = io.StringIO()
    call_command("purge", stdout=out)
    # then
    assert first == {"sessions": 1, "tokens": 1}
    assert Session.objects.get().session_key == new_session.session_key
    assert list(ApiToken.objects.values_list("key_hash", flat=True)) == ["b" * 64]
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["x:new"]
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert sorted(Notification.objects.values_list("text", flat=True)) == ["recent read", "unread"]
    assert AuditEntry.objects.count() == audits
    assert "sessions 0, api_tokens 0, rate_counters 0, idempotency_keys 0, read_notifications 0" in out.getvalue()


@pytest.mark.parametrize("name, value, floor", [("NIANGJIA_AUDIT_RETENTION_DAYS", "1094", "1095"),
                                                ("NIANGJIA_ACCESS_LOG_RETENTION_DAYS", "182", "183")])
def test_retention_settings_under_the_legal_floor_are_refused(name, value, floor):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIANGJIA_", "DJANGO_ALLOW_ASYNC"))}
    env[name] = value
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and f"{name} must be at least {floor}" in result.stderr


# ---------------------------------------------------------------- audit export


def test_the_cli_exports_the_days_asked_for_oldest_first_without_a_row_cap(db, tmp_path):
    # given rows before, inside (2,100 of them: more than one read chunk) and after the range
    audit_row("2026-03-31", hour=23)
    AuditEntry.objects.bulk_create([AuditEntry(at=datetime(2026, 4, 1 + n % 30, 8, tzinfo=SHANGHAI),
                                               action="bulk", actor_name="admin") for n in range(2100)])
    audit_row("2026-04-30", hour=23)
    audit_row("2026-05-01", hour=0)
    out = tmp_path / "audit.csv"
    # when
    call_command("audit", "export", "--from", "2026-04-01", "--to", "2026-04-30", "-o", str(out),
                 stderr=io.StringIO())
    # then
    rows = rows_of(out.read_text(encoding="utf-8"))
    assert len(rows) == 2101
    assert rows[0]["at"].startswith("2026-04-01T08:00") and rows[-1]["at"].startswith("2026-04-30T23:00")
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)


def test_an_admin_downloads_the_audit_rows_of_her_reach_and_the_download_is_audited(tree, personas):
    # given rows in 东县 and in 西县, and a county administrator of 东县
    audit_row("2026-04-02", unit=tree.east_village, action="east.row")
    audit_row("2026-04-02", unit=tree.west, action="west.row")
    east_admin = make_user("east_admin", ["admin"], [tree.east])
    client = Client()
    client.force_login(east_admin)
    # when
    response = client.get("/audit/export.csv?from=2026-04-01&to=2026-04-30")
    # then
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert [r["action"] for r in rows_of(body)] == ["east.row"]
    entry = AuditEntry.objects.get(action="audit.export")
    assert entry.actor == east_admin and entry.detail == {"from": "2026-04-01", "to": "2026-04-30"}


def test_the_api_download_answers_the_same_rows_and_refuses_a_user_without_audit_view(tree, personas):
    audit_row("2026-04-02", unit=tree.east_village, action="east.row")
    audit_row("2026-04-02", unit=tree.west, action="west.row")
    east_admin = make_user("east_admin", ["admin"], [tree.east])
    response = Api(east_admin).get("/audit/export", **{"from": "2026-04-01", "to": "2026-04-30"})
    assert response.status_code == 200
    assert [r["action"] for r in rows_of(b"".join(response.streaming_content).decode())] == ["east.row"]
    assert Api(personas.east).get("/audit/export").status_code == 403
    assert not AuditEntry.objects.filter(action="audit.export", actor=personas.east).exists()


def test_the_audit_csv_never_hands_excel_a_formula_or_a_control_character(db, tmp_path):
    # given an audit row whose typed text begins like a formula and carries a control character
    entry = AuditEntry(at=datetime(2026, 4, 2, 9, tzinfo=SHANGHAI), action="need.create",
                       actor_name="=HYPERLINK(\"http://x\")", summary="@SUM(1+1)\x07 求助", detail={})
    entry.save()
    out = tmp_path / "audit.csv"
    # when the rows are exported
    call_command("audit", "export", "--from", "2026-04-01", "--to", "2026-04-30", "-o", str(out),
                 stderr=io.StringIO())
    row = rows_of(out.read_text(encoding="utf-8"))[-1]
    # then each such cell opens as the text it is (led by an apostrophe), without the control character
    assert row["actor_name"] == "'=HYPERLINK(\"http://x\")" and row["summary"] == "'@SUM(1+1) 求助"
    assert row["action"] == "need.create"
