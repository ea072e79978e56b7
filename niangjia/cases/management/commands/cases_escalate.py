"""`niangjia cases_escalate`: escalate open medium/high-risk cases past their follow-up deadline.

A scheduler calls it every few minutes. Each case is escalated once per deadline (the case keeps
the deadline it was escalated for), so running it twice notifies nobody twice; a new follow-up
sets a new deadline.
"""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.cases import services
from niangjia.core import periods
from niangjia.core.i18n import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("维权个案跟进超时升级督办（重复运行不会重复通知）")

    def add_arguments(self, parser):
        parser.add_argument("--now", help=_("按哪个时间计算（ISO 8601，默认现在）"))

    def handle(self, *args, **opts):
        try:
            now = datetime.fromisoformat(opts["now"]) if opts.get("now") else periods.now()
        except ValueError as exc:
            raise CommandError(_("--now 的格式应为 ISO 8601，如 2026-03-08T09:00+08:00")) from exc
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        done = services.escalate_overdue(now=now)
        self.stdout.write(_("{value:%Y-%m-%d %H:%M}：升级督办 {v2} 件").format(value=timezone.localtime(now), v2=len(done))
                          + (f"（{'、'.join(c.number for c in done)}）" if done else ""))
