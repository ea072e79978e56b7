"""`niangjia audit verify`: walk the audit hash chain and say where it was edited or cut."""

from django.core.management.base import BaseCommand, CommandError

from niangjia.core import audit_chain


class Command(BaseCommand):
    help = "审计日志完整性：verify 逐行校验哈希链，报告被修改、删除或绕过应用插入的记录（行号 id 与序号 seq）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--anchor", help="SEQ:HASH 此前记下的链尾（如上次 verify 的输出），核对它仍在链中")

    def handle(self, *args, action, anchor=None, **options):
        problems, last_seq, last_hash = audit_chain.verify()
        if anchor:
            problems += audit_chain.check_anchor(anchor)
        for p in problems:
            self.stderr.write(f"审计链异常 / audit chain broken: {p}")
        if problems:
            raise CommandError(f"审计日志校验失败：{len(problems)} 处异常 / {len(problems)} problem(s)")
        self.stdout.write(self.style.SUCCESS(f"审计日志完整 / audit chain intact: {last_seq} rows, "
                                             f"head {last_seq}:{last_hash}"))
