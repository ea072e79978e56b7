"""The Excel buttons of the field-work pages and `niangjia export` write the same headers and rows."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from niangjia.fieldwork import services as fw
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db


def _sheet(data) -> list[tuple]:
    return list(load_workbook(BytesIO(data) if isinstance(data, bytes) else data).active.iter_rows(values_only=True))


def _cli(tmp_path, name: str) -> list[tuple]:
    out = tmp_path / f"{name}.xlsx"
    call_command("export_list", name, "--actor", "province", "-o", str(out), stdout=StringIO())
    return _sheet(out)


def test_stays_page_and_cli_write_the_same_rows(client, tree, personas, fw_people, tmp_path):
    # given a stay paired with a woman, entered by 东县干部
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(3),
                end=days_ago(2), paired_with=fw_people.woman, note="入户")
    # when the province exports the stays list from the page and from the command line
    client.force_login(personas.province)
    page = _sheet(client.get("/fieldwork/stays/", {"export": "xlsx"}).content)
    # then both sheets hold the same header and row, the paired woman named
    assert page == _cli(tmp_path, "field_stays")
    assert page[0] == ("人员", "地点", "开始", "结束", "天数", "类型", "城乡", "结对妇女", "状态", "备注")
    assert page[1][0:2] == ("东县干部", "东村妇联") and page[1][7:] == ("东村妇女", "已完成", "入户")


def test_diaries_page_and_cli_write_the_same_rows(client, tree, personas, fw_people, tmp_path):
    fw.diary_write(actor=personas.village, person=fw_people.village, place=tree.east_village, date=days_ago(1),
                   title="夜访", text="听到", women_met=3)
    client.force_login(personas.province)
    page = _sheet(client.get("/fieldwork/diaries/", {"export": "xlsx"}).content)
    assert page == _cli(tmp_path, "field_diaries")
    assert page[1][1:] == ("东村执委", "东村妇联", "夜访", 3, "听到")


def test_standings_page_and_cli_write_the_same_rows(client, tree, personas, fw_people, adopted, tmp_path):
    client.force_login(personas.province)
    page = _sheet(client.get(f"/fieldwork/unit/{tree.province.pk}/",
                             {"year": date.today().year, "export": "xlsx"}).content)
    assert page == _cli(tmp_path, "field_standings")
    assert page[0] == ("姓名", "所在组织", "规则", "期间", "完成情况", "状态", "明细")
    assert {row[0] for row in page[1:]} >= {"东县干部", "省主席"}
