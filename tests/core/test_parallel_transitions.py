"""Parallel transitions on PostgreSQL (threads, each its own connection): of N requests carrying the same
version, exactly one wins and the others get 409; a hotline call becomes at most one case however often it
is converted at once; no summary count goes below zero."""

import pytest
from django.db import connection
from django.utils import timezone

from niangjia.awards import services as awards
from niangjia.cases import intake
from niangjia.cases import services as cases
from niangjia.cases.models import Case, HotlineCall, Referral
from niangjia.core.errors import DomainError
from niangjia.core.models import SummaryCount
from niangjia.needs import services as needs
from niangjia.needs.models import Need, ServiceOrder
from niangjia.participation import services as participation
from niangjia.participation.models import Activity
from niangjia.selection.models import Selection
from tests import checks
from tests.awards.conftest import org_nom
from tests.cases.conftest import open_case
from tests.needs.conftest import register
from tests.participation.conftest import make_activity

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")]

N = 6


def race(fn, n: int = N):
    """Run fn(i) in n threads released at once; (wins, refusal statuses, unexpected errors)."""
    wins, refused, errors = checks.race(fn, n, refused=DomainError)
    return wins, [exc.status for exc in refused], [repr(exc) for exc in errors]


def assert_one_wins(outcome):
    wins, refused, errors = outcome
    assert errors == []
    assert len(wins) == 1 and refused == [409] * (N - 1)


def assert_no_negative_counts():
    assert not SummaryCount.objects.filter(count__lt=0).exists()


def _call(staff, key="C-1"):
    call, _ = intake.call_receive(actor=staff.hotline, call_id=key, started_at=timezone.now(),
                                  caller="13900002222", duration_seconds=60, operator=staff.hotline.username)
    return call


def test_a_hotline_call_converted_in_parallel_becomes_one_case(staff, tree):
    # given a new call
    call = _call(staff)
    # when six operators convert it at once, none of them naming a version
    outcome = race(lambda i: intake.call_to_case(
        actor=staff.hotline, call=HotlineCall.objects.get(pk=call.pk), case_type="domestic_violence",
        narrative=f"来电{i}", worker=staff.worker, supervisors=[staff.sup], answers={}, consent_store=True,
        consent_share=False, consent_contact=True, name="李春花"))
    # then one case exists and the call points at it
    assert_one_wins(outcome)
    assert Case.objects.filter(channel="hotline").count() == 1
    assert HotlineCall.objects.get(pk=call.pk).status == HotlineCall.Status.CASE
    assert_no_negative_counts()


def test_a_hotline_call_sent_to_needs_and_cases_at_once_goes_one_way(staff, tree):
    call = _call(staff, "C-2")
    version = call.version

    def convert(i):
        fresh = HotlineCall.objects.get(pk=call.pk)
        if i % 2:
            return intake.call_to_need(actor=staff.hotline, call=fresh, category="legal", urgency="normal",
                                       description="咨询", version=version)
        return intake.call_dismiss(actor=staff.hotline, call=fresh, reason="打错了", version=version)

    assert_one_wins(race(convert))
    assert Need.objects.filter(description="咨询").count() + (
        HotlineCall.objects.get(pk=call.pk).status == HotlineCall.Status.NO_ACTION) == 1


def test_parallel_need_assignments_with_one_version_apply_once(tree, personas):
    need = register(personas.east, tree.east)
    outcome = race(lambda i: needs.need_assign(actor=personas.east, need=Need.objects.get(pk=need.pk),
                                               assignee=personas.east, version=need.version, note=f"{i}"))
    assert_one_wins(outcome)
    assert Need.objects.get(pk=need.pk).version == need.version + 1
    assert_no_negative_counts()


def test_parallel_need_closes_move_the_counts_once(tree, personas):
    need = register(personas.east, tree.east)
    outcome = race(lambda i: needs.need_close(actor=personas.east, need=Need.objects.get(pk=need.pk),
                                              version=need.version, reason="重复登记"))
    assert_one_wins(outcome)
    assert_no_negative_counts()


