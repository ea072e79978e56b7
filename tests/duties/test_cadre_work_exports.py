"""`niangjia export` knows the cadre-work lists and writes them as the actor sees them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from niangjia.fieldwork import services as fw
from tests.duties.conftest import record

pytestmark = pytest.mark.django_db
LISTS = ("duty_progress", "duty_behind", "field_standings", "field_stays", "field_diaries", "contacts_overview")


def test_every_cadre_work_list_is_registered():
    from niangjia.core.extensions import exports

    assert set(LISTS) <= set(exports())


@pytest.mark.parametrize("name, first_header", [
    ("duty_progress", "姓名"), ("duty_behind", "姓名"), ("field_standings", "姓名"), ("field_stays", "人员"),
    ("field_diaries", "日期"), ("contacts_overview", "人员")])
def test_each_list_exports_for_a_county_cadre(tree, personas, duty, tmp_path, name, first_header):
    out = tmp_path / f"{name}.xlsx"
    call_command("export_list", name, "--actor", "east", "-o", str(out), stdout=StringIO())
    header = next(load_workbook(out).active.iter_rows(max_row=1, values_only=True))
    assert header[0] == first_header and None not in header


def test_duty_progress_leaves_out_the_other_county(tree, personas, duty, tmp_path):
    record(duty.exec_a, duty.a, duty.items["proposal"])
    out = tmp_path / "p.xlsx"
    call_command("export_list", "duty_progress", "--actor", "east", "-o", str(out), stdout=StringIO())
    names = [row[0] for row in load_workbook(out).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["执委丙", "执委乙", "执委甲"]


def test_stays_export_is_scoped_and_needs_the_permission(tree, personas, duty, tmp_path, admin_user):
    from datetime import date, timedelta

    d = date.today() - timedelta(days=3)
    fw.stay_log(actor=admin_user, person=duty.w_person, place=tree.west, start=d, end=d)
    out = tmp_path / "s.xlsx"
    call_command("export_list", "field_stays", "--actor", "east", "-o", str(out), stdout=StringIO())
    assert load_workbook(out).active.max_row == 1  # headers only: 西县's stay is not hers to see
    with pytest.raises(CommandError):
        call_command("export_list", "field_stays", "--actor", "exec_a", "-o", str(out), stdout=StringIO())
