"""The reform demo: the board computes what the seeds state by hand."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from niangjia.accounts.models import User
from niangjia.org.models import Federation
from niangjia.reform import queries
from niangjia.reform.models import Document, Plan

pytestmark = pytest.mark.django_db


def test_the_demo_board_says_what_the_seeds_say(settings):
    # given the small demo
    call_command("demo", "--if-empty", "--small", stdout=StringIO())
    admin = User.objects.get(username="admin")
    nation = Federation.objects.get(level=1)
    # when the national board is asked for 2017-03-02 and 2016
    b = queries.board(admin, nation, today=timezone.localdate(), year=2016, as_of=date(2017, 3, 2))
    # then
    assert Document.objects.filter(unit=nation).count() == 27
    assert b["measure_sentence"].startswith("36项改革措施，已启动36项；2016年到期12项，已完成12项")
    assert b["plan_sentence"] == "截至2017-03-02：20个已印发实施，11个和兵团在发文审签"
    assert Plan.objects.count() == 32


def test_the_demo_report_form_has_reports_in_every_state_and_a_draft_for_yucun(settings):
    from niangjia.reports.models import ReportForm, Submission

    call_command("demo", "--if-empty", "--small", stdout=StringIO())
    form = ReportForm.objects.get(title="妇女之家季度统计表")
    statuses = set(Submission.objects.filter(form=form).values_list("status", flat=True))
    assert {"draft", "submitted", "approved"} <= statuses
    assert Submission.objects.filter(form=form, unit__name__startswith="余村", status="draft").exists()
