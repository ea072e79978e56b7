"""`niangjia export <list> [--unit CODE] --actor <username> -o out.xlsx`: any list, scoped as the actor sees it."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit, excel
from niangjia.core.errors import DomainError
from niangjia.core.extensions import exports, find_unit
from niangjia.core.i18n import TranslatedCommand
from niangjia.core.roles import require


def lists() -> dict:
    """Every list the apps register (core.extensions.register_export): org's and people's foundation
    lists and the domain apps' own."""
    return exports()


class Command(TranslatedCommand):
    help = gettext_lazy("把一个列表导出为 Excel（只导出该用户管辖范围内的记录，敏感信息脱敏）")

    def add_arguments(self, parser):
        parser.add_argument("list", choices=sorted(lists()), help=_("要导出的列表"))
        parser.add_argument("--unit", help=_("只导出该组织代码的下辖范围"))
        parser.add_argument("--actor", required=True, help=_("以哪个用户的身份导出（权限与管辖范围）"))
        parser.add_argument("-o", "--output", required=True, help=_("输出的 .xlsx 文件"))

    def handle(self, *args, list, unit, actor, output, **options):  # noqa: A002 - the argument's name
        user = get_user_model().objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(_("用户不存在或已停用：{actor}").format(actor=actor))
        title, perm, rows_of = lists()[list]
        try:
            require(user, perm)
            require(user, "export")
            scope_unit = None
            if unit:
                scope_unit = find_unit(user, unit)
                if scope_unit is None:
                    raise CommandError(_("组织代码不存在或不在您的管辖范围内：{unit}").format(unit=unit))
            headers, rows = rows_of(user, scope_unit)
            counted = _Counter(rows)
            data = excel.workbook_bytes(title, headers, counted)
            audit.exported(user, title, counted.n, filters={"unit": unit or "", "output": "cli"})
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        with open(output, "wb") as fh:
            fh.write(data)
        self.stdout.write(self.style.SUCCESS(_("已导出 {title} {n} 行到 {output}").format(title=title, n=counted.n, output=output)))


class _Counter:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row
