"""`niangjia purge`: remove what is past its retention window (daily; safe to run twice). Never audit rows."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import retention
from niangjia.core.i18n import TranslatedCommand


class Command(TranslatedCommand):
    help = (gettext_lazy("清理过期数据：过期会话、令牌、限流计数、超出窗口的幂等键、已读旧通知（审计日志从不删除）。"
            " Remove expired sessions, tokens, rate counters, old idempotency keys and read notifications."))

    def handle(self, *args, **options):
        counts = retention.purge()
        self.stdout.write(_("已清理 / purged: ") + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write(_("审计日志保留（不删除）/ audit rows kept: ≥ {AUDIT_RETENTION_DAYS} days; access logs (journald) must be kept ≥ {ACCESS_LOG_RETENTION_DAYS} days").format(AUDIT_RETENTION_DAYS=settings.AUDIT_RETENTION_DAYS, ACCESS_LOG_RETENTION_DAYS=settings.ACCESS_LOG_RETENTION_DAYS))
