"""Parallel transitions on PostgreSQL for the pipelines tests/core/test_parallel_transitions.py does not race:
reform measures (reform.measure), provincial plans (reform.plan) and report submissions (reports.submission),
and the questionnaire builder's moves. Of N requests carrying the same version exactly one applies, the
others get 409; a timeline or a count moves once and never goes below zero."""

from datetime import date

import pytest
from api.helpers import Api
from django.db import connection

from niangjia.core.errors import DomainError
from niangjia.core.models import SummaryCount
from niangjia.participation import services as participation
from niangjia.participation.models import Question
from niangjia.reform import services as reform
from niangjia.reform.models import Entry, Measure, Plan
from niangjia.reports import services as reports
from niangjia.reports.models import Submission
from tests import checks
from tests.participation.conftest import make_consultation

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")]


N = 6


def race(fn, n: int = N):
    return checks.race(fn, n, refused=DomainError)


def assert_one_wins(outcome):
    wins, refused, errors = outcome
    assert errors == []
    assert len(wins) == 1 and [exc.status for exc in refused] == [409] * (N - 1)


def test_parallel_measure_starts_apply_once(tree, admin_user):
    m = reform.measure_create(actor=admin_user, unit=tree.province, code="1", title="推进会改联",
                              deadline=date(2030, 12, 31), responsible=[tree.east])
    before = Entry.objects.filter(measure=m, kind=Entry.Kind.STATUS).count()
    assert_one_wins(race(lambda i: reform.measure_move(actor=admin_user, measure=Measure.objects.get(pk=m.pk),
                                                       step="start", version=m.version)))
    assert Measure.objects.get(pk=m.pk).status == "started"
    assert Entry.objects.filter(measure=m, kind=Entry.Kind.STATUS).count() == before + 1  # one line on the timeline


def test_parallel_plan_steps_apply_once(tree, admin_user):
    plan = reform.plan_create(actor=admin_user, unit=tree.province, title="甲省妇联改革方案", drafting_on=date(2016, 3, 1))
    assert_one_wins(race(lambda i: reform.plan_move(actor=admin_user, plan=Plan.objects.get(pk=plan.pk),
                                                    step="to_signing", day=date(2016, 9, 1), version=plan.version)))
    assert Plan.objects.get(pk=plan.pk).stage == "signing"


def test_parallel_report_approvals_apply_once_and_count_once(tree, personas):
    # given 东村's February report, filled and submitted
    form = Api(personas.east).post("/reports/forms", {
        "unit": tree.east.id, "title": "妇女之家月报", "fill_level": 6, "period_kind": "month", "due_days": 10,
        "fields": [{"key": "visits", "label": "服务人次", "kind": "int", "min_value": 0}]}).json()
    village = Api(personas.village)
    sub = village.post(f"/reports/forms/{form['id']}/submissions", {"unit": tree.east_village.id,
                                                                    "day": "2026-02-14"}).json()
    sub = village.put(f"/reports/submissions/{sub['id']}/values", {"version": sub["version"], "values": {"visits": 9}}).json()
    sub = village.post(f"/reports/submissions/{sub['id']}/steps/submit", {"version": sub["version"]}).json()
    # when the township approves it from six requests at once
    assert_one_wins(race(lambda i: reports.submission_approve(
        actor=personas.township, submission=Submission.objects.get(pk=sub["id"]), version=sub["version"])))
    # then it is approved once, and no count went below zero
    assert Submission.objects.get(pk=sub["id"]).status == "approved"
    assert not SummaryCount.objects.filter(count__lt=0).exists()


def test_parallel_moves_of_one_question_apply_once(tree, personas):
    c = make_consultation(personas.east, tree.east, publish=False)
    q = list(c.questions.all())
    assert_one_wins(race(lambda i: participation.question_move(
        actor=personas.east, question=Question.objects.get(pk=q[2].pk), version=1, direction="up")))
    assert list(c.questions.values_list("pk", flat=True)) == [q[0].pk, q[2].pk, q[1].pk, q[3].pk]
    assert sorted(c.questions.values_list("position", flat=True)) == [1, 2, 3, 4]
