"""Pure rules of cases: risk from the assessment, the two pipelines, sharing, follow-up deadlines."""

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from niangjia.cases import rules
from niangjia.core import policies

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
PRESET = {"high_hours": 24, "medium_hours": 72, "low_hours": 0}


@pytest.mark.parametrize("bits", list(product([False, True], repeat=len(rules.QUESTIONS))))
def test_risk_for_every_combination_of_answers(bits):
    # given one of the 128 possible assessments
    answers = dict(zip(rules.QUESTIONS, bits, strict=True))
    yes = [k for k, v in answers.items() if v]
    # when / then: a severe sign or three signs → high; one or two → medium; none → low
    expected = "high" if set(yes) & set(rules.SEVERE) or len(yes) >= 3 else ("medium" if yes else "low")
    assert rules.risk_from(answers) == expected


def test_each_severe_sign_alone_is_high_and_a_mild_one_alone_is_medium():
    for key in rules.QUESTIONS:
        assert rules.risk_from({key: True}) == ("high" if key in rules.SEVERE else "medium")
    assert rules.risk_from({"escalating": True, "separation": True}) == "medium"
    assert rules.risk_from({"escalating": True, "separation": True, "no_safe_place": True}) == "high"


def test_answers_are_cleaned_and_unknown_questions_named():
    assert rules.clean_answers({"weapon": 1, "made_up": True}) == {"weapon": True}
    assert rules.unknown_questions({"weapon": True, "made_up": True, "x": False}) == ["made_up", "x"]
    assert rules.risk_from({"made_up": True}) == "low"


ALL_STATUSES = ["intake", "assessment", "referred", "follow_up", "closed"]
ALLOWED = {("intake", "assessment"), ("intake", "closed"), ("assessment", "referred"), ("assessment", "follow_up"),
           ("assessment", "closed"), ("referred", "follow_up"), ("referred", "closed"), ("follow_up", "referred"),
           ("follow_up", "closed")}


@pytest.mark.parametrize(("current", "target"), list(product(ALL_STATUSES, ALL_STATUSES)))
def test_case_pipeline(current, target):
    assert rules.case_may_move(current, target) is ((current, target) in ALLOWED)


REF_ALLOWED = {("sent", "accepted"), ("sent", "declined"), ("accepted", "done")}
REF_STATUSES = ["sent", "accepted", "declined", "done"]


@pytest.mark.parametrize(("current", "target"), list(product(REF_STATUSES, REF_STATUSES)))
def test_referral_pipeline(current, target):
    assert rules.referral_may_move(current, target) is ((current, target) in REF_ALLOWED)


def test_closure_needs_an_outcome_a_reason_and_a_sane_satisfaction():
    assert rules.closure_problem("", "理由", None)[0] == "outcome"
    assert rules.closure_problem("resolved", "  ", None)[0] == "reason"
    assert rules.closure_problem("resolved", "理由", 0)[0] == "satisfaction"
    assert rules.closure_problem("resolved", "理由", 6)[0] == "satisfaction"
    for s in (None, 1, 5):
        assert rules.closure_problem("withdrawn", "理由", s) is None


@pytest.mark.parametrize(("external", "consent", "override", "ok"), [
    (False, False, False, True), (True, False, False, False), (True, True, False, True), (True, False, True, True),
    (True, True, True, True), (False, True, True, True)])
def test_sharing_outside_the_federation_needs_consent_or_an_override(external, consent, override, ok):
    assert rules.may_share(external=external, consent_share=consent, override=override) is ok


def test_the_federations_own_organisations_are_inside_everything_else_outside():
    assert not rules.is_external("workplace_committee") and not rules.is_external("group_member")
    assert rules.is_external("partner_agency") and rules.is_external("service_provider")


def test_follow_up_deadline_edges():
    due = rules.follow_up_due(T0, "high", PRESET)
    assert due == T0 + timedelta(hours=24)
    assert rules.follow_up_due(T0, "medium", PRESET) == T0 + timedelta(hours=72)
    assert rules.follow_up_due(T0, "low", PRESET) is None
    # exactly at the deadline is in time; one microsecond after is overdue
    assert not rules.is_overdue(due, due)
    assert rules.is_overdue(due, due + timedelta(microseconds=1))
    assert not rules.is_overdue(None, due + timedelta(days=99))


def test_escalation_once_per_deadline_and_never_for_closed_cases():
    due = T0 + timedelta(hours=24)
    after = due + timedelta(minutes=1)
    assert rules.needs_escalation(status="follow_up", due=due, now=after, escalated_for=None)
    assert not rules.needs_escalation(status="follow_up", due=due, now=after, escalated_for=due)
    assert rules.needs_escalation(status="follow_up", due=due, now=after, escalated_for=due - timedelta(hours=5))
    assert not rules.needs_escalation(status="closed", due=due, now=after, escalated_for=None)
    assert not rules.needs_escalation(status="intake", due=due, now=due, escalated_for=None)


def test_the_follow_up_policy_ships_the_documented_preset():
    assert policies.REGISTRY["cases.follow_up"].preset == PRESET
