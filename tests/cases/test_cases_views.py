"""The case screens: the one-screen call form, opening a case, actions on a case, lists and exports."""

from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from niangjia.cases import intake, services
from niangjia.cases.models import Case, HotlineCall, Referral
from niangjia.core.models import AuditEntry
from niangjia.needs.models import Need
from tests.cases.conftest import ID_BAD

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def call(staff, tree):
    c, _ = intake.call_receive(actor=staff.hotline, call_id="V-1", started_at=timezone.now(), caller="13900004444",
                               duration_seconds=300, operator="hotline", notes="来电称丈夫威胁要杀她")
    return c


CASE_FORM = {"what": "case", "case_type": "domestic_violence", "narrative": "丈夫威胁要杀她", "name": "吴秀兰",
             "q_threat_to_kill": "on", "consent_store": "on", "consent_contact": "on"}


def test_the_call_screen_reveals_the_number_audited_and_opens_a_case(staff, tree, call):
    c = client(staff.hotline)
    page = c.get(f"/cases/hotline/{call.pk}/")
    assert page.status_code == 200 and "+8613900004444" in page.content.decode()
    assert AuditEntry.objects.filter(action="reveal", target_id=str(call.pk)).count() == 1
    r = c.post(f"/cases/hotline/{call.pk}/", {**CASE_FORM, "worker": staff.worker.pk, "supervisors": [staff.sup.pk],
                                             "id_number": ID_BAD, "version": call.version})
    assert r.status_code == 302 and r.url == "/cases/hotline/"
    case = Case.objects.get()
    assert (case.channel, case.risk_level, case.worker, case.phone_mask) == ("hotline", "high", staff.worker,
                                                                            "139****4444")
    assert HotlineCall.objects.get().case == case
    msgs = [str(m) for m in c.get("/cases/hotline/").context["messages"]]
    assert any("校验位" in m for m in msgs) and any(case.number in m for m in msgs)


def test_the_call_screen_registers_a_need_or_nothing(staff, tree, call):
    c = client(staff.hotline)
    r = c.post(f"/cases/hotline/{call.pk}/", {"what": "need", "need_category": "legal", "need_urgency": "urgent",
                                             "need_description": "咨询离婚", "version": call.version})
    assert r.status_code == 302
    need = Need.objects.get()
    assert (need.urgency, need.source_id) == ("urgent", call.pk)
    other, _ = intake.call_receive(actor=staff.hotline, call_id="V-2", started_at=timezone.now(), caller="",
                                   duration_seconds=3, operator="hotline")
    missing = c.post(f"/cases/hotline/{other.pk}/", {"what": "none", "dismiss_reason": "", "version": other.version})
    assert missing.status_code == 400 and "请写明原因" in missing.content.decode()
    assert c.post(f"/cases/hotline/{other.pk}/", {"what": "none", "dismiss_reason": "打错电话",
                                                  "version": other.version}).status_code == 302
    assert HotlineCall.objects.get(pk=other.pk).status == "no_action"


def test_a_bad_case_form_names_the_field_and_writes_nothing(staff, tree, call):
    r = client(staff.hotline).post(f"/cases/hotline/{call.pk}/", {**CASE_FORM, "narrative": "", "worker": staff.worker.pk,
                                                                  "risk_level": "low"})
    assert r.status_code == 400
    assert not Case.objects.exists() and HotlineCall.objects.get().status == "new"


def test_a_walk_in_case_by_the_worker_lands_on_its_page(staff, tree):
    c = client(staff.worker)
    assert c.get("/cases/new/").status_code == 200
    r = c.post("/cases/new/", {**CASE_FORM, "unit": tree.east.pk, "channel": "walk_in", "worker": staff.worker.pk,
                               "phone": "13900005555"})
    case = Case.objects.get()
    assert r.status_code == 302 and r.url == f"/cases/{case.pk}/"


def test_actions_on_the_case_page(staff, tree, case):
    c = client(staff.worker)

    def v():  # the version the case page shows (each action moves it on)
        return Case.objects.get(pk=case.pk).version

    assert c.post(f"/cases/{case.pk}/move/", {"to": "assessment", "version": v()}).status_code == 302
    refused = c.post(f"/cases/{case.pk}/refer/", {"agency": staff.police.pk}, follow=True)
    assert "同意" in refused.content.decode() and not Referral.objects.exists()
    c.post(f"/cases/{case.pk}/consent/", {"kind": "share", "given": "1"})
    c.post(f"/cases/{case.pk}/refer/", {"agency": staff.police.pk, "note": "请出警"})
    ref = Referral.objects.get()
    c.post(f"/cases/{case.pk}/referral/", {"referral": ref.pk, "to": "accepted", "response": "已出警",
                                           "version": ref.version})
    c.post(f"/cases/{case.pk}/follow/", {"method": "visit", "note": "上门看望"})
    bad = c.post(f"/cases/{case.pk}/close/", {"outcome": "resolved", "reason": "", "version": v()}, follow=True)
    assert "结案理由" in bad.content.decode() and Case.objects.get().status == "referred"
    c.post(f"/cases/{case.pk}/close/", {"outcome": "resolved", "reason": "已获保护令", "satisfaction": "5",
                                        "version": v()})
    case = Case.objects.get()
    assert (case.status, case.satisfaction, Referral.objects.get().status) == ("closed", 5, "accepted")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "已获保护令" in page and "结案</button>" not in page and "转为" not in page


