"""Field-work pages: standing cards, quick stay form, diaries with needs, leaders' tables, rules."""

from datetime import date

import pytest

from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import Diary, FieldStay, RuleAdoption
from niangjia.needs.models import Need
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_my_page_shows_standing_cards_and_logs_a_stay(client, tree, personas, fw_people, adopted):
    client.force_login(personas.east)
    page = client.get("/fieldwork/").content.decode()
    assert "机关干部双月下基层工作周" in page and "1–2月" in page
    r = client.post("/fieldwork/", {"place": tree.east.pk, "start": days_ago(3), "end": days_ago(1), "kind": "stay",
                                    "mode": "log"})
    assert r.status_code == 302
    assert FieldStay.objects.get().days == 3


def test_the_stay_form_finds_a_deeper_place_by_search(client, tree, personas, fw_people):
    client.force_login(personas.east)
    r = client.post("/fieldwork/", {"place_q": "东二村", "start": days_ago(2), "end": days_ago(1), "kind": "stay",
                                    "mode": "log"})
    assert r.status_code == 302
    assert FieldStay.objects.get().place == tree.east_village2


def test_an_overlap_is_shown_on_the_form_and_nothing_is_written(client, tree, personas, fw_people):
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(5), end=days_ago(2))
    client.force_login(personas.east)
    r = client.post("/fieldwork/", {"place": tree.east.pk, "start": days_ago(3), "end": days_ago(1), "kind": "stay",
                                    "mode": "log"})
    assert r.status_code == 400
    assert "重叠" in r.content.decode()
    assert FieldStay.objects.count() == 1


def test_a_user_without_a_person_is_told_why(client, tree, personas):
    client.force_login(personas.east)
    assert "尚未关联人员档案" in client.get("/fieldwork/").content.decode()


def test_stay_edit_and_cancel(client, tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(5),
                       end=days_ago(2))
    client.force_login(personas.east)
    r = client.post(f"/fieldwork/stays/{stay.pk}/", {"place": tree.east_village.pk, "start": days_ago(5),
                                                     "end": days_ago(4), "kind": "stay", "version": stay.version,
                                                     "action": "save"})
    assert r.status_code == 302
    assert FieldStay.objects.get().days == 2
    page = client.get(f"/fieldwork/stays/{stay.pk}/").content.decode()
    assert "data-confirm" in page
    client.post(f"/fieldwork/stays/{stay.pk}/", {"action": "cancel", "version": 2})
    assert FieldStay.objects.get().status == "cancelled"


def test_east_gets_404_for_wests_stay_page(client, tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.west, person=fw_people.west, place=tree.west_village, start=days_ago(2),
                       end=days_ago(1))
    client.force_login(personas.east)
    assert client.get(f"/fieldwork/stays/{stay.pk}/").status_code == 404
    assert client.post(f"/fieldwork/stays/{stay.pk}/", {"action": "cancel", "version": 1}).status_code == 404
    assert FieldStay.objects.get().status == "done"


