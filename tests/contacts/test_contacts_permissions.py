"""Need-to-know: only the plan's own person sees which women and reveals their details; leaders see counts.

Design: a reveal on a target the caller can see (in her reach) but is not hers answers 403;
a target outside her reach answers 404. Either way no "reveal" audit row is written.
"""

from datetime import date

import pytest
from django.test import Client

from niangjia.contacts import queries, services
from niangjia.contacts.models import Kind, Slot
from niangjia.core.errors import Forbidden
from niangjia.core.models import AuditEntry
from tests.contacts.conftest import PLAN_YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(cw):
    """陈干部 (cadre_a) keeps three ones with 张秀兰; 刘主席 (east_leader) keeps ten women incl. 李梅."""

    class P:
        pass

    p = P()
    p.cadre = services.plan_create(actor=cw.east_leader, person=cw.cadre_a_p, unit=cw.tree.east, year=PLAN_YEAR,
                                   kind=Kind.THREE_ONES)
    p.zhang = services.target_add(actor=cw.cadre_a, plan=p.cadre, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    p.village = services.target_add(actor=cw.cadre_a, plan=p.cadre, slot=Slot.VILLAGE_FEDERATION,
                                    federation=cw.tree.east_village)
    services.event_record(actor=cw.cadre_a, target=p.zhang, day=date.today(), channel="visit", note="张秀兰家访")
    p.leader = services.plan_create(actor=cw.east_leader, person=cw.leader_p, unit=cw.tree.east, year=PLAN_YEAR,
                                    kind=Kind.TEN_WOMEN)
    p.li = services.target_add(actor=cw.east_leader, plan=p.leader, slot=Slot.ORDINARY_WOMAN, person=cw.li)
    return p


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def reveals() -> int:
    return AuditEntry.objects.filter(action="reveal").count()


def api_reveal(user, target, field="phone"):
    return client_for(user).post(f"/api/v1/contacts/targets/{target.pk}/reveal", {"field": field},
                                 content_type="application/json")


# ---------------------------------------------------------------- reveal


def test_her_own_woman_revealed_and_audited(cw, plans):
    r = api_reveal(cw.cadre_a, plans.zhang)
    assert r.status_code == 200 and r.json() == {"field": "phone", "value": "+8613800138000"}
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.actor, entry.target_type, entry.target_id) == (cw.cadre_a, "people.person", str(cw.zhang.pk))
    assert entry.detail == {"field": "phone"} and entry.summary == "查看完整电话"
    r = api_reveal(cw.cadre_a, plans.zhang, "address")
    assert r.json()["value"] == "东县东镇东村3组12号" and reveals() == 2


def test_a_colleague_cannot_reveal_another_cadres_woman(cw, plans):
    r = api_reveal(cw.cadre_b, plans.zhang)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert "13800138000" not in r.content.decode() and reveals() == 0


def test_a_leader_of_the_same_unit_cannot_reveal_her_cadres_woman(cw, plans):
    r = api_reveal(cw.east_leader, plans.zhang)
    assert r.status_code == 403 and reveals() == 0
    web = client_for(cw.east_leader).post(f"/contacts/targets/{plans.zhang.pk}/reveal/phone/")
    assert web.status_code == 403 and reveals() == 0
    with pytest.raises(Forbidden):
        services.target_reveal(actor=cw.east_leader, target=plans.zhang, field="phone")
    assert reveals() == 0


def test_the_other_county_gets_404(cw, plans):
    assert api_reveal(cw.west_leader, plans.zhang).status_code == 404
    assert client_for(cw.west_leader).get(f"/api/v1/contacts/plans/{plans.cadre.pk}").status_code == 404
    assert client_for(cw.west_leader).get(f"/api/v1/contacts/units/{cw.tree.east.pk}/overview").status_code == 404
    assert client_for(cw.west_leader).get(f"/contacts/unit/{cw.tree.east.pk}/").status_code == 404
    r = client_for(cw.west_leader).post(f"/api/v1/contacts/targets/{plans.zhang.pk}/events",
                                        {"channel": "visit"}, content_type="application/json")
    assert r.status_code == 404 and reveals() == 0


