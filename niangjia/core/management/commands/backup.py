from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from niangjia.core import periods
from niangjia.core.backup import BackupError, backup, prune


class Command(BaseCommand):
    help = ("Back up the database and the uploads (MEDIA_ROOT) into one file, mode 0600, encrypted when "
            "NIANGJIA_BACKUP_KEY is set. The field and blind-index keys are not in it.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default <dir>/niangjia-<time>.backup)")
        parser.add_argument("--dir", default="var/backups", help="folder of the backups (default var/backups)")
        parser.add_argument("--keep", type=int, default=0, help="then delete all but the newest N backups in --dir")

    def handle(self, *args, output=None, dir="var/backups", keep=0, **options):
        path = Path(output or Path(dir) / f"niangjia-{periods.local_now():%Y%m%d-%H%M%S}.backup")
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        sealed = _("已加密") if manifest["encrypted"] else _("未加密（设置 NIANGJIA_BACKUP_KEY 可加密）")
        self.stdout.write(self.style.SUCCESS(
            _("备份完成：{path}（{st_size:,} 字节，{value} 张表 {rows:,} 行，上传文件 {v2} 个，{sealed}）").format(path=path, st_size=path.stat().st_size, value=len(manifest['tables']), rows=rows, v2=len(manifest['media']), sealed=sealed)))
        if keep > 0:
            for old in prune(Path(dir), keep):
                self.stdout.write(_("已删除旧备份：{old}").format(old=old))
        self.stdout.write(_("注意：字段加密密钥不在备份中，请另行妥善保存 NIANGJIA_FIELD_KEYS 与 NIANGJIA_BLIND_INDEX_KEY。"))
