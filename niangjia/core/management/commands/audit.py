"""`niangjia audit verify`: walk the audit hash chain and say where it was edited or cut.
`niangjia audit export --from DATE --to DATE -o FILE`: the rows of those days as CSV, streamed, no row cap."""

import sys
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import audit_chain
from niangjia.core.i18n import TranslatedCommand
from niangjia.core.models import AuditEntry
from niangjia.core.retention import audit_csv_lines, audit_rows


class Command(TranslatedCommand):
    help = gettext_lazy("审计日志完整性：verify 逐行校验哈希链，报告被修改、删除或绕过应用插入的记录（行号 id 与序号 seq）")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "export"])
        parser.add_argument("--from", dest="start", type=date.fromisoformat, help="export: first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="export: last day, included")
        parser.add_argument("-o", "--output", help="export: CSV file to write (default: stdout)")
        parser.add_argument("--anchor", help=_("SEQ:HASH 此前记下的链尾（如上次 verify 的输出），核对它仍在链中"))

    def handle(self, *args, action, anchor=None, **options):
        if action == "export":
            return self._export(options["start"], options["end"], options["output"])
        problems, last_seq, last_hash = audit_chain.verify()
        if anchor:
            problems += audit_chain.check_anchor(anchor)
        for p in problems:
            self.stderr.write(_("审计链异常 / audit chain broken: {p}").format(p=p))
        if problems:
            raise CommandError(_("审计日志校验失败：{n} 处异常 / {n} problem(s)").format(n=len(problems)))
        self.stdout.write(self.style.SUCCESS(_("审计日志完整 / audit chain intact: {last_seq} rows, head {last_seq}:{last_hash}").format(last_seq=last_seq, last_hash=last_hash)))

    def _export(self, start, end, output):
        out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
        count = -1  # the header is not a row
        try:
            for line in audit_csv_lines(audit_rows(AuditEntry.objects.all(), start, end)):
                out.write(line)
                count += 1
        finally:
            if output:
                out.close()
        if output:
            self.stderr.write(_("已导出 / exported {count} rows to {output}").format(count=count, output=output))
