"""Accounts in bulk from Excel: per-row report, all or nothing, one-time passwords, forced change at first login."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from niangjia.accounts import services
from niangjia.accounts.models import AccountImport, User, UserScope
from niangjia.core.errors import ValidationFailed
from niangjia.core.models import AuditEntry
from niangjia.people import services as people
from tests.conftest import PASSWORD

HEADER = ["用户名", "姓名", "身份证号", "角色", "管辖组织代码", "初始密码"]
GOOD_PASSWORD = "Yucun-Lake-2026!"


@pytest.fixture
def county_admin(tree):
    """A system administrator of 东县 only (role admin, scoped): she manages users there."""
    from tests.conftest import make_user

    return make_user("county-admin", ["admin"], [tree.east])


def xlsx(*rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADER)
    for r in rows:
        wb.active.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def users_snapshot():
    return sorted(User.objects.values_list("username", flat=True)), UserScope.objects.count()


def test_a_clean_file_creates_every_account_with_its_roles_reach_and_person(tree, personas, county_admin):
    # given a person in 东村 and a file of two accounts, one with an initial password, one without
    person = people.person_create(actor=personas.east, unit=tree.east_village, name="张秀兰",
                                  id_number="110105198503150027")
    content = xlsx(["zhangxl", "张秀兰", "110105198503150027", "执委", "110101001001", GOOD_PASSWORD],
                   ["dongxian01", "李小梅", "", "机关干部、统计员", "110101000000", ""])
    # when the county cadre uploads and confirms it
    job = services.account_import_create(actor=county_admin, filename="a.xlsx", content=content)
    assert (job.status, job.errors) == (AccountImport.Status.VALID, [])
    services.account_import_commit(actor=county_admin, job=job)
    # then both accounts exist with their roles and reach, each must change its password first
    a, b = User.objects.get(username="zhangxl"), User.objects.get(username="dongxian01")
    assert (a.roles, a.person_id, list(a.scopes.values_list("unit_id", flat=True))) == \
        (["executive"], person.id, [tree.east_village.id])
    assert (b.roles, list(b.scopes.values_list("unit_id", flat=True))) == (["cadre", "statistician"], [tree.east.id])
    assert (a.must_change_password, b.must_change_password, a.check_password(GOOD_PASSWORD)) == (True, True, True)
    # and only the generated one-time password is on the sheet, handed out once
    sheet = services.account_import_take_sheet(actor=county_admin, job=job)
    assert [row[:2] for row in sheet] == [["dongxian01", "李小梅"]] and len(sheet[0][2]) == 12
    assert User.objects.get(username="dongxian01").check_password(sheet[0][2])
    with pytest.raises(ValidationFailed):
        services.account_import_take_sheet(actor=county_admin, job=job)
    # and each account's creation is audited
    assert AuditEntry.objects.filter(action="user.create", detail__import=job.pk).count() == 2


def test_each_bad_row_is_reported_and_no_account_is_created(tree, personas, county_admin):
    # given a file with a taken username, a duplicate, an unknown role, a unit outside her reach,
    # a weak password and an unknown person
    content = xlsx(["east", "", "", "执委", "110101001001", ""],
                   ["new1", "", "", "执委", "110101001001", ""],
                   ["new1", "", "", "执委", "110101001001", ""],
                   ["new2", "", "", "厨师", "110101001001", ""],
                   ["new4", "", "", "执委", "110102000000", ""],
                   ["new5", "", "", "执委", "110101001001", "123"],
                   ["new6", "", "110105198503150027", "执委", "110101001001", ""])
    before = users_snapshot()
    # when the county cadre uploads it
    job = services.account_import_create(actor=county_admin, filename="bad.xlsx", content=content)
    # then every problem is listed by row and column, and nothing is created
    assert job.status == AccountImport.Status.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (2, "用户名"), (4, "用户名"), (5, "角色"), (6, "管辖组织代码"), (7, "初始密码"), (8, "身份证号")]
    assert job.errors[0]["message"] == "用户名已存在"
    assert job.errors[1]["message"] == "与第 3 行的用户名重复"
    assert job.errors[3]["message"] == "组织代码不存在或不在您的管辖范围内：110102000000"
    with pytest.raises(ValidationFailed):
        services.account_import_commit(actor=county_admin, job=job)
    assert users_snapshot() == before


def test_a_row_gone_bad_since_the_check_fails_the_whole_commit(tree, personas, county_admin):
    content = xlsx(["ok1", "", "", "执委", "110101001001", ""], ["late", "", "", "执委", "110101001001", ""])
    job = services.account_import_create(actor=county_admin, filename="a.xlsx", content=content)
    User.objects.create_user(username="late", password=PASSWORD)  # taken after the check
    before = users_snapshot()
    with pytest.raises(ValidationFailed):
        services.account_import_commit(actor=county_admin, job=job)
    job.refresh_from_db()
    assert (users_snapshot(), job.status) == (before, AccountImport.Status.INVALID)


def test_a_user_without_users_manage_cannot_import(tree, personas):
    from niangjia.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.account_import_create(actor=personas.province, filename="a.xlsx",
                                       content=xlsx(["x1", "", "", "执委", "110101001001", ""]))


def test_an_imported_account_must_change_its_password_before_anything_else(tree, personas, county_admin, client):
    # given an imported account
    job = services.account_import_create(actor=county_admin, filename="a.xlsx",
                                         content=xlsx(["zhangxl", "", "", "执委", "110101001001", GOOD_PASSWORD]))
    services.account_import_commit(actor=county_admin, job=job)
    # when she logs in, every page sends her to the password page, the API refuses, no token is issued
    assert client.post("/login/", {"username": "zhangxl", "password": GOOD_PASSWORD}).status_code == 302
    assert client.get("/people/")["Location"] == "/password/"
    assert client.get("/api/v1/federations").status_code == 403
    with pytest.raises(Exception, match="修改初始密码"):
        services.token_issue(username="zhangxl", password=GOOD_PASSWORD)
    # when she sets her own password
    resp = client.post("/password/", {"old_password": GOOD_PASSWORD, "new_password": "Her-Own-Secret-77",
                                      "new_password2": "Her-Own-Secret-77"})
    # then she is in, with the new password
    assert resp.status_code == 302
    user = User.objects.get(username="zhangxl")
    assert (user.must_change_password, user.check_password("Her-Own-Secret-77")) == (False, True)
    assert client.get("/people/").status_code == 200


def test_the_password_page_refuses_a_wrong_old_password(tree, personas, client):
    client.force_login(personas.east)
    resp = client.post("/password/", {"old_password": "wrong", "new_password": "Her-Own-Secret-77",
                                      "new_password2": "Her-Own-Secret-77"})
    assert resp.status_code == 400 and "原密码不正确" in resp.content.decode()
    personas.east.refresh_from_db()
    assert personas.east.check_password(PASSWORD)


def test_the_web_import_uploads_confirms_and_hands_out_the_sheet_once(tree, personas, county_admin, client):
    client.force_login(county_admin)
    resp = client.post("/users/import/", {"file": SimpleUploadedFile(
        "a.xlsx", xlsx(["dx01", "王芳", "", "执委", "110101001001", ""]))})
    job = AccountImport.objects.get()
    assert resp["Location"] == f"/users/import/{job.pk}/"
    assert "全部通过校验" in client.get(resp["Location"]).content.decode()
    client.post(f"/users/import/{job.pk}/confirm/")
    assert User.objects.filter(username="dx01", must_change_password=True).exists()
    sheet = client.post(f"/users/import/{job.pk}/sheet/")
    assert sheet.status_code == 200 and "dx01" in sheet.content.decode() and sheet["Cache-Control"] == "no-store"
    assert client.post(f"/users/import/{job.pk}/sheet/").status_code == 400


def test_the_cli_writes_the_one_time_passwords_to_the_sheet_file(tree, county_admin, tmp_path):
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(xlsx(["cli01", "赵敏", "", "执委", "110101001001", ""]))
    sheet = tmp_path / "otp.csv"
    call_command("import_accounts", str(path), "--actor", "county-admin", "--commit", "--sheet", str(sheet),
                 stdout=io.StringIO())
    lines = sheet.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "用户名,姓名,一次性密码" and lines[1].startswith("cli01,赵敏,")
    assert User.objects.get(username="cli01").check_password(lines[1].split(",")[2])


def test_the_cli_reports_bad_rows_and_creates_nothing(tree, personas, county_admin, tmp_path):
    path = tmp_path / "accounts.xlsx"
    path.write_bytes(xlsx(["east", "", "", "执委", "110101001001", ""]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="未建立任何账号"):
        call_command("import_accounts", str(path), "--actor", "county-admin", "--commit", stdout=out)
    assert "第 2 行\t用户名\t用户名已存在" in out.getvalue()
