"""Issue 15, cases: a 12338 call written by hand and its repeat caller, referral targets ordered by what
the case needs, and a named supervisor's approval to close a high-risk case or lower its risk."""

import pytest
from conftest import make_user

from niangjia.cases import approvals, rules, services
from niangjia.cases.forms import ReferralForm
from niangjia.cases.models import Case, CaseApproval, HotlineCall
from niangjia.core.models import AuditEntry
from niangjia.org import services as org
from tests.cases.conftest import open_case

HIGH = {"weapon": True, "strangulation": True}  # answers the assessment rates high


def _new_call(client, key, caller="13900001111", notes="丈夫又动手了"):
    return client.post("/cases/hotline/new/", {"idempotency_key": key, "started_at": "2026-03-01T09:00",
                                               "ended_at": "2026-03-01T09:12", "caller": caller, "notes": notes})


def test_a_call_written_by_hand_is_kept_once_and_opens_its_page(client, staff):
    # given the 12338 operator
    client.force_login(staff.hotline)
    # when she saves the form, and the same form again
    first, again = _new_call(client, "k1"), _new_call(client, "k1")
    # then one call, 12 minutes, taken by her, and both answers lead to its page
    call = HotlineCall.objects.get()
    assert (call.duration_seconds, call.operator, call.call_id) == (720, staff.hotline, "manual-k1")
    assert first["Location"] == again["Location"] == f"/cases/hotline/{call.pk}/"


def test_a_call_that_ends_before_it_starts_is_refused(client, staff):
    client.force_login(staff.hotline)
    resp = client.post("/cases/hotline/new/", {"idempotency_key": "k", "started_at": "2026-03-01T09:00",
                                               "ended_at": "2026-03-01T08:00", "caller": ""})
    assert resp.status_code == 400 and "挂断时间早于来电时间" in resp.content.decode()
    assert HotlineCall.objects.count() == 0


def test_a_repeat_caller_is_recognised_with_her_calls_and_cases(client, staff, tree):
    # given an earlier call and a case with her number
    client.force_login(staff.hotline)
    _new_call(client, "k1")
    open_case(staff, tree, phone="13900001111")
    # when she calls again
    _new_call(client, "k2")
    call = HotlineCall.objects.get(call_id="manual-k2")
    page = client.get(f"/cases/hotline/{call.pk}/").content.decode()
    # then the page lists her earlier call (the operator sees no case: need-to-know)
    assert 'data-testid="caller-history"' in page and "来电 1 次" in page
    assert "个案" not in page.split('data-testid="caller-history"')[1].split("</section>")[0]
    # and a supervisor named on the case sees the case too
    hist = __import__("niangjia.cases.queries", fromlist=["x"]).caller_history(staff.sup, call)
    assert [c.number for c in hist["cases"]] == [Case.objects.get().number]


def test_referral_targets_for_domestic_violence_put_police_shelter_and_legal_aid_first(staff, tree):
    # given agencies of every kind, and a non-agency women's group
    mk = lambda name, kind, agency="": org.organisation_create(  # noqa: E731
        actor=staff.cadre, unit=tree.east, kind=kind, name=name, agency_type=agency)
    orgs = [mk("民宿妇女小组", "new_org_women"), mk("东县法院", "group_member", "court"),
            mk("东县法律援助中心", "group_member", "legal_aid"), mk("东县反家暴庇护所", "group_member", "shelter"),
            mk("东县公安局", "group_member", "police")]
    case = open_case(staff, tree)
    case.risk_level = "high"
    # when the referral form is built for the case
    choices = ReferralForm(agencies=orgs, case=case).fields["agency"].choices
    # then nothing is chosen by default, and the suggested group is police, shelter, legal aid, court
    assert choices[0] == ("", "请选择转介单位")
    assert choices[1][0] == "建议优先（按个案需要）"
    assert [label.split("（")[0] for _, label in choices[1][1]] == ["东县公安局", "东县反家暴庇护所", "东县法律援助中心",
                                                                    "东县法院"]
    assert [label.split("（")[0] for _, label in choices[-1][1]] == ["民宿妇女小组"]


def test_referral_rank_rule():
    assert rules.referral_rank("custody", "low", "legal_aid") == (0, 0)
    assert rules.referral_rank("custody", "high", "police") == (0, 0)
    assert rules.referral_rank("custody", "low", "health") == (1, 0)
    assert rules.referral_rank("custody", "low", "") == (2, 0)


