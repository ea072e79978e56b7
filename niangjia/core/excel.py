"""Excel export for every list: streamed rows through openpyxl's write-only mode, in one shape for all.

Text is cleaned of control characters and never becomes a formula; numbers stay numbers, rates are
numbers with a percent format; columns are sized and the header row frozen. Every export is audited."""

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import audit
from .validators import looks_like_id_number, looks_like_phone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


WIDTH_SAMPLE = 200  # rows looked at to size the columns (the rest stream through)
MIN_WIDTH, MAX_WIDTH = 6, 60
PERCENT = "0.0%"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what XML 1.0 and Excel refuse (tabs, newlines stay)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would read as a formula (OWASP CSV injection)
_RATE_TEXT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*%$")


@dataclass(frozen=True)
class Rate:
    """A share (0.853 = 85.3 %): written as a number with a percent format, so it can be summed and sorted."""

    value: float | None


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet: a bold frozen header row, columns sized to their content, numbers as numbers, rates as
    numbers formatted %, text cleaned of control characters and never read as a formula."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_clean(str(title))[:31] or "Sheet")
    rows = iter(rows)
    sample = [list(r) for r in islice(rows, WIDTH_SAMPLE)]
    for i, width in enumerate(_widths(headers, sample), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in headers])
    for row in chain(sample, rows):
        ws.append([_cell(ws, v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _header_cell(ws, text):
    cell = WriteOnlyCell(ws, value=_clean(str(text)))
    cell.font = Font(bold=True)
    cell.data_type = "s"
    return cell


def _cell(ws, value):
    value = _plain(value)
    if isinstance(value, Rate):
        cell = WriteOnlyCell(ws, value=value.value)
        cell.number_format = PERCENT
        return cell
    if isinstance(value, str):
        rate = _RATE_TEXT.match(value)
        if rate:  # '85%' from a list's own formatting: a number again
            cell = WriteOnlyCell(ws, value=float(rate.group(1)) / 100)
            cell.number_format = PERCENT
            return cell
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text, even when it begins with '=': never a live formula
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell
    return WriteOnlyCell(ws, value=value)


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def csv_text(value) -> str:
    """A CSV cell as the export module writes text: control characters removed, and a value a spreadsheet
    would run as a formula (=, +, -, @ …) led by an apostrophe, so it opens as the text it is (a CSV cannot
    mark a cell as text any other way)."""
    text = _clean("" if value is None else str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, list | tuple | set):
        return _clean("、".join(str(v) for v in value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _clean(value)
    if value is None or isinstance(value, int | float | date | Rate):
        return value
    return _clean(str(value))


def _display_width(value) -> float:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in text.split("\n")), default=0)
    return longest


def _widths(headers: Sequence[str], sample: list[list]) -> list[float]:
    """Each column as wide as its header or its widest sampled value (CJK counts double), within bounds."""
    out = []
    for i, header in enumerate(headers):
        widest = max([_display_width(str(header))] + [_display_width(_plain(r[i])) for r in sample if i < len(r)])
        out.append(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))
    return out


def xlsx_response(request, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """The list as an .xlsx download; every export is audited (which list, how many rows, which filters)."""
    counted = _Counted(rows)
    data = workbook_bytes(title, headers, counted)
    audit.exported(request.user, filename, counted.n, filters=export_filters(request.GET))
    resp = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")

    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(str(filename))}-{stamp}.xlsx"
    return resp


class _Counted:
    """Rows passed through while counted (the rows are a generator, streamed once)."""

    def __init__(self, rows: Iterable[Sequence]):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def export_filters(params) -> dict:
    """The filters of an export as the audit keeps them: never a phone or ID number typed as a search."""
    out = {}
    for key in params:
        value = params.get(key, "")
        if looks_like_id_number(value) or (any(c.isdigit() for c in value) and looks_like_phone(value)):
            value = _("（号码已隐去）")
        out[key] = value[:100]
    return out
