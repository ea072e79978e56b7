"""Leaders and statisticians browse their subtree's stays, diaries, reports and proposals; owners
edit them on their detail pages; lists filter by unit, person, dates and status."""

from datetime import date

import pytest

from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Diary, Proposal, ResearchReport
from niangjia.needs.models import Need
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(tree, personas, fw_people):
    """东县干部 and 西县干部 each wrote a diary, a report and a proposal; 东村执委 wrote a diary."""
    out = {}
    for who, user, person, unit in (("east", personas.east, fw_people.east, tree.east_village),
                                    ("west", personas.west, fw_people.west, tree.west)):
        out[who] = {
            "diary": fw.diary_write(actor=user, person=person, place=unit, date=days_ago(3), title=f"{who}日记",
                                    text="走访", women_met=4),
            "report": fw.report_file(actor=user, person=person, date=days_ago(3), title=f"{who}报告", topic="就业"),
            "proposal": fw.proposal_file(actor=user, person=person, date=days_ago(3), title=f"{who}建议",
                                         text="内容", addressed_to="县政府"),
        }
    out["village"] = fw.diary_write(actor=personas.village, person=fw_people.village, place=tree.east_village,
                                    date=days_ago(40), title="村里日记", text="听到", women_met=2)
    return out


@pytest.mark.parametrize("path, east_title", [("diaries", "east日记"), ("reports", "east报告"),
                                              ("proposals", "east建议")])
def test_a_statistician_sees_her_subtree_without_a_unit_param(client, personas, work, path, east_title):
    # given huzhou_stats-like statistician of 东县 (no person record)
    client.force_login(personas.statistician)
    # when she opens the list
    page = client.get(f"/fieldwork/{path}/").content.decode()
    # then her subtree's records are there, the other county's are not
    assert east_title in page and east_title.replace("east", "west") not in page


def test_the_unit_picker_narrows_to_a_deeper_unit(client, tree, personas, work):
    client.force_login(personas.province)
    page = client.get(f"/fieldwork/diaries/?unit={tree.east_village.pk}").content.decode()
    assert "村里日记" in page and "east日记" not in page
    assert f'<option value="{tree.east_village.pk}" selected>' in page
    assert client.get(f"/fieldwork/diaries/?unit={tree.west.pk}").status_code == 200
    client.force_login(personas.east)
    assert client.get(f"/fieldwork/diaries/?unit={tree.west.pk}").status_code == 404


def test_person_and_date_filters(client, tree, personas, work):
    client.force_login(personas.province)
    page = client.get("/fieldwork/diaries/", {"person_q": "东村"}).content.decode()
    assert "村里日记" in page and "east日记" not in page
    page = client.get("/fieldwork/diaries/", {"from": days_ago(10).isoformat(), "to": date.today().isoformat()}
                      ).content.decode()
    assert "east日记" in page and "west日记" in page and "村里日记" not in page


def test_proposals_filter_by_status(client, personas, work):
    p = work["east"]["proposal"]
    fw.proposal_set_status(actor=personas.east, proposal=p, version=p.version, status="adopted")
    client.force_login(personas.province)
    page = client.get("/fieldwork/proposals/", {"status": "adopted"}).content.decode()
    assert "east建议" in page and "west建议" not in page


def test_only_mine_for_a_leader_and_own_only_for_a_member(client, personas, work):
    client.force_login(personas.east)
    page = client.get("/fieldwork/diaries/", {"mine": "1"}).content.decode()
    assert "east日记" in page and "村里日记" not in page
    client.force_login(personas.village)  # executive: fieldwork.record only
    page = client.get("/fieldwork/diaries/").content.decode()
    assert "村里日记" in page and "east日记" not in page and 'name="unit"' not in page


def test_a_leader_opens_a_diary_in_her_subtree_but_cannot_edit_it(client, personas, work):
    diary = work["village"]
    client.force_login(personas.statistician)
    r = client.get(f"/fieldwork/diaries/{diary.pk}/")
    assert r.status_code == 200 and "听到" in r.content.decode()
    assert "修改日记" not in r.content.decode() and "补充登记需求" not in r.content.decode()
    r = client.post(f"/fieldwork/diaries/{diary.pk}/", {"action": "save", "title": "改", "text": "改",
                                                        "date": days_ago(1), "women_met": 1})
    assert r.status_code == 404
    assert Diary.objects.get(pk=diary.pk).title == "村里日记"
    client.force_login(personas.west)
    assert client.get(f"/fieldwork/diaries/{diary.pk}/").status_code == 404


