"""core.xlsx_rows: the streaming reader the persons import uses gives the values openpyxl gives."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from niangjia.core import xlsx_rows


def ours(content: bytes) -> list:
    with xlsx_rows.Workbook(io.BytesIO(content)) as wb:
        return _trim(wb.rows())


def openpyxl_rows(content: bytes) -> list:
    ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    return _trim(enumerate(ws.iter_rows(values_only=True), start=1))


def _trim(rows) -> list:
    out = []
    for number, values in rows:
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            out.append((number, values))
    return out


def saved(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_values_of_every_kind_match_openpyxl():
    # given a sheet with text (markup characters, Chinese), dates, big numbers, floats, booleans, gaps and a
    # second sheet that must not be read
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "任职开始", "身份证号", "布尔", None, "小数"])
    ws.append(["a&b<c>\"'", date(2024, 1, 15), 110105198503150026, True, None, 1.5])
    ws.append(["  带空格  ", "2024-01-15", "013800001234", False, 0, -2])
    ws["A6"] = "隔行"
    ws["F6"] = datetime(2020, 2, 3, 4, 5, 6)
    wb.create_sheet("第二页").append(["不读"])
    content = saved(wb)
    # then the streaming reader gives the same rows, numbered as in Excel
    assert ours(content) == openpyxl_rows(content)
    assert ours(content)[-1][0] == 6 and ours(content)[1][1][1] == datetime(2024, 1, 15)


def test_a_large_write_only_file_matches_openpyxl_and_states_no_size():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for i in range(3000):
        ws.append([f"人{i}", i, f"{i}号" if i % 7 else None, i / 4])
    content = saved(wb)
    assert ours(content) == openpyxl_rows(content)
    with xlsx_rows.Workbook(io.BytesIO(content)) as book:
        assert book.stated_rows() is None


def _hand_made(sheet_xml: str, strings_xml: str | None = None) -> bytes:
    """A minimal .xlsx as other programs write them (prefixed namespaces, inline strings, no row numbers)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml",
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        rels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'worksheet" Target="/xl/worksheets/s.xml"/>']
        if strings_xml:
            rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/sharedStrings" Target="strings.xml"/>')
            z.writestr("xl/strings.xml", strings_xml)
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(rels) + "</Relationships>")
        z.writestr("xl/worksheets/s.xml", sheet_xml)
    return buf.getvalue()


def test_prefixed_tags_inline_and_rich_strings_and_rows_without_numbers():
    sheet = ('<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<x:dimension ref="A1:C3"/><x:sheetData>'
             '<x:row><x:c t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c></x:row>'
             '<x:row><x:c r="B2" t="s"><x:v>1</x:v></x:c><x:c r="C2"><x:v>42</x:v></x:c></x:row>'
             '<x:row r="3"/></x:sheetData></x:worksheet>')
    strings = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<si><t>电话</t></si><si><r><t>张</t></r><r><t>秀兰</t></r><rPh><t>ジャン</t></rPh></si></sst>')
    content = _hand_made(sheet, strings)
    assert ours(content) == [(1, ["姓名", "电话"]), (2, [None, "张秀兰", 42])]
    with xlsx_rows.Workbook(io.BytesIO(content)) as book:
        assert book.stated_rows() == 3


def test_a_file_cut_short_is_an_error_not_a_silent_end():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for i in range(20000):
        ws.append([f"人{i}", i])
    content = saved(wb)
    with pytest.raises((zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError)):
        ours(content[: len(content) // 2])
