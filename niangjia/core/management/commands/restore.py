from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from niangjia.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Replace the database and the uploads with a backup made by `niangjia backup` (asks first), "
            "then verify: per-table counts and checksums, every upload, one decryption of each sealed field.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            answer = input(_("这将用 {file} 覆盖当前数据库的全部数据和上传文件。输入 yes 继续：").format(file=file))
            if answer.strip().lower() != "yes":
                raise CommandError(_("已取消，未做任何修改"))
        try:
            report = restore(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("已从 {file} 恢复（{version} 版，{created}{value}）").format(file=file, version=report.version, created=report.created, value=_('，已解密') if report.encrypted else ''))
        for probe in report.sealed:
            self.stdout.write(_("  解密核对 {value}：{v2}").format(value=probe['field'], v2=_('通过') if probe['ok'] else probe['error']))
        if not report.ok:
            raise CommandError(_("恢复后核对未通过：\n") + "\n".join(report.problems))
        self.stdout.write(self.style.SUCCESS(
            _("核对通过：{tables} 张表 {rows:,} 行的行数与校验和一致，上传文件 {media} 个一致，{value} 类加密字段各解密一条成功").format(tables=report.tables, rows=report.rows, media=report.media, value=len(report.sealed))))
