"""`niangjia import-accounts <file.xlsx> --actor <username> [--commit] [--sheet OUT.csv]`: accounts in bulk.

Checks every row and prints each problem; with --commit and a clean file creates every account in
one transaction. Generated one-time passwords are written to --sheet (a CSV to print), only there.
"""

import csv
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.accounts import services
from niangjia.accounts.models import AccountImport, User
from niangjia.core.context import RequestInfo, reset_request_info, set_request_info
from niangjia.core.errors import DomainError
from niangjia.core.i18n import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("批量导入账号（Excel）：先逐行校验；加 --commit 且无错误时才全部建立。一次性密码写入 --sheet 指定的文件。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("账号导入模板格式的 .xlsx 文件"))
        parser.add_argument("--actor", required=True, help=_("以哪个用户的身份导入（可授予的角色与管辖范围）"))
        parser.add_argument("--commit", action="store_true", help=_("校验全部通过后建立账号"))
        parser.add_argument("--sheet", default=None, help=_("一次性密码写到这个 CSV 文件（--commit 且有生成的密码时必填）"))

    def handle(self, *args, file, actor, commit, sheet, **options):
        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(_("用户不存在或已停用：{actor}").format(actor=actor))
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("文件不存在：{file}").format(file=file))
        token = set_request_info(RequestInfo(channel="cli"))
        try:
            job = services.account_import_create(actor=user, filename=path.name, content=path.read_bytes())
            for e in job.errors:
                self.stdout.write(_("第 {value} 行	{v2}	{v3}").format(value=e['row'], v2=e['column'], v3=e['message']))
            if job.status != AccountImport.Status.VALID:
                raise CommandError(_("发现 {value} 处错误，未建立任何账号").format(value=len(job.errors)))
            if not commit:
                self.stdout.write(_("{rows_total} 行全部通过校验。未加 --commit，未建立任何账号。").format(rows_total=job.rows_total))
                return
            services.account_import_commit(actor=user, job=job)
            if job.sheet_enc:
                target = Path(sheet or f"one-time-passwords-{job.pk}.csv")
                rows = services.account_import_take_sheet(actor=user, job=job)
                with open(target, "w", encoding="utf-8-sig", newline="") as fh:
                    csv.writer(fh).writerows([[_("用户名"), _("姓名"), _("一次性密码")], *rows])
                target.chmod(0o600)
                self.stdout.write(_("一次性密码 {value} 个已写入 {target}（请打印发放后删除该文件）").format(value=len(rows), target=target))
            self.stdout.write(self.style.SUCCESS(_("已建立 {users_created} 个账号，首次登录须修改密码（任务 #{pk}）").format(users_created=job.users_created, pk=job.pk)))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)