def test_parallel_case_transitions_apply_once(staff, tree):
    case = open_case(staff, tree)
    outcome = race(lambda i: cases.case_transition(actor=staff.worker, case=Case.objects.get(pk=case.pk),
                                                   to="assessment", version=case.version))
    assert_one_wins(outcome)
    assert Case.objects.get(pk=case.pk).status == "assessment"
    assert_no_negative_counts()


def test_parallel_referral_answers_apply_once(staff, tree):
    case = open_case(staff, tree, consent_share=True)
    cases.case_transition(actor=staff.worker, case=case, to="assessment", version=case.version)
    referral = cases.referral_create(actor=staff.worker, case=case, agency=staff.police)
    outcome = race(lambda i: cases.referral_update(actor=staff.worker, referral=Referral.objects.get(pk=referral.pk),
                                                   to="accepted", version=referral.version))
    assert_one_wins(outcome)
    assert_no_negative_counts()


def test_parallel_service_order_acceptances_apply_once(tree, personas, catalogue, admin_user):
    need = register(personas.east, tree.east)
    order = needs.order_create(actor=personas.east, need=need, service=catalogue.legal, provider=catalogue.provider,
                               version=need.version)
    outcome = race(lambda i: needs.order_accept(actor=admin_user, order=ServiceOrder.objects.get(pk=order.pk),
                                                version=order.version))
    assert_one_wins(outcome)
    assert_no_negative_counts()


def test_parallel_award_phase_advances_apply_once(tree, personas, rnd, city):
    nominee = org_nom(personas.east, rnd, tree.east)
    awards.shortlist_set(actor=city, nomination=nominee, on=True)
    rnd.refresh_from_db()
    outcome = race(lambda i: awards.phase_advance(actor=city, rnd=type(rnd).objects.get(pk=rnd.pk),
                                                  to="evaluation", version=rnd.version))
    assert_one_wins(outcome)
    assert type(rnd).objects.get(pk=rnd.pk).phase == "evaluation"


def test_parallel_selection_call_closings_apply_once(sel, personas):
    selection = Selection.objects.get(pk=sel.selection.pk)
    from niangjia.selection import services as selection_services

    outcome = race(lambda i: selection_services.selection_close_call(
        actor=personas.east, selection=Selection.objects.get(pk=selection.pk), version=selection.version))
    assert_one_wins(outcome)


def test_parallel_activity_edits_with_one_version_apply_once(tree, personas):
    activity = make_activity(personas.east, tree.east)
    outcome = race(lambda i: participation.activity_update(
        actor=personas.east, activity=Activity.objects.get(pk=activity.pk), version=activity.version,
        changes={"capacity": 3 + i}))
    assert_one_wins(outcome)
    assert Activity.objects.get(pk=activity.pk).version == activity.version + 1


# ------------------------------------------------ records without a version: status-guarded steps


def test_parallel_attendance_marks_move_the_registration_count_once(tree, personas):
    from niangjia.participation.models import Registration
    from tests.participation.conftest import phone

    # given a confirmed registration on the activity's day
    activity = make_activity(personas.east, tree.east, day_offset=0)
    reg, _ = participation.register(activity=activity, name="甲", phone=phone(1), key="r1")
    # when six cadres who opened her row at the same moment (each holds it as confirmed) mark her at once,
    # half as attended and half as absent (a cadre who reads her row after a mark may rightly correct it,
    # so the rows are read before the race, not inside it)
    held = [Registration.objects.get(pk=reg.pk) for _ in range(6)]
    outcome = race(lambda i: participation.attendance_mark(actor=personas.east, registration=held[i],
                                                           attended=bool(i % 2)))
    # then one mark applies, the others are refused, and no count went below zero
    assert_one_wins(outcome)
    assert Registration.objects.get(pk=reg.pk).version == reg.version + 1
    assert_no_negative_counts()