def test_closing_a_high_risk_case_waits_for_the_named_supervisor(client, staff, tree):
    # given a high-risk case the worker wants to close
    case = open_case(staff, tree, answers=HIGH)
    services.case_transition(actor=staff.worker, case=case, to="assessment")
    assert case.risk_level == "high"
    client.force_login(staff.worker)
    # when she closes it
    client.post(f"/cases/{case.pk}/close/", {"outcome": "resolved", "reason": "已调解", "satisfaction": "5",
                                             "version": case.version})
    # then it stays open, with a request for the named supervisor
    case.refresh_from_db()
    ap = CaseApproval.objects.get(case=case)
    assert (case.status, ap.status, ap.kind, ap.requested_by) == ("assessment", "requested", "close", staff.worker)
    assert "已调解" not in ap.payload_enc  # the reason stays sealed
    # and another supervisor (not named) may not decide it
    with pytest.raises(Exception) as refused:
        approvals.approval_decide(actor=staff.sup2, approval=ap, approve=True)
    assert type(refused.value).__name__ in ("NotFound", "Forbidden")
    # when the named supervisor approves on the case page
    client.force_login(staff.sup)
    client.post(f"/cases/{case.pk}/approval/", {"approval": ap.pk, "decision": "approve"})
    # then the case is closed as the worker asked, and both steps are audited
    case.refresh_from_db()
    ap.refresh_from_db()
    assert (case.status, case.outcome, case.closure_reason, ap.status, ap.decided_by) == (
        "closed", "resolved", "已调解", "approved", staff.sup)
    actions = list(AuditEntry.objects.filter(action__startswith="case.approval").values_list("action", flat=True))
    assert sorted(actions) == ["case.approval.approve", "case.approval.request"]


def test_lowering_a_high_risk_can_be_returned_with_a_note(staff, tree):
    # given a high-risk case whose worker lowers the risk
    case = open_case(staff, tree, answers=HIGH)
    with pytest.raises(services.ApprovalNeeded):
        services.case_assess(actor=staff.worker, case=case, answers={}, risk_level="low",
                             risk_override_reason="已离婚搬走")
    ap = approvals.approval_request(actor=staff.worker, case=case, kind="lower_risk",
                                    payload={"answers": {}, "risk_level": "low", "risk_override_reason": "已离婚搬走"})
    # when the supervisor returns it without a note, then with one
    with pytest.raises(Exception, match="退回时请写明意见"):
        approvals.approval_decide(actor=staff.sup, approval=ap, approve=False)
    approvals.approval_decide(actor=staff.sup, approval=ap, approve=False, note="对方仍在同村，维持高风险")
    # then the risk stays high and the request is returned
    case.refresh_from_db()
    ap.refresh_from_db()
    assert (case.risk_level, ap.status, ap.note) == ("high", "returned", "对方仍在同村，维持高风险")


def test_a_high_risk_case_without_a_named_supervisor_cannot_ask(staff, tree):
    case = open_case(staff, tree, answers=HIGH, supervisors=[])
    with pytest.raises(Exception, match="还没有指定督导"):
        approvals.approval_request(actor=staff.worker, case=case, kind="close", payload={})
    assert CaseApproval.objects.count() == 0


def test_low_risk_cases_close_without_approval(staff, tree):
    case = open_case(staff, tree)
    services.case_transition(actor=staff.worker, case=case, to="closed", outcome="withdrawn", reason="当事人撤回")
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_the_refer_prompt_is_not_stale(client, staff, tree):
    case = open_case(staff, tree, answers=HIGH)
    client.force_login(staff.worker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "完成风险评估后才能转介" not in page and "接案时已定风险「高」" in page
    services.case_assess(actor=staff.worker, case=case, answers=HIGH)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="refer-needs-assessment"' not in page and "请选择转介单位" in page


def test_staff_pickers_show_names_and_tell_apart_two_of_the_same_name(tree):
    from niangjia.cases.forms import _user_choices

    a = make_user("wang1", ["case_worker"], [tree.east])
    b = make_user("wang2", ["case_worker"], [tree.east])
    c = make_user("li", ["case_worker"], [tree.east])
    a.first_name = b.first_name = "王芳"
    c.first_name = "李梅"
    assert [label for _, label in _user_choices([a, b, c])] == ["王芳（wang1）", "王芳（wang2）", "李梅"]
