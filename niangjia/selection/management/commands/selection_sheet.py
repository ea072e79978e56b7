"""`niangjia selection_sheet ID --actor USER [-o FILE]`: the result sheet of a selection as Excel, one line per
score with the arithmetic, read as USER (her scope and permissions apply; the read is audited)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.accounts.models import User
from niangjia.core import audit
from niangjia.core.errors import DomainError
from niangjia.core.excel import workbook_bytes
from niangjia.core.i18n import TranslatedCommand
from niangjia.core.roles import require
from niangjia.selection import queries
from niangjia.selection.audit_actions import Action


class Command(TranslatedCommand):
    help = gettext_lazy("导出公开选配评分结果表（每个分数一行，含去分、平均分、权重、加权得分、总分、同分规则）")

    def add_arguments(self, parser):
        parser.add_argument("selection", type=int, help=_("公开选配 id"))
        parser.add_argument("--actor", required=True, help=_("以哪个用户的身份导出"))
        parser.add_argument("-o", "--output", help=_("输出文件（默认 selection-<id>.xlsx）"))

    def handle(self, *args, **opts):
        actor = User.objects.filter(username=opts["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(_("用户不存在或已停用：{opts}").format(opts=opts['actor']))
        try:
            sel = queries.get_selection_for(actor, opts["selection"])
            require(actor, "export")
            rows = queries.result_sheet(sel)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        out = Path(opts.get("output") or f"selection-{sel.pk}.xlsx")
        out.write_bytes(workbook_bytes(_("评分结果表"), queries.SHEET_HEADERS, queries.sheet_lines(rows)))
        with transaction.atomic():
            audit.record(actor, Action.EXPORT_SHEET, sel, detail={"file": out.name, "candidates": len(rows)})
        self.stdout.write(_("已导出 {title}：{n} 名人选 → {out}").format(title=sel.title, n=len(rows), out=out))
