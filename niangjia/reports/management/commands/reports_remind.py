"""`niangjia reports_remind` (daily): units whose report of the last closed period is past its due
date and not sent up are reminded (once a day at most)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.i18n import TranslatedCommand
from niangjia.reports import services


class Command(TranslatedCommand):
    help = _("提醒逾期未上报统计报表的单位")

    def handle(self, *args, **options):
        self.stdout.write(gettext("已提醒 {remind_late} 个单位").format(remind_late=services.remind_late()))
