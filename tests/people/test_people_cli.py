"""`niangjia import` and `niangjia export` from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from niangjia.core.models import AuditEntry
from niangjia.org import services as org
from niangjia.people.models import Person, Post


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cli_import_reports_bad_rows_and_writes_nothing(tmp_path, tree, personas, make_xlsx, folks):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(make_xlsx([{"姓名": "好", "所属组织代码": tree.east_village.code},
                                {"姓名": "坏", "电话": "123", "所属组织代码": tree.west_village.code}]))
    before = (Person.objects.count(), Post.objects.count(), AuditEntry.objects.filter(action="person.create").count())
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 处错误"):
        call_command("import_people", str(path), "--actor", "east", "--commit", stdout=out)
    assert "第 3 行\t电话" in out.getvalue() and "第 3 行\t所属组织代码" in out.getvalue()
    assert (Person.objects.count(), Post.objects.count(),
            AuditEntry.objects.filter(action="person.create").count()) == before


def test_cli_import_commits_only_with_commit_flag(tmp_path, tree, personas, make_xlsx):
    path = tmp_path / "good.xlsx"
    path.write_bytes(make_xlsx([{"姓名": "甲", "所属组织代码": tree.east_village.code, "机构": "执委会", "职务": "执委"},
                                {"姓名": "乙", "电话": "010-12345678", "所属组织代码": tree.east_town.code}]))
    dry = run("import_people", str(path), "--actor", "east")
    assert "全部行通过校验" in dry and "未写入任何数据" in dry
    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()
    done = run("import_people", str(path), "--actor", "east", "--commit")
    assert "新增人员 2 人，职务 1 条" in done
    assert Person.objects.filter(name__in=["甲", "乙"]).count() == 2
    entry = AuditEntry.objects.filter(action="person.create").latest("id")
    assert entry.actor_id == personas.east.pk and entry.channel == "cli"


def test_cli_import_refuses_unknown_actor(tmp_path, make_xlsx, db):
    path = tmp_path / "x.xlsx"
    path.write_bytes(make_xlsx([{"姓名": "甲", "所属组织代码": "1"}]))
    with pytest.raises(CommandError, match="用户不存在"):
        run("import_people", str(path), "--actor", "nobody")


def _rows(path):
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_cli_export_persons_masked_and_scoped(tmp_path, tree, personas, folks):
    out = tmp_path / "persons.xlsx"
    msg = run("export_list", "persons", "--actor", "east", "-o", str(out))
    rows = _rows(out)
    names = [r[1] for r in rows[1:]]
    assert "已导出 人员 2 行" in msg and sorted(names) == ["张秀兰", "李梅"]
    flat = " ".join(str(v) for r in rows for v in r)
    assert "138****8000" in flat and "13800138000" not in flat


def test_cli_export_with_unit_and_every_list(tmp_path, tree, personas, admin_user, folks):
    org.site_create(actor=admin_user, unit=tree.east_village, kind="womens_home", name="东村妇女之家")
    org.site_create(actor=admin_user, unit=tree.west_village, kind="womens_home", name="西村妇女之家")
    out = tmp_path / "p.xlsx"
    run("export_list", "persons", "--unit", tree.east_village.code, "--actor", "province", "-o", str(out))
    assert [r[1] for r in _rows(out)[1:]] == ["张秀兰"]
    run("export_list", "posts", "--actor", "province", "-o", str(out))
    assert [r[1] for r in _rows(out)[1:]] == ["张秀兰"]
    run("export_list", "federations", "--unit", tree.east.code, "--actor", "province", "-o", str(out))
    assert {r[2] for r in _rows(out)[1:]} == {tree.east.code, tree.east_town.code, tree.east_village.code,
                                              tree.east_village2.code}
    run("export_list", "sites", "--actor", "east", "-o", str(out))
    assert [r[1] for r in _rows(out)[1:]] == ["东村妇女之家"]
    run("export_list", "organisations", "--actor", "province", "-o", str(out))
    assert _rows(out)[0][:2] == ("ID", "名称")


def test_cli_export_refuses_a_unit_outside_reach_and_a_user_without_export(tmp_path, tree, personas):
    out = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="不在您的管辖范围内"):
        run("export_list", "persons", "--unit", tree.west.code, "--actor", "east", "-o", str(out))
    with pytest.raises(CommandError, match="导出"):
        run("export_list", "persons", "--actor", "village", "-o", str(out))
    assert not out.exists()
