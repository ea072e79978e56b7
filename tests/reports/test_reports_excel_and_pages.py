"""The Excel template and upload (per-cell errors, all or nothing), and the report pages."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from niangjia.reports import excel, services
from niangjia.reports.models import Submission

pytestmark = pytest.mark.django_db
FIELDS = [{"key": "women", "label": "服务妇女人次", "kind": "int", "min_value": 0},
          {"key": "rural", "label": "其中农村", "kind": "int", "min_value": 0}]
PERIOD = date(2026, 2, 1)


@pytest.fixture
def form(tree, admin_user):
    return services.form_create(actor=admin_user, unit=tree.east, title="月报", fill_level=6, period_kind="month",
                                fields=FIELDS, checks=[{"left": "rural", "op": "<=", "right": "women"}])


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("filled.xlsx", buf.getvalue())


HEAD = ["组织代码", "组织名称", "服务妇女人次（women）", "其中农村（rural）"]


def test_the_template_lists_the_units_the_caller_fills(tree, personas, form):
    headers, rows = excel.template(personas.township, form, PERIOD, tree.east_town)
    assert headers == HEAD
    assert [r[:2] for r in rows] == [["110101001001", "东村妇联"], ["110101001002", "东二村妇联"]]


def test_a_filled_template_with_one_bad_cell_writes_nothing_and_names_the_cell(tree, personas, form):
    f = _xlsx([HEAD, ["110101001001", "东村妇联", 10, 4], ["110101001002", "东二村妇联", 5, 9],
               ["110102001001", "西村妇联", 1, 1]])
    with pytest.raises(Exception) as err:
        excel.upload(personas.township, form, PERIOD, f)
    assert err.value.fields == {"D3": "其中农村应不大于服务妇女人次（5）", "A4": "组织代码不在本报表的填报范围或您的管辖范围内"}
    assert not Submission.objects.exists()


def test_a_good_template_saves_every_row_as_a_draft(tree, personas, form):
    f = _xlsx([HEAD, ["110101001001", "东村妇联", 10, 4], ["110101001002", "东二村妇联", "5", "5"]])
    assert excel.upload(personas.township, form, PERIOD, f) == 2
    assert sorted(Submission.objects.values_list("unit__name", "status", "values")) == \
        [("东二村妇联", "draft", {"women": 5, "rural": 5}), ("东村妇联", "draft", {"women": 10, "rural": 4})]


def test_a_wrong_header_is_refused(tree, personas, form):
    with pytest.raises(Exception) as err:
        excel.upload(personas.township, form, PERIOD, _xlsx([["代码", "名称"]]))
    assert err.value.fields == {"A1": "表头不符"}


def test_the_pages_render_and_the_template_downloads(client, tree, personas, form):
    client.force_login(personas.township)
    r = client.get(f"/reports/forms/{form.pk}/?unit={tree.east_town.pk}&day=2026-02-14")
    assert r.status_code == 200 and "东二村妇联" in r.content.decode()
    r = client.get(f"/reports/forms/{form.pk}/?unit={tree.east_town.pk}&day=2026-02-14&template=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [c.value for c in ws[1]] == HEAD
    assert client.get("/reports/").status_code == 200
    client.force_login(personas.west)
    assert client.get(f"/reports/forms/{form.pk}/").status_code == 404