def test_write_diary_is_not_offered_to_a_viewer(client, personas, work):
    client.force_login(personas.statistician)
    assert "/fieldwork/diaries/new/" not in client.get("/fieldwork/diaries/").content.decode()
    client.force_login(personas.village)
    assert "/fieldwork/diaries/new/" in client.get("/fieldwork/diaries/").content.decode()


def test_the_owner_corrects_her_diary_and_adds_needs_later(client, tree, personas, fw_people, work):
    diary = work["village"]
    client.force_login(personas.village)
    r = client.post(f"/fieldwork/diaries/{diary.pk}/", {
        "action": "save", "place": tree.east_village.pk, "date": days_ago(39), "title": "村里日记（改）",
        "text": "补写", "women_met": 5, "version": diary.version})
    assert r.status_code == 302
    diary.refresh_from_db()
    assert (diary.title, diary.women_met, diary.date, diary.version) == ("村里日记（改）", 5, days_ago(39), 2)
    r = client.post(f"/fieldwork/diaries/{diary.pk}/", {"action": "needs", "need-1-category": "employment",
                                                        "need-1-urgency": "normal", "need-1-description": "想学电商"})
    assert r.status_code == 302
    need = Need.objects.get()
    assert (need.description, need.unit_id) == ("想学电商", tree.east_village.pk)
    assert "想学电商" in client.get(f"/fieldwork/diaries/{diary.pk}/").content.decode()


def test_a_need_row_without_a_category_is_refused_on_the_detail_page(client, personas, work):
    diary = work["village"]
    client.force_login(personas.village)
    r = client.post(f"/fieldwork/diaries/{diary.pk}/", {"action": "needs", "need-1-description": "x"})
    assert r.status_code == 400 and "第 1 条需求：请选择类别" in r.content.decode()
    assert not Need.objects.exists()


def test_report_and_proposal_detail_pages_edit(client, personas, work):
    report, proposal = work["east"]["report"], work["east"]["proposal"]
    client.force_login(personas.east)
    r = client.post(f"/fieldwork/reports/{report.pk}/", {"date": days_ago(2), "title": "就业调研（定稿）",
                                                         "topic": "就业", "summary": "摘要", "version": report.version})
    assert r.status_code == 302 and r["Location"] == f"/fieldwork/reports/{report.pk}/"
    assert ResearchReport.objects.get(pk=report.pk).title == "就业调研（定稿）"
    r = client.post(f"/fieldwork/proposals/{proposal.pk}/", {"action": "save", "date": days_ago(2), "title": "建议（改）",
                                                             "addressed_to": "县人大", "text": "新内容",
                                                             "version": proposal.version})
    assert r.status_code == 302 and r["Location"] == f"/fieldwork/proposals/{proposal.pk}/"
    assert Proposal.objects.get(pk=proposal.pk).addressed_to == "县人大"
    r = client.post(f"/fieldwork/proposals/{proposal.pk}/", {"action": "status", "status": "responded",
                                                             "version": proposal.version + 1})
    assert Proposal.objects.get(pk=proposal.pk).status == "responded"
    # a stale version is refused and changes nothing
    r = client.post(f"/fieldwork/reports/{report.pk}/", {"date": days_ago(2), "title": "旧", "topic": "就业",
                                                         "version": report.version})
    assert r.status_code == 409 and ResearchReport.objects.get(pk=report.pk).title == "就业调研（定稿）"


def test_the_unit_page_links_to_the_lists_and_unit_root_keeps_filters(client, tree, personas, work):
    client.force_login(personas.east)
    year = date.today().year
    page = client.get(f"/fieldwork/unit/{tree.east.pk}/").content.decode()
    assert f'href="/fieldwork/diaries/?unit={tree.east.pk}&amp;from={year}-01-01&amp;to={year}-12-31"' in page
    r = client.get("/fieldwork/unit/", {"year": 2024, "status": "broken"})
    assert r.status_code == 302 and r["Location"] == f"/fieldwork/unit/{tree.east.pk}/?year=2024&status=broken"


def test_stays_filter_by_person_and_dates(client, tree, personas, fw_people):
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(30),
                end=days_ago(28))
    fw.stay_log(actor=personas.township, person=fw_people.township, place=tree.east_village, start=days_ago(5),
                end=days_ago(4))
    client.force_login(personas.east)
    page = client.get("/fieldwork/stays/", {"person_q": "东镇"}).content.decode()
    assert "东镇干部" in page and "东县干部" not in page
    page = client.get("/fieldwork/stays/", {"from": days_ago(10).isoformat()}).content.decode()
    assert "东镇干部" in page and "东县干部" not in page


