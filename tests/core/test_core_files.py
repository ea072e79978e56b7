"""Uploads are served only by permission-checked views: by Django itself, or behind nginx by an
X-Accel-Redirect header naming the file in nginx's internal location (NIANGJIA_X_ACCEL_REDIRECT)."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from niangjia.fieldwork.models import ResearchReport
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"x" * 64


@pytest.fixture
def report(settings, tmp_path, client, tree, personas, fw_people):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(personas.east)
    r = client.post("/fieldwork/reports/", {"date": days_ago(1), "title": "就业调研", "topic": "留守妇女就业",
                                            "file": SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf")})
    assert r.status_code == 302
    return ResearchReport.objects.get()


def test_without_a_proxy_django_streams_the_file(client, report):
    # given no X-Accel-Redirect prefix (the default)
    # when the author downloads her report's file
    r = client.get(f"/fieldwork/reports/{report.pk}/file/")
    # then Django sends the bytes, inline, unsniffable, not cached by anyone
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf" and "X-Accel-Redirect" not in r
    assert r["X-Content-Type-Options"] == "nosniff" and r["Cache-Control"] == "private, no-store"


def test_behind_nginx_the_view_answers_with_x_accel_redirect(client, settings, report, personas):
    # given nginx serves the internal location /_uploads/ from the media root
    settings.X_ACCEL_REDIRECT = "/_uploads/"
    # when the author downloads the file, by the page and by the API
    page = client.get(f"/fieldwork/reports/{report.pk}/file/")
    api = client.get(f"/api/v1/fieldwork/reports/{report.pk}/file")
    # then the answer is empty and names the stored file for nginx, with the headers nginx keeps
    for r in (page, api):
        assert r.status_code == 200 and r.content == b""
        assert r["X-Accel-Redirect"] == "/_uploads/" + quote(report.file.name)
        assert r["Content-Type"] == "application/pdf"
        assert r["Content-Disposition"] == "inline; filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf"
        assert r["X-Content-Type-Options"] == "nosniff"
    # and someone out of scope still gets 404, with no header to follow
    client.force_login(personas.west)
    r = client.get(f"/fieldwork/reports/{report.pk}/file/")
    assert r.status_code == 404 and "X-Accel-Redirect" not in r


def test_a_lost_file_is_404_in_both_modes(client, settings, report):
    # given the stored file has gone from the media root
    (settings.MEDIA_ROOT / report.file.name).unlink()
    # when it is downloaded with and without the proxy
    plain = client.get(f"/fieldwork/reports/{report.pk}/file/")
    settings.X_ACCEL_REDIRECT = "/_uploads/"
    proxied = client.get(f"/fieldwork/reports/{report.pk}/file/")
    # then both say it is lost, and nginx is not sent looking for it
    assert plain.status_code == 404 and proxied.status_code == 404
    assert "X-Accel-Redirect" not in proxied
