"""`niangjia awards_notice_due`: after a round's notice period (公示) ends, tell its federation's
officers what finalizing still needs, or that it may be finalized (safe to run twice a day: each
officer is told at most once a day per round)."""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.awards import services
from niangjia.core import periods
from niangjia.core.i18n import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("公示期结束后提醒评选组织单位答复异议、确定结果（同一天重复运行不会重复提醒）")

    def add_arguments(self, parser):
        parser.add_argument("--day", help=_("按哪一天计算（YYYY-MM-DD，默认今天）"))

    def handle(self, *args, **opts):
        try:
            day = date.fromisoformat(opts["day"]) if opts.get("day") else periods.today()
        except ValueError as exc:
            raise CommandError(_("--day 的格式应为 YYYY-MM-DD")) from exc
        sent = services.notice_due_remind(today=day)
        self.stdout.write(_("{day}：发送公示期结束提醒 {sent} 条").format(day=day, sent=sent))