def test_the_api_edits_diaries_reports_and_proposals_and_filters_lists(client, personas, fw_people, work):
    diary, report, proposal = work["village"], work["east"]["report"], work["east"]["proposal"]
    client.force_login(personas.village)
    r = client.patch(f"/api/v1/fieldwork/diaries/{diary.pk}", {"version": diary.version, "women_met": 9},
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["women_met"] == 9
    r = client.post(f"/api/v1/fieldwork/diaries/{diary.pk}/needs",
                    {"needs": [{"category": "employment", "description": "技能培训"}]}, content_type="application/json")
    assert r.status_code == 201 and [n["description"] for n in r.json()["needs"]] == ["技能培训"]
    client.force_login(personas.east)
    r = client.patch(f"/api/v1/fieldwork/reports/{report.pk}", {"version": report.version, "title": "定稿"},
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["title"] == "定稿"
    r = client.patch(f"/api/v1/fieldwork/proposals/{proposal.pk}", {"version": 99, "title": "x"},
                     content_type="application/json")
    assert r.status_code == 409 and Proposal.objects.get(pk=proposal.pk).title == "east建议"
    r = client.get("/api/v1/fieldwork/diaries", {"person_q": "东村", "start": days_ago(60).isoformat()})
    assert [d["title"] for d in r.json()["items"]] == ["村里日记"]
    client.force_login(personas.west)
    assert client.patch(f"/api/v1/fieldwork/reports/{report.pk}", {"version": 2, "title": "x"},
                        content_type="application/json").status_code == 404


def test_the_standings_table_sorts_broken_first_and_by_name(client, tree, personas, fw_people, adopted):
    # given 东县干部 with a done window and 东镇干部 with none, in a past year (closed windows are broken)
    last = date.today().year - 1
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=date(last, 1, 5),
                end=date(last, 1, 9))
    client.force_login(personas.province)
    url = f"/fieldwork/unit/{tree.province.pk}/"
    by_name = client.get(url, {"year": last, "rule": adopted.cadres.rule.pk, "sort": "name"}).content.decode()
    by_status = client.get(url, {"year": last, "rule": adopted.cadres.rule.pk, "sort": "status"}).content.decode()
    # then by name 东县 (dongxian) comes before 东镇 (dongzhen); all broken for the year, both listed
    assert by_name.index("东县干部") < by_name.index("东镇干部")
    assert "东县干部" in by_status and '<option value="status" selected>' in by_status
    r = client.get(f"/api/v1/fieldwork/standing/unit/{tree.province.pk}", {"year": last, "sort": "unit"})
    assert r.status_code == 200 and r.json()["items"]


def test_the_status_sort_puts_the_broken_before_the_met(client, tree, personas, fw_people, adopted):
    # given 东县干部 with a five-day work week in every two-month window of last year (met), 东镇干部 with none
    last = date.today().year - 1
    for month in (1, 3, 5, 7, 9, 11):
        fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=date(last, month, 10),
                    end=date(last, month, 14))
    params = {"year": last, "rule": adopted.cadres.rule.pk}
    client.force_login(personas.province)
    api = client.get(f"/api/v1/fieldwork/standing/unit/{tree.east.pk}", params).json()["items"]
    assert {(i["person"]["name"], i["standing"]["status"]) for i in api} == {("东县干部", "met"), ("东镇干部", "broken")}
    url = f"/fieldwork/unit/{tree.east.pk}/"
    # when the table is sorted by name, then by state
    by_name = client.get(url, {**params, "sort": "name"}).content.decode()
    by_status = client.get(url, {**params, "sort": "status"}).content.decode()
    # then 东县 (dongxian) leads by name, and 东镇干部 (broken) leads by state
    assert by_name.index("东县干部") < by_name.index("东镇干部")
    assert by_status.index("东镇干部") < by_status.index("东县干部")
    api = client.get(f"/api/v1/fieldwork/standing/unit/{tree.east.pk}", {**params, "sort": "status"}).json()["items"]
    assert [i["person"]["name"] for i in api] == ["东镇干部", "东县干部"]


def test_standing_chips_say_their_state_in_words(client, tree, personas, fw_people, adopted):
    import re

    last = date.today().year - 1
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=date(last, 3, 2),
                end=date(last, 3, 8))
    client.force_login(personas.east)
    page = client.get("/fieldwork/", {"year": last}).content.decode()
    chips = re.findall(r'data-testid="chip">([^<]*)<', page)
    assert "3–4月：已完成" in chips and "1–2月：缺" in chips
    assert "✓" not in page and "✗" not in page
    client.force_login(personas.province)
    table = client.get(f"/fieldwork/unit/{tree.east.pk}/", {"year": last}).content.decode()
    assert "3–4月：已完成" in re.findall(r'data-testid="chip">([^<]*)<', table)
