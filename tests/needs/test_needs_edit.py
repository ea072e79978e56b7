"""Edits after intake: a need's category, urgency, description, place and person (versioned, UI and API);
reassigning a need in progress; closing only by its handler or a manager; the person picker."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from niangjia.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.core.pipeline import TransitionRefused
from niangjia.needs import services
from niangjia.needs.models import Need
from niangjia.people import services as people
from tests.conftest import make_user
from tests.needs.conftest import T0, register

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def counts(metric="need"):
    return sorted((r.category, r.status, r.count) for r in SummaryCount.objects.filter(metric=metric).exclude(count=0))


def fresh(need):
    return Need.objects.get(pk=need.pk)


def test_a_handler_corrects_category_urgency_place_and_person_and_the_deadline_follows(tree, personas):
    # given a legal need (10 days) at 东村
    need = register(personas.east, tree.east_village, category="legal", at=T0)
    woman = people.person_create(actor=personas.east, unit=tree.east_village2, name="周芳", phone="13900001212")
    # when it is corrected to an urgent rights matter of 东二村, told by 周芳
    services.need_update(actor=personas.east, need=need, version=1, category="rights", urgency="urgent",
                         unit=tree.east_village2, person=woman, description="土地承包款被扣")
    # then
    n = fresh(need)
    assert (n.category, n.urgency, n.unit, n.l6, n.person, n.description, n.version) == (
        "rights", "urgent", tree.east_village2, tree.east_village2.pk, woman, "土地承包款被扣", 2)
    assert n.deadline == T0 + timedelta(days=3)
    assert counts() == [("rights", "registered", 1)]
    assert counts("need_channel") == [("walk_in", "registered", 1)]
    detail = AuditEntry.objects.get(action="need.update").detail["changes"]
    assert detail["category"] == ["legal", "rights"] and detail["description"] == ["***", "***"]
    assert detail["unit"] == [tree.east_village.pk, tree.east_village2.pk] and detail["person"] == [None, woman.pk]


def test_refused_edits_change_nothing(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    with pytest.raises(StaleVersion):
        services.need_update(actor=personas.east, need=need, version=7, category="rights")
    with pytest.raises(NotFound):
        services.need_update(actor=personas.west, need=need, version=1, category="rights")
    with pytest.raises(NotFound):
        services.need_update(actor=personas.east, need=need, version=1, unit=tree.west_village)
    with pytest.raises(ValidationFailed) as exc:
        services.need_update(actor=personas.east, need=need, version=1, description="  ")
    assert exc.value.fields == {"description": "请填写需求内容"}
    # assigned to another handler: a worker without needs.manage may not edit it
    other = make_user("other_worker", ["case_worker"], [tree.east])
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    with pytest.raises(Forbidden):
        services.need_update(actor=other, need=fresh(need), version=2, category="rights")
    n = fresh(need)
    assert (n.category, n.unit, n.version) == ("legal", tree.east_village, 2)
    assert not AuditEntry.objects.filter(action="need.update").exists()


def test_a_need_no_longer_open_cannot_be_edited(tree, personas):
    need = register(personas.east, tree.east_village)
    services.need_refer(actor=personas.east, need=need, version=1, target="县司法局")
    with pytest.raises(TransitionRefused) as exc:
        services.need_update(actor=personas.east, need=fresh(need), version=2, category="rights")
    assert exc.value.message == services.MSG_NOT_OPEN


def test_reassigning_a_need_in_progress_hands_it_to_the_new_handler(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    services.need_start(actor=east_worker, need=need, version=2)
    services.need_assign(actor=personas.east, need=need, assignee=personas.east, version=3)
    n = fresh(need)
    assert (n.status, n.assignee) == ("assigned", personas.east)
    assert counts() == [("legal", "assigned", 1)]


def test_only_the_handler_or_a_manager_closes_an_assigned_need(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    services.need_resolve(actor=east_worker, need=need, version=2, resolution="已解答")
    other = make_user("other_worker", ["case_worker"], [tree.east])
    with pytest.raises(Forbidden):
        services.need_close(actor=other, need=need, version=3, reason="办结")
    assert fresh(need).status == "resolved"
    services.need_close(actor=east_worker, need=need, version=3, reason="办结")
    assert fresh(need).status == "closed"


def test_edit_through_the_api(tree, personas):
    need = register(personas.east, tree.east_village)
    c = client_for(personas.east)

    def patch(body):
        return c.patch(f"/api/v1/needs/{need.pk}", json.dumps(body), content_type="application/json")

    r = patch({"version": 1, "description": "想学电商", "category": "employment"})
    assert r.status_code == 200 and (r.json()["description"], r.json()["version"]) == ("想学电商", 2)
    assert patch({"version": 2, "category": None}).status_code == 400
    assert patch({"version": 2, "unit": tree.west.pk}).status_code == 404
    assert patch({"version": 1, "urgency": "urgent"}).status_code == 409
    assert client_for(personas.west).patch(f"/api/v1/needs/{need.pk}", json.dumps({"version": 2, "category": "legal"}),
                                           content_type="application/json").status_code == 404
    assert fresh(need).category == "employment"


def test_the_edit_page_and_the_person_picker(tree, personas, admin_user):
    need = register(personas.east, tree.east_village)
    woman = people.person_create(actor=personas.east, unit=tree.east_village, name="吴桂兰", phone="13900003434")
    c = client_for(personas.east)
    assert 'data-testid="edit-need"' in c.get(f"/needs/{need.pk}/").content.decode()
    page = c.get(f"/needs/{need.pk}/edit/").content.decode()
    assert 'name="person_q"' in page and "土地承包权益咨询" in page
    found = c.get("/needs/persons/", {"person_q": "吴桂兰"}).content.decode()
    assert f'data-person="{woman.pk}"' in found
    assert "没有找到" in client_for(personas.west).get("/needs/persons/", {"person_q": "吴桂兰"}).content.decode()
    bad = c.post(f"/needs/{need.pk}/edit/", {"version": 1, "unit": tree.east_village.pk, "category": "",
                                            "urgency": "normal", "description": "x"})
    assert bad.status_code == 400 and "请选择类别" in bad.content.decode() and fresh(need).version == 1
    r = c.post(f"/needs/{need.pk}/edit/", {"version": 1, "unit": tree.east_village.pk, "category": "legal",
                                          "urgency": "critical", "description": "土地确权", "person": woman.pk})
    assert r.status_code == 302
    n = fresh(need)
    assert (n.urgency, n.description, n.person) == ("critical", "土地确权", woman)
    stale = c.post(f"/needs/{need.pk}/edit/", {"version": 1, "unit": tree.east_village.pk, "category": "legal",
                                              "urgency": "normal", "description": "旧"})
    assert stale.status_code == 409 and fresh(need).description == "土地确权"


def test_the_new_need_form_links_a_person_from_the_picker(tree, personas):
    woman = people.person_create(actor=personas.east, unit=tree.east_village, name="郑红", phone="13900005656")
    c = client_for(personas.east)
    r = c.post("/needs/new/", {"unit": tree.east_town.pk, "category": "legal", "urgency": "normal",
                               "channel": "walk_in", "description": "咨询", "person": woman.pk})
    assert r.status_code == 302 and Need.objects.get().person == woman
    west_woman = people.person_create(actor=personas.west, unit=tree.west_village, name="西女", phone="13900007878")
    bad = c.post("/needs/new/", {"unit": tree.east_town.pk, "category": "legal", "urgency": "normal",
                                 "channel": "walk_in", "description": "咨询", "person": west_woman.pk})
    assert bad.status_code == 400 and "提出人" in bad.content.decode() and Need.objects.count() == 1


def test_merging_the_woman_of_a_need_into_her_other_record_moves_the_need(tree, personas):
    # given a need told by 吴秀 and a second record of the same woman
    woman = people.person_create(actor=personas.east, unit=tree.east_village, name="吴秀", phone="13900004545")
    twin = people.person_create(actor=personas.east, unit=tree.east_village, name="吴秀", phone="13900004545")
    need = services.need_register(actor=personas.east, unit=tree.east_village, category="legal", urgency="normal",
                                  channel="walk_in", description="咨询", person=twin)
    # when the twin is merged into the first record
    people.person_merge(actor=personas.east, keep=woman, drop=twin)
    # then the need names the kept record
    assert fresh(need).person == woman
    assert AuditEntry.objects.get(action="person.merge").detail["moved"] == {"needs.need": 1}


def test_the_deadline_follows_the_policy_of_the_new_place_and_not_a_change_of_words(tree, personas):
    from niangjia.core import policies

    # given 东二村 gives legal needs 20 days, and a legal need of 东村 (10 days) registered at T0
    policies.set_override(actor=personas.province, key="needs.deadlines", unit=tree.east_village2,
                          value={"normal_days": {"legal": 20}})
    need = register(personas.east, tree.east_village, category="legal", at=T0)
    # when only its words change, then the deadline stays
    services.need_update(actor=personas.east, need=need, version=1, description="土地承包款咨询")
    assert fresh(need).deadline == T0 + timedelta(days=10)
    # when only its place changes, then the deadline is the new place's, still from T0
    services.need_update(actor=personas.east, need=fresh(need), version=2, unit=tree.east_village2)
    assert fresh(need).deadline == T0 + timedelta(days=20)


def test_an_edit_that_changes_nothing_writes_nothing(tree, personas):
    need = register(personas.east, tree.east_village)
    services.need_update(actor=personas.east, need=need, version=1, category="legal", description="土地承包权益咨询")
    assert fresh(need).version == 1 and not AuditEntry.objects.filter(action="need.update").exists()
