"""`niangjia export award_rounds|award_nominations`: scoped as the actor sees it, phones masked."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.awards.conftest import PHONE_B, org_nom, public_nom

pytestmark = pytest.mark.django_db


def export(name, actor, tmp_path):
    out = tmp_path / f"{name}-{actor}.xlsx"
    call_command("export_list", name, actor=actor, output=str(out), stdout=io.StringIO())
    return list(load_workbook(out).active.values)


def test_rounds_are_listed_for_the_runner_and_the_nominating_counties(tree, personas, city, rnd, tmp_path):
    for actor in ("city", "east", "west"):
        rows = export("award_rounds", actor, tmp_path)
        assert rows[0][:3] == ("编号", "公开编号", "评选名称") and [r[2] for r in rows[1:]] == [rnd.name], actor


def test_nominations_stay_inside_each_county(tree, personas, city, rnd, tmp_path):
    org_nom(personas.east, rnd, tree.east, "东县的", phone=PHONE_B)
    public_nom(rnd, tree.west, name="西县的")
    east = export("award_nominations", "east", tmp_path)
    west = export("award_nominations", "west", tmp_path)
    everyone = export("award_nominations", "city", tmp_path)
    assert [r[5] for r in east[1:]] == ["东县的"] and [r[5] for r in west[1:]] == ["西县的"]
    assert [r[5] for r in everyone[1:]] == ["东县的", "西县的"]
    assert east[1][10] == "138****8002" and PHONE_B not in str(everyone)
