"""Evidence linked to the member's own report, proposal or diary; a report or proposal filed in
fieldwork is recorded on her checklist's matching item, so she does not enter it twice."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from niangjia.core.errors import NotFound
from niangjia.duties import services
from niangjia.duties.models import Evidence
from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Proposal, ResearchReport

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_evidence_links_her_own_report_and_takes_its_title(tree, personas, duty):
    report = fw.report_file(actor=duty.exec_a, person=duty.a_person, date=_today(), title="留守妇女就业调研",
                            topic="就业")
    ev = services.evidence_record(actor=duty.exec_a, assignment=duty.a, item=duty.items["research_report"],
                                  what="完成调研", day=_today(), link_type="report", link_id=report.pk)
    assert (ev.link_type, ev.link_id, ev.link_text) == ("report", report.pk, "留守妇女就业调研")


def test_a_link_to_someone_elses_or_a_missing_record_is_refused(tree, personas, duty):
    theirs = fw.report_file(actor=duty.exec_b, person=duty.b_person, date=_today(), title="乙的报告", topic="x")
    for link_id in (theirs.pk, 999999):
        with pytest.raises(NotFound):
            services.evidence_record(actor=duty.exec_a, assignment=duty.a, item=duty.items["research_report"],
                                     what="调研", day=_today(), link_type="report", link_id=link_id)
    assert not Evidence.objects.exists()


def test_the_api_refuses_an_id_for_a_free_text_link(tree, personas, duty, client):
    client.force_login(duty.exec_a)
    r = client.post(f"/api/v1/duties/assignments/{duty.a.pk}/evidence",
                    {"item": duty.items["other"].pk if "other" in duty.items else duty.items["proposal"].pk,
                     "what": "x", "link_type": "other", "link_id": 5})
    assert r.status_code == 400 and "link_id" in r.json()["error"]["fields"]
    assert not Evidence.objects.exists()


def test_the_record_form_offers_her_works_and_saves_the_pick(tree, personas, duty, client):
    report = fw.report_file(actor=duty.exec_a, person=duty.a_person, date=_today(), title="妇女之家调研", topic="x")
    fw.report_file(actor=duty.exec_b, person=duty.b_person, date=_today(), title="乙的报告", topic="x")
    client.force_login(duty.exec_a)
    url = f"/duties/a/{duty.a.pk}/items/{duty.items['research_report'].pk}/record/"
    form = client.get(url).content.decode()
    assert f'value="report:{report.pk}"' in form and "妇女之家调研" in form and "乙的报告" not in form
    r = client.post(url, {"what": "调研报告已完成", "day": _today().isoformat(), "link_pick": f"report:{report.pk}"})
    assert r.status_code == 302
    ev = Evidence.objects.get()
    assert (ev.link_type, ev.link_id, ev.link_text) == ("report", report.pk, "妇女之家调研")
    page = client.get(f"/duties/a/{duty.a.pk}/").content.decode()
    assert f'href="/fieldwork/reports/{report.pk}/"' in page


def test_filing_a_report_in_fieldwork_records_it_on_her_checklist(tree, personas, duty, client):
    # given 执委甲's checklist with a 调研报告 item
    client.force_login(duty.exec_a)
    # when she files a report with the box ticked
    r = client.post("/fieldwork/reports/", {"date": _today().isoformat(), "title": "电商就业调研", "topic": "就业",
                                            "record_duty": "on"}, follow=True)
    # then the report and one evidence row linked to it exist; her progress moved
    report = ResearchReport.objects.get()
    ev = Evidence.objects.get()
    assert (ev.item_id, ev.link_type, ev.link_id, ev.what) == (duty.items["research_report"].pk, "report", report.pk,
                                                                "电商就业调研")
    assert "并记入履职清单" in r.content.decode()
    duty.a.refresh_from_db()
    assert duty.a.evidence_count == 1


def test_without_the_box_or_a_checklist_nothing_is_recorded_twice(tree, personas, duty, client):
    client.force_login(duty.exec_a)
    client.post("/fieldwork/proposals/", {"date": _today().isoformat(), "title": "建议", "addressed_to": "县政府",
                                          "text": "内容"})
    assert Proposal.objects.count() == 1 and not Evidence.objects.exists()
    # a report of another year has no checklist to go to
    last_year = date(_today().year - 1, 6, 1)
    r = fw.report_file(actor=duty.exec_a, person=duty.a_person, date=last_year, title="旧", topic="x",
                       record_duty=True)
    assert r.duty_evidence is None and not Evidence.objects.exists()


def test_the_api_files_a_proposal_onto_the_checklist(tree, personas, duty, client):
    client.force_login(duty.exec_a)
    r = client.post("/api/v1/fieldwork/proposals", {"date": _today().isoformat(), "title": "关于托育的建议",
                                                     "text": "内容", "addressed_to": "县政府", "record_duty": True},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    ev = Evidence.objects.get()
    assert r.json()["duty_evidence_id"] == ev.pk and ev.item_id == duty.items["proposal"].pk


def test_work_of_today_counts_but_not_of_tomorrow(tree, personas, duty):
    # given 执委甲's report; when it is recorded on her checklist as of today, and as of tomorrow
    report = fw.report_file(actor=duty.exec_a, person=duty.a_person, date=_today(), title="调研", topic="x")
    args = {"actor": duty.exec_a, "person": duty.a_person, "link_type": "report", "link_id": report.pk, "what": "调研"}
    tomorrow = services.evidence_from_work(**args, day=_today() + timedelta(days=1))
    today = services.evidence_from_work(**args, day=_today())
    # then only today's is recorded
    assert tomorrow is None and today is not None and Evidence.objects.get() == today


def test_a_cancelled_checklist_or_someone_elses_filing_records_nothing(tree, personas, duty):
    # given 执委甲's checklist cancelled by the county
    services.assignment_cancel(actor=personas.east, assignment=duty.a, version=duty.a.version)
    # when she files a report with the box ticked, and 执委乙's is filed by 执委甲's account
    mine = fw.report_file(actor=duty.exec_a, person=duty.a_person, date=_today(), title="调研", topic="x",
                          record_duty=True)
    theirs = services.evidence_from_work(actor=duty.exec_a, person=duty.b_person, link_type="report",
                                         link_id=mine.pk, what="调研", day=_today())
    # then no evidence is written anywhere
    assert (mine.duty_evidence, theirs) == (None, None) and not Evidence.objects.exists()


@pytest.mark.parametrize("link_type, link_id, url", [
    ("report", 7, "/fieldwork/reports/7/"), ("proposal", 7, "/fieldwork/proposals/7/"),
    ("diary", 7, "/fieldwork/diaries/7/"), ("report", None, ""), ("other", None, ""), ("", None, "")])
def test_a_linked_work_points_to_its_fieldwork_page(link_type, link_id, url):
    assert Evidence(link_type=link_type, link_id=link_id).link_url == url
