"""The demo's duty checklists: 湖州市's 43 executive members, a county, 余村, and yucun_exec's own."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from niangjia.accounts.models import User
from niangjia.core.models import SummaryCount
from niangjia.duties.models import Assignment, Evidence, Reminder, Review
from niangjia.stats import rollup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_demo_hands_the_preset_out_with_evidence_reviews_and_reminders(client):
    # given the small demo
    call_command("demo", "--if-empty", "--small", stdout=StringIO())
    year = timezone.localdate().year
    # then 湖州市 handed the preset to its 43 executive members this year and last year
    assert Assignment.objects.filter(unit__name="湖州市妇联", year=year).count() == 43
    assert Assignment.objects.filter(unit__name="湖州市妇联", year=year - 1).count() == 43
    assert Assignment.objects.filter(unit__name="安吉县妇联", year=year).exists()
    # and some are complete, some behind, with reviews of last year and reminders
    this_year = Assignment.objects.filter(year=year)
    assert this_year.filter(items_done=8).exists() and this_year.filter(items_done__lt=3).exists()
    assert Review.objects.filter(assignment__year=year - 1).count() == 15
    assert Reminder.objects.exists()
    # and yucun_exec finds her own checklist partly done
    yucun = User.objects.get(username="yucun_exec")
    mine = Assignment.objects.get(person=yucun.person, year=year)
    assert 0 < mine.items_done < mine.items_total
    client.force_login(yucun)
    page = client.get("/duties/").content.decode()
    assert "3/5–7 名代表" in page
    # and she was reminded (bell and home page), has a photo on record and one withdrawn row
    from niangjia.core.models import Notification

    assert Reminder.objects.filter(assignment=mine).exists()
    assert Notification.objects.filter(recipient=yucun, kind="duties.reminder").exists()
    assert 'data-testid="home-duty-reminder"' in client.get("/").content.decode()
    photo = Evidence.objects.get(assignment=mine, attachment_name="入户走访.png")
    assert client.get(f"/duties/evidence/{photo.pk}/file/")["Content-Type"] == "image/png"
    assert Evidence.objects.filter(assignment=mine, status="withdrawn").count() == 1
    # and the summary rows of duty evidence are what a rebuild gives
    before = set(SummaryCount.objects.filter(metric="duty_evidence").values_list("period", "category", "status",
                                                                                 "l1", "l2", "l3", "count"))
    assert sum(r[-1] for r in before) == Evidence.objects.count()
    rollup.rebuild("duty_evidence")
    after = set(SummaryCount.objects.filter(metric="duty_evidence").values_list("period", "category", "status",
                                                                                "l1", "l2", "l3", "count"))
    assert after == before
