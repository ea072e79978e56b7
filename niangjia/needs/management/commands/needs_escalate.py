"""`niangjia needs_escalate`: report every overdue need to the federation one level up.

A scheduler calls it (e.g. hourly). Safe to run twice and concurrently: each need is claimed by
a conditional update, so it is escalated, counted and notified exactly once.
"""

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import periods
from niangjia.core.i18n import TranslatedCommand
from niangjia.needs import services


class Command(TranslatedCommand):
    help = gettext_lazy("把超过办理期限仍未办结的妇女需求上报上一级妇联并通知其干部（重复运行不会重复上报）")

    def add_arguments(self, parser):
        parser.add_argument("--now", help=_("按哪一时刻计算（ISO 8601，如 2026-03-09T09:00+08:00；默认现在）"))

    def handle(self, *args, **opts):
        now = periods.now()
        if opts.get("now"):
            try:
                now = datetime.fromisoformat(opts["now"])
            except ValueError as exc:
                raise CommandError(_("--now 的格式应为 ISO 8601，如 2026-03-09T09:00+08:00")) from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        done = services.needs_escalate(now=now)
        self.stdout.write(_("{value:%Y-%m-%d %H:%M}：新上报超期需求 {v2} 条").format(value=timezone.localtime(now), v2=len(done)))
