"""Research report attachments: the duty-evidence file rules, a scoped download, and the API upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import ResearchReport
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"x" * 64


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _report(client, upload):
    return client.post("/fieldwork/reports/", {"date": days_ago(1), "title": "就业调研", "topic": "留守妇女就业",
                                               "file": upload})


def test_an_html_file_is_refused_and_nothing_is_written(client, tree, personas, fw_people):
    client.force_login(personas.east)
    r = _report(client, SimpleUploadedFile("evil.html", b"<script>alert(1)</script>", content_type="text/html"))
    assert r.status_code == 400 and "只能上传照片" in r.content.decode()
    assert not ResearchReport.objects.exists()


def test_a_pdf_whose_content_is_not_pdf_is_refused(client, tree, personas, fw_people):
    client.force_login(personas.east)
    r = _report(client, SimpleUploadedFile("报告.pdf", b"<html>", content_type="application/pdf"))
    assert r.status_code == 400 and "文件内容与扩展名不符" in r.content.decode()
    assert not ResearchReport.objects.exists()


def test_a_pdf_is_kept_and_served_to_those_in_scope_only(client, tree, personas, fw_people):
    client.force_login(personas.east)
    r = _report(client, SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf"))
    assert r.status_code == 302
    report = ResearchReport.objects.get()
    page = client.get("/fieldwork/reports/").content.decode()
    assert f'href="/fieldwork/reports/{report.pk}/file/"' in page
    r = client.get(f"/fieldwork/reports/{report.pk}/file/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff" and b"".join(r.streaming_content) == PDF
    # the province (her leaders) may read it; the west county may not
    client.force_login(personas.province)
    assert client.get(f"/fieldwork/reports/{report.pk}/file/").status_code == 200
    client.force_login(personas.west)
    assert client.get(f"/fieldwork/reports/{report.pk}/file/").status_code == 404


def test_the_api_attaches_a_file_by_multipart_and_downloads_it(tree, personas, fw_people):
    report = fw.report_file(actor=personas.east, person=fw_people.east, date=days_ago(1), title="调研", topic="就业")
    c = Client()
    c.force_login(personas.east)
    assert c.get(f"/api/v1/fieldwork/reports/{report.pk}/file").status_code == 404
    r = c.post(f"/api/v1/fieldwork/reports/{report.pk}/file",
               {"file": SimpleUploadedFile("evil.html", b"<b>", content_type="text/html"), "version": report.version})
    error = r.json()["error"]
    assert r.status_code == 400 and set(error["fields"]) == {"file"} and error["message"].startswith("附件：只能上传照片")
    r = c.post(f"/api/v1/fieldwork/reports/{report.pk}/file",
               {"file": SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf"), "version": report.version})
    assert r.status_code == 200, r.content
    assert r.json()["has_file"] is True and r.json()["file_url"] == f"/fieldwork/reports/{report.pk}/file/"
    r = c.get(f"/api/v1/fieldwork/reports/{report.pk}/file")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    west = Client()
    west.force_login(personas.west)
    assert west.post(f"/api/v1/fieldwork/reports/{report.pk}/file",
                     {"file": SimpleUploadedFile("b.pdf", PDF), "version": 2}).status_code == 404
    report.refresh_from_db()
    assert report.file.name.endswith(".pdf") and report.version == 2
