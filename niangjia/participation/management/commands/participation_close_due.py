"""`niangjia participation_close_due [--date YYYY-MM-DD]`: close registration of activities whose day
has passed (报名中 → 报名截止), audited; a scheduler may call it daily, and twice does no harm."""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.i18n import TranslatedCommand
from niangjia.participation import services


class Command(TranslatedCommand):
    help = gettext_lazy("将活动日期已过、仍在“报名中”的共创活动改为“报名截止”（可重复运行）")

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("按哪一天计算（默认今天），格式 YYYY-MM-DD"))

    def handle(self, *args, **opts):
        try:
            on = date.fromisoformat(opts["date"]) if opts.get("date") else None
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：{opts}").format(opts=opts['date'])) from exc
        closed = services.activities_close_due(on=on)
        for a in closed:
            self.stdout.write(_("报名截止：{name} · {title}（{day:%Y-%m-%d}）").format(name=a.unit.name, title=a.title, day=a.day))
        self.stdout.write(self.style.SUCCESS(_("共 {n} 个活动的报名已截止").format(n=len(closed))))
