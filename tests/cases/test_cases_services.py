"""Case services: the lifecycle, consent and overrides, escalation, intake warnings, sealing, counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from niangjia.cases import approvals, services
from niangjia.cases.models import Case, CaseEvent, ConsentRecord, Referral
from niangjia.core import policies, sensitive
from niangjia.core.errors import Forbidden, NotFound, ValidationFailed
from niangjia.core.models import AuditEntry, Notification, SummaryCount
from niangjia.people.models import Person
from tests.cases.conftest import ID_BAD, ID_OK, open_case

pytestmark = pytest.mark.django_db


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def to_assessment(staff, case):
    return services.case_transition(actor=staff.worker, case=case, to="assessment")


# ---------------------------------------------------------------- intake


def test_opening_a_case_derives_the_risk_records_consent_and_audits(staff, tree):
    # when
    case = open_case(staff, tree, answers={"strangulation": True})
    # then
    case = fresh(case)
    assert (case.status, case.risk_derived, case.risk_level) == ("intake", "high", "high")
    assert case.number.startswith("WQ") and case.worker == staff.worker
    assert list(case.supervisors.all()) == [staff.sup]
    assert {(c.kind, c.given) for c in ConsentRecord.objects.filter(case=case)} == {
        ("store", True), ("share", False), ("contact", True)}
    assert ConsentRecord.objects.filter(case=case, recorded_by=staff.worker).count() == 3
    assert AuditEntry.objects.filter(action="case.open", target_id=str(case.pk), actor=staff.worker).count() == 1


def test_a_worker_may_override_the_derived_risk_only_with_a_reason(staff, tree):
    with pytest.raises(ValidationFailed) as exc:
        open_case(staff, tree, risk_level="high")
    assert "risk_override_reason" in exc.value.fields
    case = open_case(staff, tree, risk_level="high", risk_override_reason="对方刚出狱，曾有暴力前科")
    assert (case.risk_derived, case.risk_level) == ("low", "high")


def test_an_id_number_failing_its_checksum_warns_and_never_blocks(staff, tree):
    # when
    case, warnings = services.case_open(actor=staff.worker, unit=tree.east, channel="walk_in", case_type="other",
                                        narrative="咨询", worker=staff.worker, name="王小芳", id_number=ID_BAD)
    # then the case is open, the number kept sealed with the warning, her person record without it
    assert len(warnings) == 1 and "校验位" in warnings[0]
    assert case.pk and case.id_number_warning == "身份证号校验位不正确"
    assert sensitive.decrypt(fresh(case).id_number_enc) == ID_BAD
    assert case.complainant.id_number_enc == ""


def test_the_complainant_is_found_again_by_id_number_or_phone(staff, tree):
    first = open_case(staff, tree)
    by_id = open_case(staff, tree, name="另一个名字", phone="", id_number=ID_OK)
    by_phone = open_case(staff, tree, name="李春花", phone="139 0000 1111", id_number="")
    other = open_case(staff, tree, name="赵秋月", phone="13900009999", id_number="")
    assert by_id.complainant_id == first.complainant_id == by_phone.complainant_id
    assert other.complainant_id != first.complainant_id
    assert Person.all_objects.filter(name__in=["李春花", "另一个名字", "赵秋月"]).count() == 2


def test_a_worker_outside_the_unit_or_without_the_permission_is_refused(staff, tree):
    for bad in (staff.west_worker, staff.cadre):
        with pytest.raises(ValidationFailed) as exc:
            open_case(staff, tree, worker=bad)
        assert "worker" in exc.value.fields
    assert not Case.objects.exists()


def test_sealed_fields_are_not_in_plaintext_in_the_database(staff, tree):
    case = open_case(staff, tree)
    services.follow_up_add(actor=staff.worker, case=case, method="phone", note="她说今晚住在妹妹家")
    with connection.cursor() as cur:
        cur.execute("SELECT narrative_enc, phone_enc, id_number_enc, address_enc, phone_mask FROM cases_case")
        narrative, phone, id_number, address, mask = cur.fetchone()
        cur.execute("SELECT note_enc FROM cases_followup")
        (note,) = cur.fetchone()
    for raw, clear in ((narrative, "掐脖子"), (phone, "13900001111"), (id_number, ID_OK), (address, "东村"),
                       (note, "妹妹家")):
        assert clear not in raw and raw.startswith("gAAAA")
    assert mask == "139****1111"


# ---------------------------------------------------------------- lifecycle


def test_every_allowed_transition_through_to_closure(staff, tree, case):
    to_assessment(staff, case)
    services.referral_create(actor=staff.worker, case=case, agency=staff.committee)
    assert fresh(case).status == "referred"
    services.case_transition(actor=staff.worker, case=case, to="follow_up")
    services.case_transition(actor=staff.worker, case=case, to="referred")
    services.case_transition(actor=staff.worker, case=case, to="follow_up")
    services.case_transition(actor=staff.worker, case=case, to="closed", outcome="resolved", reason="已调解",
                             satisfaction=5)
    case = fresh(case)
    assert (case.status, case.outcome, case.satisfaction, case.closure_reason) == ("closed", "resolved", 5, "已调解")
    assert case.closed_at is not None
    assert CaseEvent.objects.filter(case=case, kind="status").count() == 5


@pytest.mark.parametrize("path", [["assessment", "follow_up"], ["closed"], ["assessment", "closed"]])
def test_other_allowed_paths(staff, tree, case, path):
    for to in path:
        kw = {"outcome": "withdrawn", "reason": "当事人撤回"} if to == "closed" else {}
        services.case_transition(actor=staff.worker, case=case, to=to, **kw)
    assert fresh(case).status == path[-1]


REFUSED = [("intake", "referred"), ("intake", "follow_up"), ("intake", "intake"), ("assessment", "intake"),
           ("referred", "assessment"), ("referred", "intake"), ("follow_up", "assessment"), ("follow_up", "intake"),
           ("closed", "assessment"), ("closed", "follow_up"), ("closed", "referred"), ("closed", "intake")]


def _bring_to(staff, case, status):
    steps = {"intake": [], "assessment": ["assessment"], "referred": ["assessment", "refer"],
             "follow_up": ["assessment", "follow_up"], "closed": ["closed"]}[status]
    for s in steps:
        if s == "refer":
            services.referral_create(actor=staff.worker, case=case, agency=staff.committee)
        else:
            kw = {"outcome": "resolved", "reason": "已解决"} if s == "closed" else {}
            services.case_transition(actor=staff.worker, case=case, to=s, **kw)


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_each_refused_transition_says_why_in_chinese_and_changes_nothing(staff, tree, case, current, target):
    # given
    _bring_to(staff, case, current)
    before = fresh(case)
    # when
    with pytest.raises(services.TransitionRefused) as exc:
        services.case_transition(actor=staff.worker, case=fresh(case), to=target)
    # then
    assert exc.value.code == "invalid_transition" and exc.value.status == 409
    assert "不能变为" in exc.value.message
    after = fresh(case)
    assert (after.status, after.version) == (before.status, before.version)


def test_referred_by_hand_needs_a_referral_first(staff, tree, case):
    to_assessment(staff, case)
    with pytest.raises(services.TransitionRefused):
        services.case_transition(actor=staff.worker, case=case, to="referred")


def test_closure_without_a_reason_is_refused(staff, tree, case):
    with pytest.raises(ValidationFailed) as exc:
        services.case_transition(actor=staff.worker, case=case, to="closed", outcome="resolved", reason=" ")
    assert exc.value.fields == {"reason": "结案理由不能为空"}
    assert fresh(case).status == "intake"


def test_a_referral_before_assessment_is_refused(staff, tree, case):
    with pytest.raises(services.TransitionRefused):
        services.referral_create(actor=staff.worker, case=case, agency=staff.committee)
    assert not Referral.objects.exists()


def test_referral_statuses_and_refused_ones(staff, tree, case):
    to_assessment(staff, case)
    ref = services.referral_create(actor=staff.worker, case=case, agency=staff.committee)
    with pytest.raises(services.TransitionRefused):
        services.referral_update(actor=staff.worker, referral=ref, to="done")
    services.referral_update(actor=staff.worker, referral=ref, to="accepted", response="已接收")
    services.referral_update(actor=staff.worker, referral=ref, to="done")
    for to in ("sent", "accepted", "declined"):
        with pytest.raises(services.TransitionRefused):
            services.referral_update(actor=staff.worker, referral=ref, to=to)
    declined = services.referral_create(actor=staff.worker, case=case, agency=staff.committee)
    services.referral_update(actor=staff.worker, referral=declined, to="declined")
    assert dict(Referral.objects.values_list("pk", "status")) == {ref.pk: "done", declined.pk: "declined"}


def test_a_closed_case_takes_no_follow_up_or_assessment(staff, tree, case):
    services.case_transition(actor=staff.worker, case=case, to="closed", outcome="withdrawn", reason="撤回")
    with pytest.raises(services.TransitionRefused):
        services.follow_up_add(actor=staff.worker, case=case, method="phone", note="x")
    with pytest.raises(services.TransitionRefused):
        services.case_assess(actor=staff.worker, case=case, answers={})


# ---------------------------------------------------------------- consent and override


def test_no_consent_to_share_refuses_an_outside_referral_but_not_an_inside_one(staff, tree, case):
    to_assessment(staff, case)
    with pytest.raises(Forbidden) as exc:
        services.referral_create(actor=staff.worker, case=case, agency=staff.police)
    assert exc.value.code == "consent_required" and "同意" in exc.value.message
    assert not Referral.objects.filter(agency=staff.police).exists()
    inside = services.referral_create(actor=staff.worker, case=case, agency=staff.committee)
    assert inside.external is False


def test_consent_to_share_allows_an_outside_referral(staff, tree):
    case = open_case(staff, tree, consent_share=True)
    to_assessment(staff, case)
    ref = services.referral_create(actor=staff.worker, case=case, agency=staff.police)
    assert (ref.external, ref.under_override, ref.agency_kind) == (True, False, "police")


def test_an_override_allows_the_referral_is_audited_and_tells_the_superior(staff, tree, case):
    # given a high-risk case without consent to share
    to_assessment(staff, case)
    # when the named supervisor records an emergency override
    services.override_record(actor=staff.sup, case=case, reason="《反家庭暴力法》第十四条，人身安全面临紧急危险")
    ref = services.referral_create(actor=staff.worker, case=fresh(case), agency=staff.police)
    # then
    assert ref.under_override is True
    entry = AuditEntry.objects.get(action="case.override", target_id=str(case.pk))
    assert entry.actor == staff.sup and "反家庭暴力法" in entry.detail["reason"]
    assert entry.detail["notified"] == [staff.city_sup.pk]
    note = Notification.objects.get(kind="case.override")
    assert note.recipient == staff.city_sup and case.number in note.text
    assert not Notification.objects.filter(kind="case.override", recipient=staff.sup).exists()


def test_an_override_needs_the_supervise_permission_a_place_on_the_case_and_a_reason(staff, tree, case):
    with pytest.raises(Forbidden):
        services.override_record(actor=staff.worker, case=case, reason="紧急情况依法共享")
    with pytest.raises(NotFound):
        services.override_record(actor=staff.sup2, case=case, reason="紧急情况依法共享")
    with pytest.raises(ValidationFailed):
        services.override_record(actor=staff.sup, case=case, reason="  ")
    assert fresh(case).override_at is None and not Notification.objects.exists()


def test_withdrawn_consent_stops_further_sharing_even_after_an_override(staff, tree):
    case = open_case(staff, tree, consent_share=True)
    to_assessment(staff, case)
    services.referral_create(actor=staff.worker, case=case, agency=staff.police)
    services.override_record(actor=staff.sup, case=fresh(case), reason="紧急情况依法共享")
    # when she withdraws her consent
    services.consent_set(actor=staff.worker, case=fresh(case), kind="share", given=False, note="电话告知")
    # then no new outside referral
    with pytest.raises(Forbidden) as exc:
        services.referral_create(actor=staff.worker, case=fresh(case), agency=staff.shelter)
    assert "撤回" in exc.value.message
    case = fresh(case)
    assert case.consent_share is False and case.share_withdrawn_at and case.override_at is None
    last = ConsentRecord.objects.filter(case=case).last()
    assert (last.kind, last.given, last.recorded_by) == ("share", False, staff.worker)
    assert Referral.objects.filter(case=case).count() == 1


# ---------------------------------------------------------------- escalation


def _high_case(staff, tree):
    case = open_case(staff, tree, answers={"weapon": True})
    return fresh(case)


def test_escalation_exactly_at_the_deadline_is_not_due_and_after_it_is(staff, tree):
    case = _high_case(staff, tree)
    due = case.last_contact_at + timedelta(hours=24)
    assert services.escalate_overdue(now=due) == []
    assert [c.pk for c in services.escalate_overdue(now=due + timedelta(seconds=1))] == [case.pk]


def test_escalation_run_twice_escalates_once_and_notifies_the_right_people(staff, tree):
    case = _high_case(staff, tree)
    later = case.last_contact_at + timedelta(hours=25)
    first = services.escalate_overdue(now=later)
    second = services.escalate_overdue(now=later + timedelta(minutes=5))
    assert len(first) == 1 and second == []
    told = set(Notification.objects.filter(kind="case.escalate").values_list("recipient__username", flat=True))
    assert told == {"worker", "sup", "sup2"}  # the worker, the named supervisor, the unit's supervisors
    assert AuditEntry.objects.filter(action="case.escalate").count() == 1
    assert fresh(case).escalated_for == case.last_contact_at + timedelta(hours=24)


def test_a_follow_up_rearms_the_clock_for_a_new_escalation(staff, tree):
    # given a high-risk case escalated 30 hours after its last contact
    case = _high_case(staff, tree)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(opened_at=now - timedelta(hours=30), last_contact_at=now - timedelta(hours=30))
    assert len(services.escalate_overdue(now=now)) == 1
    # when the worker follows up
    services.follow_up_add(actor=staff.worker, case=fresh(case), method="visit", note="上门看望")
    # then the next escalation is 24 hours after that follow-up
    contact = fresh(case).last_contact_at
    assert services.escalate_overdue(now=contact + timedelta(hours=24)) == []
    assert len(services.escalate_overdue(now=contact + timedelta(hours=24, seconds=1))) == 1


def test_medium_low_and_closed_cases_follow_their_own_rules(staff, tree):
    medium = fresh(open_case(staff, tree, answers={"escalating": True}))
    low = fresh(open_case(staff, tree))
    closed = _high_case(staff, tree)
    # closing a high-risk case takes its named supervisor's approval
    ap = approvals.approval_request(actor=staff.worker, case=closed, kind="close",
                                    payload={"outcome": "resolved", "reason": "好"})
    approvals.approval_decide(actor=staff.sup, approval=ap, approve=True)
    assert services.escalate_overdue(now=medium.last_contact_at + timedelta(hours=72)) == []
    escalated = {c.pk for c in services.escalate_overdue(now=medium.last_contact_at + timedelta(hours=73))}
    assert escalated == {medium.pk}
    assert low.pk not in escalated and closed.pk not in escalated


def test_the_follow_up_deadline_is_a_policy_a_federation_may_change(staff, tree, admin_user):
    case = _high_case(staff, tree)
    policies.set_override(actor=admin_user, key="cases.follow_up", unit=tree.city, value={"high_hours": 12})
    assert [c.pk for c in services.escalate_overdue(now=case.last_contact_at + timedelta(hours=13))] == [case.pk]


def test_the_command_is_safe_to_run_twice(staff, tree):
    case = _high_case(staff, tree)
    Case.objects.filter(pk=case.pk).update(last_contact_at=timezone.now() - timedelta(hours=30))
    call_command("cases_escalate")
    call_command("cases_escalate")
    assert Notification.objects.filter(kind="case.escalate", recipient=staff.worker).count() == 1


# ---------------------------------------------------------------- counts


def _rows(metric):
    return {(r.category, r.status): r.count for r in SummaryCount.objects.filter(metric=metric) if r.count}


def test_counts_follow_the_case_through_its_life(staff, tree):
    case = open_case(staff, tree, answers={"weapon": True}, consent_share=True)
    assert _rows("case") == {("domestic_violence", "intake"): 1}
    # lowering the high risk takes the named supervisor's approval
    ap = approvals.approval_request(actor=staff.worker, case=case, kind="lower_risk", payload={"answers": {}})
    approvals.approval_decide(actor=staff.sup, approval=ap, approve=True)
    case.refresh_from_db()
    assert _rows("case_risk") == {("low", "assessment"): 1}
    ref = services.referral_create(actor=staff.worker, case=case, agency=staff.police)
    services.referral_update(actor=staff.worker, referral=ref, to="accepted")
    assert _rows("case") == {("domestic_violence", "referred"): 1}
    assert _rows("case_referral") == {("police", "accepted"): 1}
    call_command("rollup", "--rebuild", "--metric", "case")
    call_command("rollup", "--rebuild", "--metric", "case_risk")
    call_command("rollup", "--rebuild", "--metric", "case_referral")
    assert _rows("case") == {("domestic_violence", "referred"): 1}
    assert _rows("case_risk") == {("low", "referred"): 1}
    assert _rows("case_referral") == {("police", "accepted"): 1}
