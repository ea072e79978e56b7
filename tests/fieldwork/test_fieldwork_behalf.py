"""代为记录蹲点: a manager logs a stay for someone in her reach through the web form; scoped,
permission-checked, audited, validated in Chinese, and shown as entered on her behalf."""

import pytest

from niangjia.core.models import AuditEntry
from niangjia.fieldwork import services as fw
from niangjia.fieldwork.models import FieldStay
from tests.conftest import make_user
from tests.fieldwork.conftest import days_ago

pytestmark = pytest.mark.django_db
URL = "/fieldwork/stays/behalf/"


def post(client, **data):
    base = {"place": "", "place_q": "东村妇联", "start": days_ago(3), "end": days_ago(1), "kind": "stay", "mode": "log"}
    return client.post(URL + (f"?person={data['person']}" if data.get("person") else ""), base | data)


def test_a_leader_logs_a_stay_for_a_village_member_and_it_says_so(client, tree, personas, fw_people):
    client.force_login(personas.province)
    r = post(client, person_q="东村执委")
    assert r.status_code == 302 and r["Location"].endswith(f"?person={fw_people.village.pk}")
    stay = FieldStay.objects.get()
    assert (stay.person, stay.created_by, stay.days, stay.status) == (fw_people.village, personas.province, 3, "done")
    assert stay.entered_on_behalf_by == personas.province
    entry = AuditEntry.objects.get(action="fieldwork.stay_log")
    assert entry.actor_id == personas.province.pk and entry.detail["on_behalf"] is True
    assert entry.detail["person"] == fw_people.village.pk
    page = client.get(r["Location"]).content.decode()
    assert "由province代为录入" in page or f"由{personas.province.display_name}代为录入" in page
    detail = client.get(f"/fieldwork/stays/{stay.pk}/").content.decode()
    assert "代为录入" in detail


def test_her_own_stay_is_not_marked_on_behalf(tree, personas, fw_people):
    stay = fw.stay_log(actor=personas.province, person=fw_people.province, place=tree.east_village,
                       start=days_ago(3), end=days_ago(2))
    assert stay.entered_on_behalf_by is None


def test_the_standings_row_link_fixes_the_person(client, tree, personas, fw_people, adopted):
    client.force_login(personas.province)
    page = client.get(f"/fieldwork/unit/{tree.east.pk}/").content.decode()
    assert f"{URL}?person={fw_people.east.pk}" in page
    form = client.get(f"{URL}?person={fw_people.east.pk}").content.decode()
    assert "东县干部" in form
    r = post(client, person=fw_people.east.pk, person_q="")
    assert r.status_code == 302 and FieldStay.objects.get().person == fw_people.east


@pytest.mark.parametrize("data,field_text", [
    ({"person_q": ""}, "请填写人员姓名"),
    ({"person_q": "没有这个人"}, "人员姓名：找不到或不在您的管辖范围内"),
    ({"person_q": "东村执委", "start": days_ago(1), "end": days_ago(3)}, "结束日期不能早于开始日期"),
    ({"person_q": "东村执委", "place_q": "", "place": ""}, "请选择蹲点地点"),
])
def test_bad_input_is_named_in_chinese_and_writes_nothing(client, personas, fw_people, data, field_text):
    client.force_login(personas.province)
    r = post(client, **data)
    assert r.status_code == 400
    assert field_text in r.content.decode()
    assert not FieldStay.objects.exists() and not AuditEntry.objects.filter(action="fieldwork.stay_log").exists()


def test_an_overlap_for_her_is_refused_on_the_form(client, tree, personas, fw_people):
    fw.stay_log(actor=personas.province, person=fw_people.village, place=tree.east_village, start=days_ago(5),
                end=days_ago(2))
    client.force_login(personas.province)
    r = post(client, person_q="东村执委")
    assert r.status_code == 400 and FieldStay.objects.count() == 1


def test_without_the_manage_permission_it_is_403(client, personas, fw_people):
    client.force_login(personas.village)  # an executive member records only her own stays
    assert client.get(URL).status_code == 403
    assert post(client, person_q="东村执委").status_code == 403
    assert not FieldStay.objects.exists()


def test_a_person_outside_her_reach_is_404_or_not_found(client, tree, personas, fw_people):
    west_leader = make_user("west_leader", ["leader"], [tree.west])
    client.force_login(west_leader)
    assert client.get(f"{URL}?person={fw_people.village.pk}").status_code == 404
    r = post(client, person_q="东村执委", place_q="西村妇联")
    assert r.status_code == 400 and "不在您的管辖范围内" in r.content.decode()
    assert not FieldStay.objects.exists()
