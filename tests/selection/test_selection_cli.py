"""`niangjia export selections|selection_candidates`: scoped as the actor sees it, phones and ID
numbers masked; `selection_sheet` needs the export permission too."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from niangjia.core import roles
from tests.conftest import make_user
from tests.selection.conftest import apply, new_selection

pytestmark = pytest.mark.django_db


def export(name, actor, tmp_path):
    out = tmp_path / f"{name}-{actor}.xlsx"
    call_command("export_list", name, actor=actor, output=str(out), stdout=io.StringIO())
    return list(load_workbook(out).active.values)


def test_selections_and_candidates_are_scoped(tree, personas, sel, tmp_path):
    west = new_selection(personas.west, tree.west, title="西县公开选配")
    apply(personas.west, west, "西一", "13700000001", id_number="110101199003070011")
    east = export("selections", "east", tmp_path)
    assert [r[1] for r in east[1:]] == [sel.selection.title] and east[1][8] == 4
    assert east[1][6] == "兼职副主席3名、兼职常委2名"
    cands = export("selection_candidates", "east", tmp_path)
    assert [r[4] for r in cands[1:]] == ["甲", "乙", "丙", "丁"] and cands[1][7] == "139****0001"
    wests = export("selection_candidates", "west", tmp_path)
    assert [r[4] for r in wests[1:]] == ["西一"] and "110101199003070011" not in str(wests)
    assert len(export("selection_candidates", "province", tmp_path)) == 6


def test_the_result_sheet_command_needs_export(tree, monkeypatch, sel, tmp_path):
    monkeypatch.setitem(roles.ROLES, "no_export", ("不能导出", roles.ROLES["cadre"][1] - {"export"}))
    make_user("noexport", ["no_export"], [tree.east])
    with pytest.raises(CommandError):
        call_command("selection_sheet", sel.selection.pk, actor="noexport", output=str(tmp_path / "x.xlsx"),
                     stdout=io.StringIO())
    assert not (tmp_path / "x.xlsx").exists()
