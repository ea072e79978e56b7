"""`niangjia purge`: remove what is past its retention window (daily; safe to run twice). Never audit rows."""

from django.conf import settings
from django.core.management.base import BaseCommand

from niangjia.core import retention


class Command(BaseCommand):
    help = ("清理过期数据：过期会话、令牌、限流计数、超出窗口的幂等键、已读旧通知（审计日志从不删除）。"
            " Remove expired sessions, tokens, rate counters, old idempotency keys and read notifications.")

    def handle(self, *args, **options):
        counts = retention.purge()
        self.stdout.write("已清理 / purged: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write(f"审计日志保留（不删除）/ audit rows kept: ≥ {settings.AUDIT_RETENTION_DAYS} days; "
                          f"access logs (journald) must be kept ≥ {settings.ACCESS_LOG_RETENTION_DAYS} days")