def test_the_close_and_override_forms_ask_for_confirmation(staff, tree, case):
    client(staff.worker).post(f"/cases/{case.pk}/move/", {"to": "assessment", "version": case.version})
    page = client(staff.sup).get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/close/"' in page and "确定结案" in page
    assert f'action="/cases/{case.pk}/override/"' in page and "确定记录紧急共享" in page
    assert "确定记录紧急共享" not in client(staff.worker).get(f"/cases/{case.pk}/").content.decode()


def test_an_outsider_posting_an_action_gets_404(staff, tree, case):
    r = client(staff.cadre).post(f"/cases/{case.pk}/follow/", {"method": "phone", "note": "x"})
    assert r.status_code == 404 and case.follow_ups.count() == 0


def test_my_cases_list_filters_and_exports(staff, tree, case):
    c = client(staff.worker)
    page = c.get("/cases/?risk=high").content.decode()
    assert case.number not in page
    assert case.number in c.get("/cases/?risk=low").content.decode()
    r = c.get("/cases/?export=xlsx")
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "案号" and rows[1][0] == case.number and rows[1][6] == "139****1111"


def test_the_hotline_list_shows_new_calls_first_and_exports(staff, tree, call):
    c = client(staff.hotline)
    page = c.get("/cases/hotline/")
    assert page.status_code == 200 and "139****4444" in page.content.decode()
    r = c.get("/cases/hotline/?export=xlsx")
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "V-1" and "13900004444" not in str(rows)
    assert client(staff.worker).get("/cases/hotline/").status_code == 403


def test_the_home_panel_shows_the_workers_open_cases_and_the_operators_new_calls(staff, tree, case, call):
    assert case.number in client(staff.worker).get("/").content.decode()
    assert 'data-testid="home-new-calls">1<' in client(staff.hotline).get("/").content.decode()


def test_an_export_of_case_rows_is_audited(staff, tree, case):
    client(staff.worker).get("/cases/?export=xlsx")
    entry = AuditEntry.objects.get(action="case.export")
    assert entry.actor == staff.worker and entry.detail["cases"] == [case.pk]


def test_the_assigned_worker_is_told_of_a_new_case_from_a_call(staff, tree, call):
    from niangjia.core.models import Notification

    client(staff.hotline).post(f"/cases/hotline/{call.pk}/", {**CASE_FORM, "worker": staff.worker.pk,
                                                             "version": call.version})
    note = Notification.objects.get(kind="case.assigned")
    assert note.recipient == staff.worker and note.link == f"/cases/{Case.objects.get().pk}/"


def test_an_unassigned_call_is_flagged_in_the_list_and_assigned_from_its_page(staff, tree, call):
    # given a call whose operator the telephony system named wrongly
    ghost, _ = intake.call_receive(actor=staff.hotline, call_id="V-9", started_at=timezone.now(), caller="",
                                   duration_seconds=20, operator="zhang.san", notes="")
    c = client(staff.hotline)
    page = c.get("/cases/hotline/").content.decode()
    assert 'data-testid="unassigned"' in page and "zhang.san" in page
    only = c.get("/cases/hotline/", {"operator": "none"}).content.decode()
    assert only.count('data-testid="call-row"') == 1 and "V-9" in only and "V-1" not in only
    # when an operator assigns it from its page
    assert "分派给…" in c.get(f"/cases/hotline/{ghost.pk}/").content.decode()
    r = c.post(f"/cases/hotline/{ghost.pk}/assign/", {"operator": staff.hotline.pk, "version": ghost.version})
    # then
    assert r.status_code == 302
    ghost.refresh_from_db()
    assert ghost.operator == staff.hotline
    assert 'data-testid="unassigned"' not in c.get("/cases/hotline/").content.decode()
    rows = list(load_workbook(BytesIO(c.get("/cases/hotline/", {"has_case": "0", "export": "xlsx"}).content),
                              read_only=True).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["V-1", "V-9"]


def test_a_declined_referral_and_a_call_needing_nothing_ask_for_confirmation(staff, tree, case, call):
    services.consent_set(actor=staff.worker, case=case, kind="share", given=True)
    services.case_transition(actor=staff.worker, case=case, to="assessment")
    services.referral_create(actor=staff.worker, case=case, agency=staff.police)
    page = client(staff.worker).get(f"/cases/{case.pk}/").content.decode()
    declined = page.split('value="declined"')[0].rsplit("<form", 1)[1]
    accepted = page.split('value="accepted"')[0].rsplit("<form", 1)[1]
    assert 'data-confirm="确定记录东县公安局已拒绝这次转介？' in declined and "data-confirm" not in accepted
    call_page = client(staff.hotline).get(f"/cases/hotline/{call.pk}/").content.decode()
    assert 'data-confirm-none="确定标记为“无需处理”？' in call_page