def test_an_organisation_target_has_nothing_to_reveal(cw, plans):
    r = api_reveal(cw.cadre_a, plans.village)
    assert r.status_code == 400 and reveals() == 0


def test_a_bad_field_is_refused_naming_it(cw, plans):
    r = api_reveal(cw.cadre_a, plans.zhang, "id_number")
    assert r.status_code == 400 and "field" in r.json()["error"]["fields"] and reveals() == 0


# ---------------------------------------------------------------- what each one sees


def test_the_plans_person_sees_names_tags_and_masks(cw, plans):
    body = client_for(cw.cadre_a).get(f"/api/v1/contacts/plans/{plans.cadre.pk}").json()
    woman = next(t for t in body["targets"] if t["slot"] == "representative_woman")
    assert body["own"] is True
    assert woman["label"] == "张秀兰" and woman["phone"] == "138****8000" and "困难妇女" in woman["tags"]
    assert "13800138000" not in str(body)


def test_a_leader_sees_counts_and_status_never_who(cw, plans):
    r = client_for(cw.east_leader).get(f"/api/v1/contacts/plans/{plans.cadre.pk}")
    body = r.json()
    text = r.content.decode()
    assert body["own"] is False
    assert body["check"]["complete"] is False and body["check"]["missing"] == ["缺：一个乡镇（街道）妇联"]
    assert "张秀兰" not in text and "138****8000" not in text and "困难妇女" not in text
    woman = next(t for t in body["targets"] if t["slot"] == "representative_woman")
    assert set(woman) == {"id", "slot", "slot_name", "label", "last_contact_on", "days_silent", "overdue", "version"}
    assert woman["label"] == "" and woman["last_contact_on"] == date.today().isoformat()
    village = next(t for t in body["targets"] if t["slot"] == "village_federation")
    assert village["label"] == "东村妇联"  # an institution's name is not personal data


def test_a_leader_does_not_read_the_events_notes_of_a_cadres_plan(cw, plans):
    r = client_for(cw.cadre_b).get(f"/api/v1/contacts/targets/{plans.zhang.pk}/events")
    assert r.status_code == 403
    own = client_for(cw.cadre_a).get(f"/api/v1/contacts/targets/{plans.zhang.pk}/events").json()["items"]
    assert [e["note"] for e in own] == ["张秀兰家访"]


def test_unit_overview_page_has_counts_only(cw, plans):
    r = client_for(cw.east_leader).get(f"/contacts/unit/{cw.tree.east.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "陈干部" in html and "刘主席" in html  # whose plans: the cadres and leaders themselves
    assert "张秀兰" not in html and "李梅" not in html and "138****" not in html and "查看" not in html


def test_my_page_shows_my_women_masked_with_reveal_buttons_only_for_mine(cw, plans):
    html = client_for(cw.cadre_a).get("/contacts/").content.decode()
    assert "张秀兰" in html and "138****8000" in html and "13800138000" not in html
    assert f"/contacts/targets/{plans.zhang.pk}/reveal/phone/" in html
    assert "李梅" not in html  # the leader's woman is not on the cadre's page
    leader_html = client_for(cw.east_leader).get("/contacts/").content.decode()
    assert "李梅" in leader_html and "张秀兰" not in leader_html
    assert f"/contacts/targets/{plans.zhang.pk}/reveal/" not in leader_html


def test_queries_hide_other_plans_targets_from_a_viewer_without_reach(cw, plans):
    assert [v.plan for v in queries.my_plans(cw.cadre_b)] == []
    assert queries.may_see_details(cw.cadre_a, plans.cadre)
    assert not queries.may_see_details(cw.east_leader, plans.cadre)
    assert not queries.may_see_details(cw.admin, plans.cadre)


def test_an_executive_without_a_plan_sees_an_empty_page_and_no_overview(cw, personas):
    r = client_for(personas.village).get("/contacts/")
    assert r.status_code == 200 and "没有关联人员档案" in r.content.decode()
    assert client_for(personas.village).get(f"/contacts/unit/{cw.tree.east_village.pk}/").status_code == 403