def test_a_letter_converted_in_parallel_becomes_one_need(tree, personas):
    from niangjia.participation.models import Suggestion

    s, _ = participation.submit_suggestion(federation=tree.east, text="希望开夜校", channel="wechat", key="s1",
                                           anonymous=True)
    outcome = race(lambda i: participation.suggestion_to_need(actor=personas.east, pk=s.pk, category="other"))
    assert_one_wins(outcome)
    assert Need.objects.filter(source_type="participation.Suggestion", source_id=s.pk).count() == 1
    assert Suggestion.objects.get(pk=s.pk).need_id is not None


def test_parallel_corrections_of_one_score_leave_one_correction(sel, personas):
    from niangjia.selection import services as selection_services
    from niangjia.selection.models import Score
    from tests.selection.conftest import close_call, score_all

    close_call(personas.east, sel.selection)
    score_all(personas.east, sel, {"jury": [[85, 80, 70, 60]]})
    score = Score.objects.filter(supersedes__isnull=True).first()
    outcome = race(lambda i: selection_services.score_correct(actor=personas.east, score=score, value=80 + i,
                                                              reason="录入错误"))
    assert_one_wins(outcome)
    assert Score.objects.filter(supersedes=score).count() == 1


def test_a_nomination_withdrawn_in_parallel_is_withdrawn_once(tree, personas, rnd):
    from niangjia.awards.models import Nomination
    from niangjia.core.models import AuditEntry

    nominee = org_nom(personas.east, rnd, tree.east)
    outcome = race(lambda i: awards.nomination_withdraw(actor=personas.east, nomination=Nomination.objects.get(
        pk=nominee.pk), reason=f"调离{i}"))
    assert_one_wins(outcome)
    assert Nomination.objects.get(pk=nominee.pk).version == nominee.version + 1
    assert AuditEntry.objects.filter(action="awards.nomination.withdraw").count() == 1


# ------------------------------------------------ the pipelines moved onto core.pipeline later


def test_parallel_activity_status_moves_with_one_version_apply_once(tree, personas):
    # given an activity in preparation; half open its registration, half cancel it, all with one version
    activity = make_activity(personas.east, tree.east, status="planned")
    targets = ["open", "cancelled"] * (N // 2)
    outcome = race(lambda i: participation.activity_update(
        actor=personas.east, activity=Activity.objects.get(pk=activity.pk), version=activity.version,
        changes={"status": targets[i]}))
    assert_one_wins(outcome)
    fresh = Activity.objects.get(pk=activity.pk)
    assert fresh.version == activity.version + 1 and fresh.status in ("open", "cancelled")


def test_parallel_replies_to_one_letter_with_one_version_apply_once(tree, personas):
    from niangjia.participation.models import Suggestion

    s, _ = participation.submit_suggestion(federation=tree.east, text="希望开夜校", channel="wechat", key="s2",
                                           anonymous=True)
    outcome = race(lambda i: participation.suggestion_reply(actor=personas.east, pk=s.pk, reply=f"答复{i}",
                                                            version=s.version))
    assert_one_wins(outcome)
    fresh = Suggestion.objects.get(pk=s.pk)
    assert fresh.status == "replied" and fresh.version == s.version + 1


def test_parallel_reform_measure_steps_with_one_version_apply_once(tree, admin_user):
    from datetime import date

    from niangjia.reform import services as reform
    from niangjia.reform.models import Entry, Measure

    measure = reform.measure_create(actor=admin_user, unit=tree.province, code="1", title="推进会改联",
                                    deadline=date(2016, 12, 31), responsible=[tree.east], lead_department="组织部")
    outcome = race(lambda i: reform.measure_move(actor=admin_user, measure=Measure.objects.get(pk=measure.pk),
                                                 step="start", version=measure.version, day=date(2016, 2, 1)))
    assert_one_wins(outcome)
    assert Measure.objects.get(pk=measure.pk).version == measure.version + 1
    assert Entry.objects.filter(measure=measure, kind=Entry.Kind.STATUS, text__startswith="启动").count() == 1
