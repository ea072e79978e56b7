"""代为制定: a leader sets a cadre's contact plan through the web form; scoped, permission-checked,
audited, validated in Chinese, and shown as set on her behalf."""

import pytest

from niangjia.contacts.models import ContactPlan
from niangjia.core.models import AuditEntry
from tests.contacts.conftest import PLAN_YEAR

pytestmark = pytest.mark.django_db


def url(cw, unit=None):
    return f"/contacts/unit/{(unit or cw.tree.east).pk}/plans/new/"


def post(client, cw, **data):
    return client.post(url(cw), {"person_q": "陈干部", "kind": "three_ones", "year": PLAN_YEAR} | data)


def test_a_leader_sets_a_cadres_plan_and_the_overview_says_so(client, cw):
    client.force_login(cw.east_leader)
    assert "代为制定计划" in client.get(f"/contacts/unit/{cw.tree.east.pk}/").content.decode()
    r = post(client, cw, contact_point=cw.point.pk, wechat_group="东县好姐妹群")
    assert r.status_code == 302
    plan = ContactPlan.objects.get()
    assert (plan.person, plan.kind, plan.year, plan.created_by) == (cw.cadre_a_p, "three_ones", PLAN_YEAR, cw.east_leader)
    assert plan.contact_point == cw.point and plan.wechat_group == "东县好姐妹群"
    assert plan.set_on_behalf_by == cw.east_leader
    entry = AuditEntry.objects.get(action="contact_plan.create")
    assert entry.actor_id == cw.east_leader.pk and entry.detail["on_behalf"] is True
    page = client.get(r["Location"]).content.decode()
    assert "陈干部" in page and "代为制定" in page


def test_her_own_plan_is_not_marked(client, cw):
    client.force_login(cw.cadre_a)
    client.post("/contacts/plans/new/", {"kind": "three_ones", "year": PLAN_YEAR})
    plan = ContactPlan.objects.get()
    assert plan.set_on_behalf_by is None
    assert AuditEntry.objects.get(action="contact_plan.create").detail["on_behalf"] is False


@pytest.mark.parametrize("data,text", [
    ({"person_q": ""}, "请填写人员姓名"),
    ({"person_q": "王芳"}, "人员姓名：找不到或不在您的管辖范围内"),  # a woman of 西县: outside her reach
    ({"kind": ""}, "请填写联系制度"),
    ({"year": "1999"}, "年度"),
    ({"person_q": "张秀兰", "kind": "five_ones"}, "五个一"),  # not a leadership member: not eligible
])
def test_bad_input_is_named_in_chinese_and_writes_nothing(client, cw, data, text):
    client.force_login(cw.east_leader)
    r = post(client, cw, **data)
    assert r.status_code == 400 and text in r.content.decode()
    assert not ContactPlan.objects.exists()


def test_a_second_plan_of_the_same_kind_is_refused(client, cw):
    client.force_login(cw.east_leader)
    assert post(client, cw).status_code == 302
    r = post(client, cw)
    assert r.status_code == 400 and "已有" in r.content.decode()
    assert ContactPlan.objects.count() == 1


def test_without_manage_it_is_403_and_outside_reach_404(client, cw):
    client.force_login(cw.cadre_a)  # a cadre records her own contacts, sets nobody's plan
    assert client.get(url(cw)).status_code == 403
    assert post(client, cw, person_q="周干部").status_code == 403
    client.force_login(cw.west_leader)
    assert client.get(url(cw)).status_code == 404  # 东县 is not hers
    assert client.get(url(cw, cw.tree.west) + f"?person={cw.cadre_a_p.pk}").status_code == 404
    assert not ContactPlan.objects.exists()
