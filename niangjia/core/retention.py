"""Retention: what `niangjia purge` removes, and the legal floors it never goes under.

Purged (each step a plain DELETE of rows past their window, so running twice is harmless):
expired sessions, expired API tokens, rate counters, idempotency keys past their window,
read notifications past theirs, stale worker heartbeats. Never purged: audit rows. They are
append-only (PostgreSQL refuses DELETE) and hash-chained; the law asks that they be kept at
least 3 years (AUDIT_RETENTION_DAYS, floor 1095), so they are archived by export
(`niangjia audit export`), never deleted by this command.
"""

import csv
import json
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from niangjia.core import periods

# Floors from the law: network logs at least 6 months (Cybersecurity Law art. 21), audit of
# personal-information processing at least 3 years (as the federation's records policy requires).
AUDIT_FLOOR_DAYS = 3 * 365
ACCESS_LOG_FLOOR_DAYS = 183

AUDIT_COLUMNS = ["id", "seq", "at", "actor_id", "actor_name", "action", "target_type", "target_id", "summary",
                 "ip", "channel", "detail", "hash"]


def purge(now=None) -> dict[str, int]:
    """Delete every row past its window; the count removed per kind."""
    from django.apps import apps

    from .models import IdempotencyKey, Notification, RateCounter, WorkerHeartbeat
    from .ratelimit import KEEP

    ApiToken = apps.get_model("accounts", "ApiToken")  # core sits below accounts: by name, not import
    now = now or periods.now()
    days = timedelta(days=1)
    steps = {
        "sessions": Session.objects.filter(expire_date__lt=now),
        "api_tokens": ApiToken.objects.filter(expires_at__lt=now),
        "rate_counters": RateCounter.objects.filter(window_start__lt=now - KEEP),
        "idempotency_keys": IdempotencyKey.objects.filter(created_at__lt=now - settings.IDEMPOTENCY_KEY_DAYS * days),
        "read_notifications": Notification.objects.filter(
            read_at__isnull=False, read_at__lt=now - settings.NOTIFICATION_RETENTION_DAYS * days),
        "worker_heartbeats": WorkerHeartbeat.objects.filter(beat_at__lt=now - days),
    }
    return {name: qs.delete()[0] for name, qs in steps.items()}


def audit_rows(qs, start: date | None, end: date | None):
    """Audit rows with start <= day <= end (local days), oldest first, read in chunks (no row cap)."""
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
    return qs.order_by("at", "id").iterator(chunk_size=2000)


class _Echo:
    def write(self, value):
        return value


def audit_csv_lines(rows):
    """The CSV of these audit rows, line by line (a BOM first, so Excel reads the Chinese). Text typed by
    people (a name, a summary) goes through the export module's guard: never a live formula in Excel."""
    from .excel import csv_text

    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(AUDIT_COLUMNS)
    for e in rows:
        yield writer.writerow([e.id, e.seq, timezone.localtime(e.at).isoformat(), e.actor_id or "",
                               csv_text(e.actor_name), csv_text(e.action), e.target_type, csv_text(e.target_id),
                               csv_text(e.summary), e.ip, e.channel,
                               csv_text(json.dumps(e.detail, ensure_ascii=False, sort_keys=True)), e.hash])
