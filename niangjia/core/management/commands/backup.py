from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from niangjia.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database (SQLite copy or pg_dump custom format). Keys are not included."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default var/backups/niangjia-<time>.backup)")

    def handle(self, *args, output=None, **options):
        path = Path(output or f"var/backups/niangjia-{datetime.now():%Y%m%d-%H%M%S}.backup")
        try:
            backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{path}（{path.stat().st_size:,} 字节）"))
        self.stdout.write("注意：字段加密密钥不在备份中，请另行妥善保存 NIANGJIA_FIELD_KEYS 与 NIANGJIA_BLIND_INDEX_KEY。")
