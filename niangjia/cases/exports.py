"""Excel rows of the case and hotline lists, shared by the pages' 「导出 Excel」 and `niangjia export <name>`.

Need-to-know holds here too: `case_counts` carries counts only (cases.view); `my_cases` carries the
rows of the cases the user is on (cases.handle) and is audited like a read, naming the cases; calls
show the caller masked.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.cases.audit_actions import Action
from niangjia.core import audit
from niangjia.core.roles import require
from niangjia.core.scope import in_subtree

from . import queries

CALL_HEADERS = [gettext_lazy("呼叫编号"), gettext_lazy("来电时间"), gettext_lazy("时长（秒）"), gettext_lazy("来电号码"), gettext_lazy("接线员"), gettext_lazy("处理状态")]
CASE_HEADERS = [gettext_lazy("案号"), gettext_lazy("接案时间"), gettext_lazy("类型"), gettext_lazy("风险"), gettext_lazy("状态"), gettext_lazy("求助人"), gettext_lazy("电话"), gettext_lazy("个案工作者"), gettext_lazy("最近跟进"), gettext_lazy("受理组织")]
COUNT_HEADERS = [gettext_lazy("维度"), gettext_lazy("项目"), gettext_lazy("数量")]
EXPORT_MAX_ROWS = 50_000


def call_rows(qs):
    """The caller masked; the operator as the telephony system gave it when unknown (待分派)."""
    for c in qs:
        yield [c.call_id, c.started_at, c.duration_seconds, c.caller_mask,
               c.operator.display_name if c.operator_id else _("待分派（{operator_given}）").format(operator_given=c.operator_given), c.get_status_display()]


def count_rows(c: dict) -> list:
    return ([(_("类型"), r["label"], r["n"]) for r in c["by_type"]] + [(_("风险"), r["label"], r["n"]) for r in c["by_risk"]]
            + [(_("状态"), r["label"], r["n"]) for r in c["by_status"]]
            + [(_("转介"), f"{r['label']}·{s}", r[k]) for r in c["referrals"]
               for k, s in (("sent", _("已转出")), ("accepted", _("已接收")), ("declined", _("已拒绝")), ("done", _("已办结")))])


def case_rows_audited(user, qs, *, channel: str = "web") -> list:
    """The rows of cases the user is on; the export is a read of case data, audited with the case ids."""
    rows = list(qs.order_by("-opened_at", "-id")[:EXPORT_MAX_ROWS])
    with transaction.atomic():
        audit.record(user, Action.CASE_EXPORT, None, summary=f"导出个案 {len(rows)} 条",
                     detail={"rows": len(rows), "cases": [c.pk for c in rows[:500]], "channel": channel})
    return [[c.number, c.opened_at, c.get_case_type_display(), c.get_risk_level_display(), c.get_status_display(),
             c.complainant.name, c.phone_mask, c.worker.display_name, c.last_contact_at, c.unit.name] for c in rows]


# ---------------------------------------------------------------- `niangjia export <name>` (core.extensions)


def cli_calls(user, unit):
    qs = in_subtree(queries.calls_for(user), unit).order_by("handled", "-started_at", "-id")
    return CALL_HEADERS, call_rows(qs.iterator(chunk_size=2000))


def cli_case_counts(user, unit):
    return COUNT_HEADERS, count_rows(queries.counts_for(user, unit=unit))


def cli_my_cases(user, unit):
    require(user, "cases.handle")
    return CASE_HEADERS, case_rows_audited(user, in_subtree(queries.cases_for(user), unit), channel="cli")


CLI_EXPORTS = {
    "hotline_calls": (gettext_lazy("12338来电"), "hotline.intake", cli_calls),
    "case_counts": (gettext_lazy("维权个案数量"), "cases.view", cli_case_counts),
    "my_cases": (gettext_lazy("我的维权个案（仅本人承办或督导的个案，导出记入审计）"), "cases.handle", cli_my_cases),
}
