"""A need of the ledger becomes a case (cases.services.case_from_need, its page and POST /cases/from-need/{id}):
cases.handle only, consent recorded, the need referred in the same transaction, audited; refused ones write nothing."""

import json

import pytest
from django.test import Client

from niangjia.cases import services
from niangjia.cases.models import Case, ConsentRecord
from niangjia.core.errors import Forbidden, StaleVersion
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.core.pipeline import TransitionRefused
from niangjia.needs import services as needs
from niangjia.needs.models import Need
from niangjia.people.models import Person

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def need(staff, tree):
    return needs.need_register(actor=staff.cadre, unit=tree.east_village, category="rights", urgency="urgent",
                               channel="wechat", description="丈夫酒后打人，想离开又不敢", contact_name="孙丽",
                               contact_phone="13900004444")


def fields(staff, **kw):
    base = {"case_type": "domestic_violence", "narrative": "丈夫酒后打人", "worker": staff.worker,
            "supervisors": [staff.sup], "consent_store": True, "consent_share": False, "consent_contact": True,
            "name": "孙丽", "phone": "13900004444"}
    base.update(kw)
    return base


def test_a_case_worker_turns_a_need_into_a_case_and_the_need_is_referred_to_it(staff, tree, need):
    # when
    case, warnings = services.case_from_need(actor=staff.worker, need=need, need_version=need.version,
                                             **fields(staff))
    # then the case is opened at the need's place, online, linked to it, with her consents
    assert warnings == []
    assert (case.unit, case.channel, case.need_id, case.status) == (tree.east_village, "online", need.pk, "intake")
    assert sorted(ConsentRecord.objects.filter(case=case).values_list("kind", "given")) == [
        ("contact", True), ("share", False), ("store", True)]
    need.refresh_from_db()
    assert (need.status, need.referral_target) == ("referred", needs.CASE_TARGET)
    assert case.number not in need.referral_target
    assert AuditEntry.objects.get(action="case.from_need").detail == {"need": need.pk}
    assert AuditEntry.objects.get(action="need.refer").detail["case"] == case.pk
    assert list(case.events.values_list("kind", flat=True)) == ["open", "from_need"]
    rows = {(r.category, r.status): r.count for r in SummaryCount.objects.filter(metric="need") if r.count}
    assert rows == {("rights", "referred"): 1}


def test_the_need_names_her_and_the_case_links_to_that_person(staff, tree):
    from niangjia.people import services as people

    person = people.person_create(actor=staff.cadre, unit=tree.east, name="钱芳", phone="13900008888")
    need = needs.need_register(actor=staff.cadre, unit=tree.east, category="rights", urgency="normal",
                               channel="field_visit", description="婚内财产被转移", person=person)
    case, _ = services.case_from_need(actor=staff.worker, need=need, **fields(staff, name="", phone=""))
    assert (case.complainant_id, case.channel) == (person.pk, "walk_in")


@pytest.mark.parametrize("who", ["cadre", "hotline"])
def test_someone_without_cases_handle_is_refused_and_nothing_is_written(staff, tree, need, who):
    with pytest.raises(Forbidden):
        services.case_from_need(actor=getattr(staff, who), need=need, **fields(staff))
    need.refresh_from_db()
    assert need.status == "registered" and not Case.objects.exists()
    assert not Person.all_objects.filter(name="孙丽").exists()


def test_a_need_already_resolved_or_a_stale_version_leaves_no_case_behind(staff, tree, need):
    # a stale version: the case was written first, then the need's refer failed: all rolled back
    with pytest.raises(StaleVersion):
        services.case_from_need(actor=staff.worker, need=need, need_version=need.version + 3, **fields(staff))
    assert not Case.objects.exists() and not AuditEntry.objects.filter(action="case.open").exists()
    needs.need_close(actor=staff.cadre, need=need, version=need.version, reason="重复登记")
    need.refresh_from_db()
    with pytest.raises(TransitionRefused) as exc:
        services.case_from_need(actor=staff.worker, need=need, **fields(staff))
    assert exc.value.code == "invalid_transition" and "不能转介" in exc.value.message
    assert not Case.objects.exists()


def test_through_the_api_and_across_counties(staff, tree, need):
    body = {"case_type": "domestic_violence", "narrative": "酒后打人", "worker": staff.worker.pk,
            "consent_store": True, "name": "孙丽", "need_version": need.version}
    west = client_for(staff.west_worker).post(f"/api/v1/cases/from-need/{need.pk}", json.dumps(body),
                                              content_type="application/json")
    assert west.status_code == 404 and not Case.objects.exists()
    r = client_for(staff.worker).post(f"/api/v1/cases/from-need/{need.pk}", json.dumps(body),
                                      content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["case"]["need_id"] == need.pk
    assert Need.objects.get(pk=need.pk).status == "referred"


def test_the_need_page_offers_it_to_case_workers_and_the_form_opens_the_case(staff, tree, need):
    # the cadre handles needs but not cases: no button; the worker gets it
    assert 'data-testid="to-case"' not in client_for(staff.cadre).get(f"/needs/{need.pk}/").content.decode()
    c = client_for(staff.worker)
    assert 'data-testid="to-case"' in c.get(f"/needs/{need.pk}/").content.decode()
    # the form is prefilled with her words and her contact (that read is audited)
    page = c.get(f"/cases/from-need/{need.pk}/").content.decode()
    assert "丈夫酒后打人，想离开又不敢" in page and 'value="+8613900004444"' in page
    assert AuditEntry.objects.filter(action="reveal", target_id=str(need.pk)).count() == 1
    # a bad post names the field and writes nothing
    bad = c.post(f"/cases/from-need/{need.pk}/", {"case_type": "domestic_violence", "worker": staff.worker.pk,
                                                  "name": "孙丽", "version": need.version})
    assert bad.status_code == 400 and "情况陈述" in bad.content.decode() and not Case.objects.exists()
    r = c.post(f"/cases/from-need/{need.pk}/", {"case_type": "domestic_violence", "narrative": "酒后打人",
                                                "worker": staff.worker.pk, "name": "孙丽", "consent_store": "on",
                                                "version": need.version})
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert f'href="/needs/{need.pk}/"' in c.get(f"/cases/{case.pk}/").content.decode()
    assert client_for(staff.cadre).get(f"/cases/from-need/{need.pk}/").status_code == 403


def test_the_form_without_a_name_links_the_person_the_need_names(staff, tree):
    from niangjia.people import services as people

    # given a need told by a woman of the register
    person = people.person_create(actor=staff.cadre, unit=tree.east, name="钱芳", phone="13900008888")
    need = needs.need_register(actor=staff.cadre, unit=tree.east, category="rights", urgency="normal",
                               channel="walk_in", description="婚内财产被转移", person=person)
    # when the case worker opens the case from the need's page without typing a name
    r = client_for(staff.worker).post(f"/cases/from-need/{need.pk}/", {
        "case_type": "marriage_property", "narrative": "婚内财产被转移", "worker": staff.worker.pk, "name": "",
        "consent_store": "on", "version": need.version})
    # then the case is hers and no new person was written
    case = Case.objects.get()
    assert r.status_code == 302 and case.complainant_id == person.pk
    assert Person.all_objects.filter(name="钱芳").count() == 1
