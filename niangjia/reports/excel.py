"""A report form as an Excel template (one row per unit that fills it, the figures already typed), and
a filled one read back: every cell checked, errors named by cell, nothing written unless all are good."""

import io

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from niangjia.core.access import reach_of
from niangjia.core.errors import ValidationFailed
from niangjia.core.scope import reach_q
from niangjia.org.models import Federation

from . import rules, services
from .models import Submission

MAX_ROWS = 5000


def _columns(form) -> list:
    return list(form.fields.all())


def template(user, form, period, unit):
    """Headers [组织代码, 组织名称, field labels (key)] and a row per fill-level unit the user may fill."""
    fields = _columns(form)
    headers = [_("组织代码"), _("组织名称"), *[f"{f.label}（{f.key}）" for f in fields]]
    units = services.expected_units(form, within=unit).filter(reach_q(reach_of(user)), level=form.fill_level) \
        .order_by("code")[:MAX_ROWS]
    have = {s.unit_id: s.values for s in Submission.objects.filter(form=form, period=period, unit__in=units)}

    def rows():
        for u in units:
            values = have.get(u.pk, {})
            yield [u.code, u.name, *[values.get(f.key, "") for f in fields]]
    return headers, rows()


def _cell(col: int, row: int) -> str:
    # openpyxl: optional and heavy, loaded only when this runs
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _refusal(message, fields) -> ValidationFailed:
    """A refused upload names its first cells in the message too (the page shows it as one line)."""
    cells = "；".join(f"{k}：{v}" for k, v in list(fields.items())[:30])
    return ValidationFailed(f"{message}{('：' + cells) if cells and cells not in message else ''}", fields=fields)


def upload(user, form, period, fileobj) -> int:
    """Read a filled template; all rows are saved as drafts in one transaction, or none (per-cell errors)."""
    try:
        wb = load_workbook(io.BytesIO(fileobj.read()), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise _refusal(_("无法读取该文件，请上传从本页下载的 Excel 模板"), fields={"file": _("不是有效的 xlsx 文件")}) from exc
    ws = wb.worksheets[0]
    fields = _columns(form)
    specs = [f.spec() for f in fields]
    rows = list(ws.iter_rows(values_only=True))
    expected = [_("组织代码"), _("组织名称"), *[f"{f.label}（{f.key}）" for f in fields]]
    if not rows or [str(c or "").strip() for c in rows[0][: len(expected)]] != expected:
        raise _refusal(_("表头与本报表不符，请重新下载模板"), fields={"A1": _("表头不符")})
    problems, planned = {}, []
    reach = reach_of(user)
    codes = [str(r[0]).strip() for r in rows[1:] if r and r[0] is not None]
    units = {u.code: u for u in Federation.objects.filter(code__in=codes)}
    for n, row in enumerate(rows[1:], start=2):
        if not row or all(c in (None, "") for c in row):
            continue
        unit = units.get(str(row[0]).strip() if row[0] is not None else "")
        if unit is None or not reach.covers_obj(unit) or unit.level != form.fill_level \
                or getattr(unit, f"l{form.unit.level}") != form.unit_id:
            problems[_cell(1, n)] = _("组织代码不在本报表的填报范围或您的管辖范围内")
            continue
        raw = {f.key: (row[i + 2] if i + 2 < len(row) else None) for i, f in enumerate(fields)}
        values, bad = rules.check_values(specs, form.checks, raw)
        bad = {k: v for k, v in bad.items() if v != _("必填")}
        for i, f in enumerate(fields):
            if f.key in bad:
                problems[_cell(i + 3, n)] = bad[f.key]
        planned.append((unit, values))
    if problems:
        raise _refusal(_("有 {n} 处错误，未导入任何数据").format(n=len(problems)), fields=problems)
    with transaction.atomic():
        for unit, values in planned:
            sub, _created = services.submission_open(actor=user, form=form, unit=unit, day=period)
            if sub.status not in rules.EDITABLE:
                raise _refusal(_("{name}的报表已{STATUS_NAMES}，不能再导入").format(name=unit.name, STATUS_NAMES=rules.STATUS_NAMES[sub.status]),
                                       fields={unit.code: _("已锁定")})
            services.submission_save(actor=user, submission=sub, version=None, values=rules.stored(values))
    return len(planned)
