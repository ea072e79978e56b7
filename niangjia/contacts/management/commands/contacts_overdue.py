"""`niangjia contacts_overdue`: the daily pass over contact plans (safe to run twice a day).

Refreshes every plan of the year (its check and its count of contacts not heard from, so the
city-and-above overview stays at most a day old), lists the plans with silent contacts and
notifies each plan's own person once a day. Schedule it daily, e.g. 07:00, and after changing
the not-heard-from days or a plan preset on the policy page.
"""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.contacts import services
from niangjia.core.i18n import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("检查直接联系计划：刷新汇总、列出久未联系的计划并提醒本人（同一天重复运行不会重复提醒）")

    def add_arguments(self, parser):
        parser.add_argument("--day", help=_("按哪一天计算（YYYY-MM-DD，默认今天）"))
        parser.add_argument("--quiet", action="store_true", help=_("不逐条列出"))

    def handle(self, *args, **opts):
        try:
            day = date.fromisoformat(opts["day"]) if opts.get("day") else None
        except ValueError as exc:
            raise CommandError(_("--day 的格式应为 YYYY-MM-DD")) from exc
        out = services.overdue_sweep(day=day)
        if not opts.get("quiet"):
            for plan in out["late"]:
                self.stdout.write(_("{name}（{unit}）· {kind} · {n} 个久未联系").format(
                    name=plan.person.name, unit=plan.unit.name, kind=plan.get_kind_display(), n=plan.overdue_n))
        self.stdout.write(_("检查计划 {checked} 个，汇总变动 {changed} 个，有久未联系 {late} 个，新发送提醒 {notified} 条").format(
            checked=out["checked"], changed=out["changed"], late=len(out["late"]), notified=out["notified"]))
