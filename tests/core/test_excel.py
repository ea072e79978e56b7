"""Exports people can use: one module (core.excel) for every list. Workbooks are opened with openpyxl."""

import io
from datetime import date
from decimal import Decimal

from django.test import Client
from openpyxl import load_workbook

from niangjia.core import excel
from niangjia.needs import services as needs

HEADERS = ["名称", "数量", "比例", "备注"]


def book(rows, headers=HEADERS):
    return load_workbook(io.BytesIO(excel.workbook_bytes("测试", headers, rows))).active


def test_control_characters_are_removed_and_tabs_and_newlines_kept():
    ws = book([["a\x00b\x01c\x1f\x7f", 1, None, "第一行\n第二行\t完"]])
    assert ws["A2"].value == "abc" and ws["D2"].value == "第一行\n第二行\t完"


def test_text_that_looks_like_a_formula_is_written_as_text():
    ws = book([["=SUM(A1:A9)", 1, None, "+86 138"], ["-2+3", 2, None, "@cmd"], ["=1+1", 3, None, "\t=x"]])
    for ref, text in (("A2", "=SUM(A1:A9)"), ("D2", "+86 138"), ("A3", "-2+3"), ("D3", "@cmd"), ("A4", "=1+1")):
        assert (ws[ref].value, ws[ref].data_type) == (text, "s"), ref
        assert ws[ref].quotePrefix is True, ref
    assert ws["D4"].value == "\t=x" and ws["D4"].quotePrefix is True


def test_numbers_are_numbers_and_rates_are_numbers_formatted_as_percent():
    ws = book([["甲", 12, excel.Rate(0.853), Decimal("2.5")], ["乙", 3.5, "100%", "40.5%"], ["丙", 0, excel.Rate(None), ""]])
    assert (ws["B2"].value, ws["B2"].data_type) == (12, "n") and ws["B3"].value == 3.5
    assert (ws["C2"].value, ws["C2"].number_format) == (0.853, "0.0%")
    assert (ws["C3"].value, ws["C3"].number_format) == (1.0, "0.0%")
    assert (ws["D3"].value, ws["D3"].number_format) == (0.405, "0.0%")
    assert (ws["D2"].value, ws["D2"].data_type) == (2.5, "n")
    assert ws["C4"].value is None


def test_the_header_row_is_bold_and_frozen_and_columns_are_sized():
    ws = book([["一个很长很长的组织名称妇女联合会", 1, None, "x" * 200], ["短", 22, None, ""]])
    assert ws.freeze_panes == "A2" and ws["A1"].font.b is True
    widths = {c: ws.column_dimensions[c].width for c in "ABCD"}
    assert widths["A"] == 2 * 16 + 2  # 16 Chinese characters count double
    assert widths["B"] == 6 and widths["C"] == 6  # at least the minimum ("数量" is 4 wide + 2)
    assert widths["D"] == 60  # at most the maximum


def test_dates_and_codes_keep_their_type():
    ws = book([["110101001001", 1, None, date(2026, 12, 6)]])
    assert (ws["A2"].value, ws["A2"].data_type) == ("110101001001", "s")  # a unit code stays text
    assert ws["D2"].value.date() == date(2026, 12, 6)


def test_a_control_character_in_a_public_need_no_longer_breaks_the_needs_export(tree, personas):
    # given a need whose description came in with a control character, and one starting with '='
    needs.need_register(actor=personas.east, unit=tree.east_village, category="legal", urgency="normal",
                        channel="walk_in", description="土地\x0b承包\x01咨询")
    needs.need_register(actor=personas.east, unit=tree.east_village, category="legal", urgency="normal",
                        channel="walk_in", description="=HYPERLINK(\"http://x\")")
    c = Client()
    c.force_login(personas.east)
    # when the ledger is exported
    resp = c.get("/needs/", {"export": "xlsx"})
    # then it is a workbook, cleaned, with the formula kept as text
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert any(c.value == "土地承包咨询" for c in cells)
    formula = next(c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert formula.data_type == "s" and ws.freeze_panes == "A2"
