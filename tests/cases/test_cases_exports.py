"""`niangjia export` of the case app's lists: hotline calls (masked), case counts for cases.view, and the
cases a user is on — never anyone else's — audited like a read."""

from io import BytesIO

import pytest
from conftest import make_user
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from niangjia.cases import intake
from niangjia.core.models import AuditEntry
from tests.cases.conftest import open_case

pytestmark = pytest.mark.django_db


def sheet(path) -> list[tuple]:
    return list(load_workbook(BytesIO(path.read_bytes()), read_only=True).active.iter_rows(values_only=True))


def test_case_rows_go_only_to_those_on_the_case_and_the_export_is_audited(staff, tree, tmp_path):
    # given a worker who may also export, two cases of hers and one of another worker
    both = make_user("worker_exporter", ["case_worker", "statistician"], [tree.east])
    open_case(staff, tree, actor=both, worker=both, supervisors=[], name="甲", phone="13900000001", id_number="")
    open_case(staff, tree, actor=both, worker=both, supervisors=[], name="乙", phone="13900000002", id_number="")
    open_case(staff, tree, name="丙", phone="13900000003", id_number="")
    out = tmp_path / "mine.xlsx"
    # when
    call_command("export_list", "my_cases", actor="worker_exporter", output=str(out))
    # then
    rows = sheet(out)
    assert sorted(r[5] for r in rows[1:]) == ["乙", "甲"] and rows[1][6].startswith("139****")
    entry = AuditEntry.objects.get(action="case.export")
    assert entry.actor == both and entry.detail["rows"] == 2 and entry.detail["channel"] == "cli"


def test_counts_are_open_to_cases_view_and_case_rows_are_not(staff, tree, personas, tmp_path):
    open_case(staff, tree)
    out = tmp_path / "c.xlsx"
    call_command("export_list", "case_counts", actor="stats", output=str(out))
    rows = sheet(out)
    assert ("类型", "家庭暴力", 1) in rows and all(len(r) == 3 for r in rows)
    with pytest.raises(CommandError):  # the statistician handles no case
        call_command("export_list", "my_cases", actor="stats", output=str(out))
    assert not AuditEntry.objects.filter(action="case.export").exists()


def test_hotline_calls_export_masks_the_caller_and_keeps_its_scope(staff, tree, admin_user, tmp_path):
    intake.call_receive(actor=staff.hotline, call_id="X-1", started_at=timezone.now(), caller="13900005555",
                        duration_seconds=10, operator="hotline")
    intake.call_receive(actor=staff.hotline, call_id="X-2", started_at=timezone.now(), caller="13900006666",
                        duration_seconds=10, operator="ghost")
    out = tmp_path / "h.xlsx"
    call_command("export_list", "hotline_calls", actor="admin", output=str(out))
    rows = sheet(out)
    assert sorted((r[0], r[3], r[4]) for r in rows[1:]) == [("X-1", "139****5555", "hotline"),
                                                          ("X-2", "139****6666", "待分派（ghost）")]
    call_command("export_list", "hotline_calls", actor="admin", unit="110102000000", output=str(out))
    assert len(sheet(out)) == 1
