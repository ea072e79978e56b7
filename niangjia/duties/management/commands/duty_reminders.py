"""`niangjia duty_reminders`: remind every executive member behind schedule (safe to run twice a day).

A scheduler calls it (e.g. 09:00 and 15:00). From each federation's list-window opening day
(1 October by default) to 31 December it records one reminder per behind assignment per day;
the second run of the same day finds them sent and sends none again.
"""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import periods
from niangjia.core.i18n import TranslatedCommand
from niangjia.duties import queries, services


class Command(TranslatedCommand):
    help = gettext_lazy("向年底前履职进度落后的执委发送提醒（同一天重复运行不会重复提醒）")

    def add_arguments(self, parser):
        parser.add_argument("--day", help=_("按哪一天计算（YYYY-MM-DD，默认今天）"))

    def handle(self, *args, **opts):
        try:
            day = date.fromisoformat(opts["day"]) if opts.get("day") else periods.today()
        except ValueError as exc:
            raise CommandError(_("--day 的格式应为 YYYY-MM-DD")) from exc
        behind = queries.behind_everywhere(day)
        made = services.reminders_send(actor=None, assignments=behind, day=day)
        self.stdout.write(_("{day}：进度落后 {value} 人，新发送提醒 {v2} 条").format(day=day, value=len(behind), v2=len(made)))
