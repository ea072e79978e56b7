"""Edits of a case after intake (type, narrative, contact details: those on the case only, versioned) and the
supervisor's reassignment that also names the supervisors, in the service, the API and the case page."""

import json

import pytest
from django.db import connection
from django.test import Client

from niangjia.cases import queries, services
from niangjia.core.errors import NotFound, StaleVersion
from niangjia.core.models import AuditEntry, SummaryCount
from tests.cases.conftest import ID_BAD, open_case

pytestmark = pytest.mark.django_db


def client(user):
    c = Client()
    c.force_login(user)
    return c


def by_type():
    return {(r.category, r.status): r.count for r in SummaryCount.objects.filter(metric="case") if r.count}


def test_the_worker_corrects_type_narrative_and_contact_and_the_audit_names_only_the_fields(staff, tree, case):
    # when
    updated, warnings = services.case_update(actor=staff.worker, case=case, version=case.version,
                                             case_type="marriage_property", narrative="对方转移共同财产",
                                             phone="13900002323", id_number=ID_BAD, address="")
    # then
    clear = queries.clear_fields(updated)
    assert (updated.case_type, updated.version) == ("marriage_property", 2)
    assert clear == {"narrative": "对方转移共同财产", "phone": "+8613900002323", "id_number": ID_BAD, "address": ""}
    assert updated.phone_mask == "139****2323" and updated.id_number_warning
    assert warnings and "校验位" in warnings[0]
    assert by_type() == {("marriage_property", "intake"): 1}
    entry = AuditEntry.objects.get(action="case.update")
    assert entry.detail["fields"] == ["case_type", "narrative", "phone", "id_number", "address"]
    assert "对方转移" not in json.dumps(entry.detail, ensure_ascii=False) and "2323" not in json.dumps(entry.detail)
    assert case.events.filter(kind="edit").count() == 1
    with connection.cursor() as cur:
        cur.execute("SELECT narrative_enc, phone_enc FROM cases_case")
        assert "对方转移" not in " ".join(cur.fetchone())


def test_someone_not_on_the_case_a_stale_version_or_a_closed_case_changes_nothing(staff, tree, case):
    with pytest.raises(NotFound):
        services.case_update(actor=staff.worker2, case=case, version=1, narrative="改")
    with pytest.raises(NotFound):
        services.case_update(actor=staff.hotline, case=case, version=1, narrative="改")
    with pytest.raises(StaleVersion):
        services.case_update(actor=staff.worker, case=case, version=9, narrative="改")
    services.case_transition(actor=staff.worker, case=case, to="closed", outcome="withdrawn", reason="当事人撤回")
    with pytest.raises(services.TransitionRefused):
        services.case_update(actor=staff.worker, case=case, version=case.version, narrative="改")
    case.refresh_from_db()
    assert queries.clear_fields(case)["narrative"] == "丈夫多次殴打，昨晚掐脖子"
    assert not AuditEntry.objects.filter(action="case.update").exists()


def test_edit_through_the_api(staff, tree, case):
    def patch(user, body):
        return client(user).patch(f"/api/v1/cases/{case.pk}", json.dumps(body), content_type="application/json")

    r = patch(staff.sup, {"version": 1, "case_type": "custody", "address": "东县城关镇"})
    assert r.status_code == 200 and r.json()["case"]["case_type"] == "custody" and r.json()["warnings"] == []
    assert patch(staff.worker, {"version": 1, "narrative": "x"}).status_code == 409
    assert patch(staff.worker, {"version": 2, "narrative": " "}).status_code == 400
    assert patch(staff.west_worker, {"version": 2, "narrative": "x"}).status_code == 404
    assert patch(staff.cadre, {"version": 2, "narrative": "x"}).status_code == 404
    assert client(staff.worker).get(f"/api/v1/cases/{case.pk}").json()["address"] == "东县城关镇"


def test_the_case_page_edits_and_reassigns_with_supervisors_after_confirmation(staff, tree, case):
    c = client(staff.worker)
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/edit/"' in page and 'value="13900001111"' in page
    r = c.post(f"/cases/{case.pk}/edit/", {"version": 1, "case_type": "domestic_violence", "narrative": "补充：有伤情鉴定",
                                          "phone": "13900001111", "id_number": "", "address": "东县东镇东村5组12号"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert queries.clear_fields(case)["narrative"] == "补充：有伤情鉴定"
    assert AuditEntry.objects.get(action="case.update").detail["fields"] == ["narrative", "id_number"]
    # the supervisor's reassignment form asks first and names the supervisors too
    s = client(staff.sup)
    page = s.get(f"/cases/{case.pk}/").content.decode()
    assert "确定改派？" in page and f'value="{staff.sup2.pk}"' in page
    case.refresh_from_db()
    r = s.post(f"/cases/{case.pk}/reassign/", {"worker": staff.worker2.pk, "supervisors_given": "1",
                                              "supervisors": [staff.sup2.pk], "version": case.version})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.worker == staff.worker2 and list(case.supervisors.all()) == [staff.sup2]
    assert not queries.knows(staff.sup, case) and queries.knows(staff.sup2, case)
    assert r["Location"] == "/cases/"


def test_the_edit_form_shows_a_landline_with_its_trunk_zero(staff, tree):
    # given a woman who gave her Hangzhou landline
    case = open_case(staff, tree, phone="0571-12345678")
    # then the edit form offers it as typed, so saving it unchanged keeps the same number
    page = client(staff.worker).get(f"/cases/{case.pk}/").content.decode()
    assert 'value="057112345678"' in page
