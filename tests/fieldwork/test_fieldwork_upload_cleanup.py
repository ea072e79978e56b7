"""A refused or rolled-back upload leaves no file behind (the file lives outside the database)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from niangjia.core import audit_chain
from niangjia.core.errors import StaleVersion, ValidationFailed
from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import ResearchReport
from tests.fieldwork.conftest import days_ago

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(root) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_stale_attach_leaves_no_file(personas, fw_people, media):
    # given a report, attached once
    report = fw.report_file(actor=personas.east, person=fw_people.east, date=days_ago(1), title="调研", topic="就业")
    fw.report_attach(actor=personas.east, report=report, file=SimpleUploadedFile("a.pdf", PDF), version=report.version)
    assert files_in(media) == ["a.pdf"]
    # when a second attach names a stale version
    with pytest.raises(StaleVersion):
        fw.report_attach(actor=personas.east, report=ResearchReport.objects.get(pk=report.pk),
                         file=SimpleUploadedFile("b.pdf", PDF), version=1)
    # then its file is gone with it
    assert files_in(media) == ["a.pdf"]


def test_a_report_whose_audit_row_fails_leaves_no_file(personas, fw_people, media, monkeypatch):
    # the chain writes the audit row (one INSERT statement on PostgreSQL, save() on SQLite): break it there
    monkeypatch.setattr(audit_chain, "append", lambda *a, **k: (_ for _ in ()).throw(DatabaseError("down")))
    with pytest.raises(DatabaseError):
        fw.report_file(actor=personas.east, person=fw_people.east, date=days_ago(1), title="调研", topic="就业",
                       file=SimpleUploadedFile("c.pdf", PDF))
    assert files_in(media) == [] and not ResearchReport.objects.exists()


def test_a_refused_file_type_writes_nothing(personas, fw_people, media):
    with pytest.raises(ValidationFailed):
        fw.report_file(actor=personas.east, person=fw_people.east, date=days_ago(1), title="调研", topic="就业",
                       file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    assert files_in(media) == []