def test_diary_form_with_inline_needs(client, tree, personas, fw_people):
    client.force_login(personas.village)
    assert client.get("/fieldwork/diaries/new/").status_code == 200
    r = client.post("/fieldwork/diaries/new/", {
        "place": tree.east_village.pk, "date": days_ago(1), "title": "东村夜访", "text": "听取妇女意见", "women_met": 6,
        "need-1-category": "employment", "need-1-urgency": "normal", "need-1-description": "想学电商",
        "need-2-category": "", "need-2-urgency": "normal", "need-2-description": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    diary = Diary.objects.get()
    page = client.get(f"/fieldwork/diaries/{diary.pk}/").content.decode()
    assert "想学电商" in page and "已登记" in page


def test_a_need_row_without_category_is_refused_with_its_number(client, tree, personas, fw_people):
    client.force_login(personas.village)
    r = client.post("/fieldwork/diaries/new/", {
        "place": tree.east_village.pk, "date": days_ago(1), "title": "东村夜访", "text": "内容", "women_met": 0,
        "need-1-category": "", "need-1-urgency": "normal", "need-1-description": "没有类别"})
    assert r.status_code == 400
    assert "第 1 条需求" in r.content.decode()
    assert not Diary.objects.exists() and not Need.objects.exists()


def test_reports_and_proposals_pages(client, tree, personas, fw_people):
    client.force_login(personas.east)
    r = client.post("/fieldwork/reports/", {"date": days_ago(1), "title": "就业调研", "topic": "留守妇女就业"})
    assert r.status_code == 302
    assert "就业调研" in client.get("/fieldwork/reports/").content.decode()
    r = client.post("/fieldwork/proposals/", {"date": days_ago(1), "title": "建议一", "addressed_to": "县政府",
                                              "text": "内容"})
    assert r.status_code == 302
    assert "建议一" in client.get("/fieldwork/proposals/").content.decode()
    assert client.get("/fieldwork/reports/?export=xlsx")["Content-Type"] == XLSX


def test_leaders_table_filters_and_exports(client, tree, personas, fw_people, adopted):
    last = date.today().year - 1
    client.force_login(personas.province)
    page = client.get(f"/fieldwork/unit/{tree.province.pk}/?year={last}&status=broken").content.decode()
    assert "东县干部" in page and "未完成" in page and "nj-chart" in page
    assert client.get(f"/fieldwork/unit/{tree.province.pk}/?export=xlsx")["Content-Type"] == XLSX


def test_leaders_table_is_scoped(client, tree, personas, fw_people, adopted):
    client.force_login(personas.east)
    assert client.get(f"/fieldwork/unit/{tree.west.pk}/").status_code == 404
    client.force_login(personas.village)
    assert client.get(f"/fieldwork/unit/{tree.east_village.pk}/").status_code == 403


def test_stays_list_and_export(client, tree, personas, fw_people):
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(2), end=days_ago(1))
    client.force_login(personas.province)
    assert "东县干部" in client.get(f"/fieldwork/stays/?unit={tree.east.pk}").content.decode()
    assert client.get(f"/fieldwork/stays/?unit={tree.east.pk}&export=xlsx")["Content-Type"] == XLSX


def test_rules_page_for_managers_only(client, tree, personas, fw_people):
    client.force_login(personas.east)
    assert client.get("/fieldwork/rules/").status_code == 403
    client.force_login(personas.province)
    r = client.post("/fieldwork/rules/", {"unit": tree.province.pk, "preset": "fieldwork.provincial_leaders",
                                          "p_min_days": 50, "count_trip": "on"})
    assert r.status_code == 302, r.content.decode()[:3000]
    a = RuleAdoption.objects.get()
    assert (a.rule.params["min_days"], a.rule.count_trip) == (50, True)
    client.post("/fieldwork/rules/", {"end": a.pk, "version": a.version})
    assert not RuleAdoption.objects.get().is_active


def test_home_panel_shows_her_standing(client, tree, personas, fw_people, adopted):
    client.force_login(personas.east)
    assert "我的下基层情况" in client.get("/").content.decode()


def test_a_statistician_sees_the_subtree_but_has_no_stays_of_her_own(client, tree, personas, fw_people, adopted):
    fw.stay_log(actor=personas.east, person=fw_people.east, place=tree.east_village, start=days_ago(2), end=days_ago(1))
    client.force_login(personas.statistician)
    r = client.get("/fieldwork/")
    assert r.status_code == 302 and r["Location"] == f"/fieldwork/unit/{tree.east.pk}/"
    assert "东县干部" in client.get(f"/fieldwork/stays/?unit={tree.east.pk}").content.decode()
    r = client.post("/fieldwork/", {"place": tree.east.pk, "start": days_ago(3), "end": days_ago(3), "mode": "log"})
    assert r.status_code == 302  # redirected to the subtree, nothing logged
    assert FieldStay.objects.count() == 1
