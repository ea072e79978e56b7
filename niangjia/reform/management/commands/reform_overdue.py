"""`niangjia reform_overdue` (daily): overdue measures become delayed, their responsible units are
reminded, and after the policy's days their parents are asked to follow up. Safe to run twice."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from niangjia.core.i18n import TranslatedCommand
from niangjia.reform import services


class Command(TranslatedCommand):
    help = _("标记逾期改革措施为延期，提醒责任单位，逾期过久的报上一级督办")

    def handle(self, *args, **options):
        done = services.overdue_run()
        self.stdout.write(gettext("延期 {done}，提醒 {done2}，报上一级 {done3}").format(done=done['delay'], done2=done['remind'], done3=done['escalate']))
