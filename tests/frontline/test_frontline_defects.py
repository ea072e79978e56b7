"""Issue 15, what a new user tripped over: each defect with its test."""

import gzip
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from niangjia.core.templatetags.niangjia import num, qr_svg
from niangjia.duties import rules as duty_rules
from niangjia.duties import services
from niangjia.duties.models import Assignment
from niangjia.duties.queries import item_counts
from niangjia.people import importer
from niangjia.people import services as people_services
from niangjia.people.models import Person
from tests.duties.conftest import record


def test_the_checklist_links_to_her_evidence_list(client, duty):
    client.force_login(duty.exec_a)
    page = client.get("/duties/").content.decode()
    assert f'href="/duties/a/{duty.a.pk}/" data-testid="evidence-list-link"' in page


def test_items_about_people_count_distinct_people(duty, today):
    # given five entries about one delegate, and one naming two others
    item = duty.items["contact_delegate"]
    for i in range(5):
        services.evidence_record(actor=duty.exec_a, assignment=duty.a, item=item, what=f"走访{i}", day=today,
                                 with_whom="王芳")
    # then she has contacted one delegate, not five
    assert item_counts([duty.a.pk])[(duty.a.pk, item.pk)] == 1
    record(duty.exec_a, duty.a, item, 1)  # an entry naming nobody counts once
    assert item_counts([duty.a.pk])[(duty.a.pk, item.pk)] == 2
    assert Assignment.objects.get(pk=duty.a.pk).items_done == 0


def test_whom_keys_rule():
    assert duty_rules.whom_keys(1, 7, None, "王芳") == frozenset({"p:7"})
    assert duty_rules.whom_keys(1, None, 3, "") == frozenset({"o:3"})
    assert duty_rules.whom_keys(1, None, None, "王芳、李梅, 王芳") == frozenset({"n:王芳", "n:李梅"})
    assert duty_rules.whom_keys(9, None, None, " ") == frozenset({"e:9"})


def test_items_not_about_people_still_count_entries(duty):
    item = duty.items["proposal"]
    record(duty.exec_a, duty.a, item, 2)
    assert item_counts([duty.a.pk])[(duty.a.pk, item.pk)] == 2


def test_the_template_example_rows_are_never_imported(tree, personas):
    # given the downloaded template, filled with one real row below the two examples
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(importer.template_bytes(personas.east)))
    ws = wb["人员"]
    assert ws["A2"].value.endswith("（示例）") and ws["A3"].value.endswith("（示例）")
    ws.append(["王小红", "女", "", "", "", "", "", "", tree.east_village.code])
    buf = io.BytesIO()
    wb.save(buf)
    # when it is uploaded and checked
    job = people_services.import_job_create(actor=personas.east, filename="t.xlsx", content=buf.getvalue())
    people_services.import_job_run(actor=personas.east, job=job)
    # then only the real row is there, and the confirm step lists it
    assert job.rows_total == 1
    job.refresh_from_db()
    assert [r["name"] for r in job.state["preview"]] == ["王小红"]
    people_services.import_job_commit(actor=personas.east, job=job)
    assert list(Person.objects.filter(name__in=["张秀兰", "李小梅", "王小红"]).values_list("name", flat=True)) == ["王小红"]


def test_a_file_of_only_example_rows_is_refused_as_empty(personas):
    from niangjia.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="示例行不会导入"):
        people_services.import_job_create(actor=personas.east, filename="t.xlsx",
                                          content=importer.template_bytes(personas.east))


def test_the_confirm_step_shows_the_rows_masked(client, tree, personas):
    import io

    from openpyxl import Workbook

    from niangjia.people.models import ImportJob

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "身份证号", "手机号码", "地址", "工作单位", "妇女类别", "是否基层一线", "所属组织代码"])
    ws.append(["王小红", "女", "", "13800001234", "", "", "", "", tree.east_village.code])
    buf = io.BytesIO()
    wb.save(buf)
    job = people_services.import_job_create(actor=personas.east, filename="t.xlsx", content=buf.getvalue())
    people_services.import_job_run(actor=personas.east, job=job)
    assert job.status == ImportJob.Status.VALID
    client.force_login(personas.east)
    page = client.get(f"/people/import/{job.pk}/").content.decode()
    assert 'data-testid="import-preview"' in page and "王小红" in page and "13800001234" not in page


def test_the_public_entry_page_is_linked_from_the_login_page_with_tap_to_call(client, db):
    login = client.get("/login/").content.decode()
    assert 'href="/p/" data-testid="public-entry"' in login and 'href="tel:110"' in login
    page = client.get("/p/").content.decode()
    assert client.get("/p/").status_code == 200
    for href in ('href="/p/needs/"', 'href="/p/participation/"', 'href="tel:110"', 'href="tel:12338"'):
        assert href in page


def test_the_need_form_fills_the_date_in_the_format_a_date_input_takes(client, personas):
    from django.utils import timezone

    client.force_login(personas.east)
    page = client.get("/needs/new/").content.decode()
    assert f'type="date" name="day" value="{timezone.localdate().isoformat()}"' in page


@override_settings(DEBUG=True, DEBUG_PAGES=False)
def test_a_wrong_address_shows_the_products_404_even_in_debug(client, db):
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    assert "记录不存在" in resp.content.decode() and "DEBUG = True" not in resp.content.decode()


@override_settings(DEBUG=True, DEBUG_PAGES=True)
def test_debug_pages_come_back_with_the_switch(client, db):
    assert "DEBUG = True" in client.get("/no-such-page/").content.decode()


def test_the_500_page_stands_alone():
    from django.template import loader

    assert "服务器内部错误" in loader.get_template("500.html").render()


def test_figures_have_thousands_separators():
    assert [num(1234567), num(999), num(1234.5), num(None), num("x")] == ["1,234,567", "999", "1,234.5", None, "x"]


def test_home_page_does_not_load_echarts_itself(client, personas):
    client.force_login(personas.east)
    page = client.get("/").content.decode()
    assert '<script src="/static/vendor/echarts/echarts.min.js"' not in page
    assert '<meta name="nj-echarts" content="/static/vendor/echarts/echarts.min.js">' in page


@pytest.mark.parametrize("name", ["vendor/echarts/echarts.min.js", "vendor/bootstrap/bootstrap.min.css",
                                  "vendor/bootstrap/bootstrap.bundle.min.js"])
def test_the_committed_compressed_files_match_their_sources(name):
    src = Path(settings.BASE_DIR) / "niangjia" / "static" / name
    assert gzip.decompress(Path(f"{src}.gz").read_bytes()) == src.read_bytes()


def test_jury_links_get_a_real_qr_code():
    svg = qr_svg("https://example.org/p/selection/score/abc/")
    assert svg.startswith("<svg") and "path" in svg
    assert qr_svg("") == ""


def test_the_navbar_bell_is_an_icon_and_links_are_white(client, personas):
    client.force_login(personas.east)
    page = client.get("/").content.decode()
    assert 'data-testid="nav-bell"><svg' in page and "🔔" not in page
    css = (Path(settings.BASE_DIR) / "niangjia" / "static" / "niangjia" / "app.css").read_text()
    assert "--bs-navbar-color: #fff" in css
