"""`niangjia import <file.xlsx> --actor <username> [--commit]`: validate, report every bad row, commit when clean."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core.context import RequestInfo, reset_request_info, set_request_info
from niangjia.core.errors import DomainError
from niangjia.core.i18n import TranslatedCommand
from niangjia.people import services
from niangjia.people.models import ImportJob


class Command(TranslatedCommand):
    help = gettext_lazy("导入人员和职务（Excel 模板）：先逐行校验并打印错误；加 --commit 且无错误时才写入，全部或全不。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("导入模板格式的 .xlsx 文件"))
        parser.add_argument("--actor", required=True, help=_("以哪个用户的身份导入（权限与管辖范围）"))
        parser.add_argument("--commit", action="store_true", help=_("校验全部通过后写入数据库"))

    def handle(self, *args, file, actor, commit, **options):
        user = get_user_model().objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(_("用户不存在或已停用：{actor}").format(actor=actor))
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("文件不存在：{file}").format(file=file))
        token = set_request_info(RequestInfo(channel="cli"))
        try:
            t0 = time.perf_counter()
            with path.open("rb") as source:
                job = services.import_job_create(actor=user, filename=path.name, source=source)
            t1 = time.perf_counter()
            services.import_job_run(actor=user, job=job, progress=self._progress(_("已校验 / checked")))
            t2 = time.perf_counter()
            self._report(job)
            if job.status != ImportJob.Status.VALID:
                raise CommandError(_("发现 {value} 处错误，未写入任何数据").format(value=len(job.errors)))
            if not commit:
                self.stdout.write(_("校验通过。未加 --commit，未写入任何数据。"))
                services.import_job_discard(actor=user, job=job)
                return
            services.import_job_commit(actor=user, job=job, progress=self._progress(_("已写入 / written")))
            t3 = time.perf_counter()
            self.stdout.write(self.style.SUCCESS(
                _("导入完成：新增人员 {persons_created} 人，职务 {posts_created} 条（任务 #{pk}）").format(persons_created=job.persons_created, posts_created=job.posts_created, pk=job.pk)))
            self.stdout.write(_("用时 / time: upload {value:.1f} s, check {v2:.1f} s, write {v3:.1f} s").format(value=t1 - t0, v2=t2 - t1, v3=t3 - t2))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)

    def _progress(self, label: str):
        """Progress on stderr, about every 5% (or every chunk when the total is not known)."""
        last = [0.0]

        def show(done: int, total: int) -> None:
            share = done / total if total else 0
            if share - last[0] >= 0.05 or not total or done >= total:
                last[0] = share
                self.stderr.write(f"{label} {done:,}" + (_(" / {total:,} 行 ({value:.0%})").format(total=total, value=min(share, 1)) if total else _(" 行")))

        return show

    def _report(self, job) -> None:
        self.stdout.write(_("文件 {filename}：共 {rows_total} 行").format(filename=job.filename, rows_total=job.rows_total))
        for e in job.errors:
            self.stdout.write(_("第 {value} 行	{v2}	{v3}").format(value=e['row'], v2=e['column'], v3=e['message']))
        if not job.errors:
            self.stdout.write(_("全部行通过校验"))
