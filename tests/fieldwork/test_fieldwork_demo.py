"""The demo gives every field-work screen something real: planned and done stays, a report with
its file, and a statistician's subtree lists."""

from io import StringIO

import pytest
from django.core.management import call_command

from niangjia.accounts.models import User
from niangjia.fieldwork.models import FieldStay, ResearchReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "--if-empty", "--small", stdout=StringIO())


def test_demo_field_work_screens_show_something(demo, client):
    assert FieldStay.objects.filter(status="planned").exists() and FieldStay.objects.filter(status="done").exists()
    assert FieldStay.objects.exclude(paired_with=None).exists()
    report = ResearchReport.objects.exclude(file="").first()
    client.force_login(User.objects.get(username="huzhou_stats"))
    for path in ("stays", "diaries", "reports", "proposals"):
        page = client.get(f"/fieldwork/{path}/").content.decode()
        assert "暂无" not in page and "没有蹲点记录" not in page and "还没有日记" not in page, path
    r = client.get(f"/fieldwork/reports/{report.pk}/file/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
