"""Case lists are audited (one row per view naming the cases shown); closure and risk-override reasons,
referral notes and answers are sealed at rest, by the services and by a reversible data migration."""

import json

import pytest
from django.db import connection
from django.test import Client

from niangjia.cases import approvals, services
from niangjia.cases.models import Case, Referral
from niangjia.core.models import AuditEntry
from tests.cases.conftest import open_case

REASON, OVERRIDE, NOTE, ANSWER = "她已搬去娘家住", "她说对方有刀", "请尽快出警", "已立案侦查"


def client(user):
    c = Client()
    c.force_login(user)
    return c


def lists():
    return [(e.detail["view"], sorted(e.detail["cases"])) for e in AuditEntry.objects.filter(action="case.list")
            .order_by("id")]


@pytest.mark.django_db
def test_each_list_view_of_cases_is_audited_once_naming_the_cases_shown(staff, tree):
    a = open_case(staff, tree, name="甲", phone="13900000011", id_number="")
    b = open_case(staff, tree, name="乙", phone="13900000012", id_number="")
    c = client(staff.worker)
    assert c.get("/cases/").status_code == 200
    assert c.get("/api/v1/cases").status_code == 200
    assert c.get("/").status_code == 200
    assert lists() == [("web", sorted([a.pk, b.pk])), ("api", sorted([a.pk, b.pk])), ("home", sorted([a.pk, b.pk]))]
    # a list showing nothing reads nothing
    client(staff.worker2).get("/cases/")
    client(staff.worker2).get("/api/v1/cases")
    assert len(lists()) == 3


@pytest.mark.django_db
def test_reasons_notes_and_answers_are_sealed_and_read_in_clear_only_on_the_case(staff, tree):
    case = open_case(staff, tree, consent_share=True, risk_level="high", risk_override_reason=OVERRIDE)
    services.case_transition(actor=staff.worker, case=case, to="assessment")
    ref = services.referral_create(actor=staff.worker, case=case, agency=staff.police, note=NOTE)
    services.referral_update(actor=staff.worker, referral=ref, to="accepted", response=ANSWER)
    # a high-risk case closes with its named supervisor's approval (cases/approvals.py)
    ap = approvals.approval_request(actor=staff.worker, case=case, kind="close",
                                    payload={"outcome": "resolved", "reason": REASON, "satisfaction": None})
    approvals.approval_decide(actor=staff.sup, approval=ap, approve=True)
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM cases_case")
        raw = json.dumps(cur.fetchall(), ensure_ascii=False, default=str)
        cur.execute("SELECT * FROM cases_referral")
        raw += json.dumps(cur.fetchall(), ensure_ascii=False, default=str)
        cur.execute("SELECT text FROM cases_caseevent")
        raw += json.dumps(cur.fetchall(), ensure_ascii=False)
    for clear in (REASON, OVERRIDE, NOTE, ANSWER):
        assert clear not in raw, clear
    audit_text = json.dumps([e.detail for e in AuditEntry.objects.all()], ensure_ascii=False)
    assert REASON not in audit_text and OVERRIDE not in audit_text
    detail = client(staff.worker).get(f"/api/v1/cases/{case.pk}").json()
    assert (detail["closure_reason"], detail["risk_override_reason"]) == (REASON, OVERRIDE)
    assert (detail["referrals"][0]["note"], detail["referrals"][0]["response"]) == (NOTE, ANSWER)
    page = client(staff.worker).get(f"/cases/{case.pk}/").content.decode()
    assert REASON in page and NOTE in page and ANSWER in page


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_seals_existing_rows_and_its_reverse_opens_them(staff, tree):
    from django.db.migrations.executor import MigrationExecutor

    case = open_case(staff, tree, consent_share=True)
    services.case_transition(actor=staff.worker, case=case, to="assessment")
    ref = services.referral_create(actor=staff.worker, case=case, agency=staff.police, note=NOTE)
    services.case_transition(actor=staff.worker, case=case, to="closed", outcome="resolved", reason=REASON)
    before, sealed = ("cases", "0004_hotline_call_operator_unknown"), ("cases", "0005_seal_reasons_and_referral_notes")
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        # when the migration is reversed, the clear columns come back with the values
        executor.migrate([before])
        with connection.cursor() as cur:
            cur.execute("SELECT closure_reason FROM cases_case WHERE id = %s", [case.pk])
            assert cur.fetchone()[0] == REASON
            cur.execute("SELECT note FROM cases_referral WHERE id = %s", [ref.pk])
            assert cur.fetchone()[0] == NOTE
            # an old timeline entry holding the reason in clear
            cur.execute("UPDATE cases_caseevent SET text = %s WHERE case_id = %s AND kind = 'status' "
                        "AND text LIKE %s", [f"状态：评估 → 已结案（已解决：{REASON}）", case.pk, "%已结案%"])
        # and forward again, they are sealed and the timeline forgets the reason
        executor = MigrationExecutor(connection)
        executor.migrate([sealed])
        with connection.cursor() as cur:
            cur.execute("SELECT closure_reason_enc FROM cases_case WHERE id = %s", [case.pk])
            assert REASON not in cur.fetchone()[0]
            cur.execute("SELECT text FROM cases_caseevent WHERE case_id = %s AND kind = 'status'", [case.pk])
            texts = [r[0] for r in cur.fetchall()]
        assert "状态：评估 → 已结案（已解决）" in texts and not any(REASON in t for t in texts)
    finally:
        MigrationExecutor(connection).migrate(leaves)
    assert Case.objects.get(pk=case.pk).closure_reason == REASON
    assert Referral.objects.get(pk=ref.pk).note == NOTE
