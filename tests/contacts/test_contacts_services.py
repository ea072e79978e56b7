"""Contact services: who may set plans, fill slots and log contacts; every refusal changes nothing."""

from datetime import date, timedelta

import pytest

from niangjia.contacts import queries, services
from niangjia.contacts.models import ContactEvent, ContactPlan, ContactTarget, Kind, Slot
from niangjia.core import policies
from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.models import AuditEntry, SummaryCount
from niangjia.stats import rollup
from tests.contacts.conftest import PLAN_YEAR, START

pytestmark = pytest.mark.django_db


def plan_for(cw, actor, person, kind, unit=None):
    return services.plan_create(actor=actor, person=person, unit=unit or cw.tree.east, year=PLAN_YEAR, kind=kind)


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# ---------------------------------------------------------------- plans


def test_a_leader_sets_a_cadres_three_ones_plan(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    assert (plan.person, plan.year, plan.kind, plan.started_on, plan.unit) == (
        cw.cadre_a_p, PLAN_YEAR, "three_ones", START, cw.tree.east)
    assert plan.l4 == cw.tree.east.id
    assert AuditEntry.objects.filter(action="contact_plan.create", target_id=str(plan.pk)).exists()


def test_a_cadre_sets_her_own_plan_but_not_a_colleagues(cw):
    own = plan_for(cw, cw.cadre_a, cw.cadre_a_p, Kind.THREE_ONES)
    assert own.person == cw.cadre_a_p
    before = ContactPlan.objects.count()
    with pytest.raises(Forbidden):
        plan_for(cw, cw.cadre_a, cw.cadre_b_p, Kind.THREE_ONES)
    assert ContactPlan.objects.count() == before


def test_a_plan_outside_reach_is_refused_as_missing(cw):
    with pytest.raises(NotFound):
        plan_for(cw, cw.west_leader, cw.cadre_a_p, Kind.THREE_ONES, unit=cw.tree.west)
    with pytest.raises(NotFound):
        plan_for(cw, cw.west_leader, cw.west_leader_p, Kind.FIVE_ONES, unit=cw.tree.east)
    assert not ContactPlan.objects.exists()


def test_the_kind_must_fit_the_persons_post(cw):
    with pytest.raises(ValidationFailed) as err:
        plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.FIVE_ONES)
    assert "领导班子成员" in err.value.message and "person" in err.value.fields
    with pytest.raises(ValidationFailed):
        plan_for(cw, cw.east_leader, cw.leader_p, Kind.THREE_ONES)
    assert not ContactPlan.objects.exists()


def test_one_plan_per_person_year_and_kind(cw):
    plan_for(cw, cw.east_leader, cw.leader_p, Kind.FIVE_ONES)
    plan_for(cw, cw.east_leader, cw.leader_p, Kind.TEN_WOMEN)
    with pytest.raises(Conflict) as err:
        plan_for(cw, cw.east_leader, cw.leader_p, Kind.FIVE_ONES)
    assert "已有“五个一”计划" in err.value.message
    assert ContactPlan.objects.count() == 2


def test_contact_point_must_be_a_grassroots_contact_point(cw):
    plan = services.plan_create(actor=cw.east_leader, person=cw.leader_p, unit=cw.tree.east, year=PLAN_YEAR,
                                kind=Kind.FIVE_ONES, contact_point=cw.point, wechat_group=" 好姐妹·东镇 ")
    assert plan.contact_point == cw.point and plan.wechat_group == "好姐妹·东镇"
    with pytest.raises(ValidationFailed) as err:
        services.plan_update(actor=cw.east_leader, plan=plan, version=plan.version, contact_point=cw.home)
    assert "contact_point" in err.value.fields
    plan.refresh_from_db()
    assert plan.contact_point == cw.point


def test_plan_update_is_versioned_and_only_for_workers(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    services.plan_update(actor=cw.cadre_a, plan=plan, version=1, wechat_group="好姐妹")
    assert plan.version == 2
    with pytest.raises(Forbidden):
        services.plan_update(actor=cw.cadre_b, plan=plan, version=2, wechat_group="别人的群")
    plan.refresh_from_db()
    assert plan.wechat_group == "好姐妹"


# ---------------------------------------------------------------- targets


def test_five_ones_filled_slot_by_slot_until_complete(cw):
    plan = plan_for(cw, cw.east_leader, cw.leader_p, Kind.FIVE_ONES)
    admin = cw.admin
    steps = [(Slot.COUNTY_FEDERATION, {"federation": cw.tree.east}),
             (Slot.GROUP_MEMBER, {"organisation": cw.group_member}),
             (Slot.FIRM_OR_SOCIAL_ORG, {"organisation": cw.social}),
             (Slot.PROVINCIAL_EXECUTIVE, {"person": cw.sun})]
    for slot, link in steps:
        services.target_add(actor=admin, plan=plan, slot=slot, **link)
    view = queries.plan_status(cw.east_leader, plan)
    assert view.check.missing == ["缺：一个机关企事业单位妇委会"]
    services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.WORKPLACE_COMMITTEE, organisation=cw.committee)
    assert queries.plan_status(cw.east_leader, plan).check.complete


def test_target_link_type_and_kind_are_checked(cw):
    plan = plan_for(cw, cw.east_leader, cw.leader_p, Kind.FIVE_ONES)
    cases = [
        ({"slot": Slot.COUNTY_FEDERATION, "federation": cw.tree.east_town}, "县级妇联"),
        ({"slot": Slot.GROUP_MEMBER, "organisation": cw.committee}, "团体会员"),
        ({"slot": Slot.WORKPLACE_COMMITTEE, "person": cw.zhang}, "应选择组织"),
        ({"slot": Slot.PROVINCIAL_EXECUTIVE, "person": cw.zhang}, "省妇联执委"),
        ({"slot": Slot.ORDINARY_WOMAN, "person": cw.zhang}, "没有“普通妇女”"),
        ({"slot": Slot.GROUP_MEMBER}, "请选择一个联系对象"),
        ({"slot": Slot.GROUP_MEMBER, "organisation": cw.group_member, "person": cw.zhang}, "请选择一个联系对象"),
    ]
    for kwargs, words in cases:
        with pytest.raises(ValidationFailed) as err:
            services.target_add(actor=cw.east_leader, plan=plan, **kwargs)
        assert words in err.value.message, (kwargs, err.value.message)
    assert not ContactTarget.objects.exists()


def test_a_target_outside_the_actors_reach_is_refused(cw):
    women = plan_for(cw, cw.east_leader, cw.leader_p, Kind.TEN_WOMEN)
    five = plan_for(cw, cw.east_leader, cw.leader_p, Kind.FIVE_ONES)
    with pytest.raises(NotFound):
        services.target_add(actor=cw.east_leader, plan=women, slot=Slot.ORDINARY_WOMAN, person=cw.wang)
    with pytest.raises(NotFound):
        services.target_add(actor=cw.east_leader, plan=five, slot=Slot.WORKPLACE_COMMITTEE, organisation=cw.west_org)
    assert not ContactTarget.objects.exists()


def test_a_woman_already_on_the_plan_is_refused_until_removed(cw):
    plan = plan_for(cw, cw.east_leader, cw.leader_p, Kind.TEN_WOMEN)
    first = services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.zhang)
    with pytest.raises(Conflict) as err:
        services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.zhang)
    assert "张秀兰已在本计划" in err.value.message
    assert ContactTarget.objects.count() == 1
    services.target_remove(actor=cw.east_leader, target=first, version=first.version)
    again = services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.zhang)
    assert again.pk != first.pk and ContactTarget.objects.filter(is_active=True).count() == 1
    assert audit_actions().count("contact_target.remove") == 1


def test_a_man_is_not_an_ordinary_woman(cw):
    plan = plan_for(cw, cw.east_leader, cw.leader_p, Kind.TEN_WOMEN)
    with pytest.raises(ValidationFailed, match="应选择女性"):
        services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.man)


def test_ten_women_check_follows_the_tags(cw):
    plan = plan_for(cw, cw.east_leader, cw.leader_p, Kind.TEN_WOMEN)
    for w in cw.rural[:7]:
        services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=w)
    assert queries.plan_status(cw.east_leader, plan).check.missing == [
        "还需 3 名普通妇女", "缺少困难妇女", "缺少新经济新社会组织中的妇女"]
    services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.zhang)
    services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.li)
    assert queries.plan_status(cw.east_leader, plan).check.missing == ["还需 1 名普通妇女"]
    services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.rural[7])
    assert queries.plan_status(cw.east_leader, plan).check.complete


def test_a_colleague_cannot_touch_another_cadres_plan(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    target = services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    before = (ContactTarget.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Forbidden):
        services.target_add(actor=cw.cadre_b, plan=plan, slot=Slot.VILLAGE_FEDERATION,
                            federation=cw.tree.east_village)
    with pytest.raises(Forbidden):
        services.target_remove(actor=cw.cadre_b, target=target, version=target.version)
    with pytest.raises(Forbidden):
        services.event_record(actor=cw.cadre_b, target=target, day=date.today(), channel="phone")
    assert (ContactTarget.objects.count(), AuditEntry.objects.count()) == before
    target.refresh_from_db()
    assert target.is_active and target.last_contact_on is None


# ---------------------------------------------------------------- events


def test_events_by_the_plans_person_and_by_a_manager_keep_the_latest_day(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    target = services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    today = date.today()
    services.event_record(actor=cw.cadre_a, target=target, day=today - timedelta(days=3), channel="visit",
                          note="入户走访")
    services.event_record(actor=cw.east_leader, target=target, day=today - timedelta(days=10), channel="phone")
    target.refresh_from_db()
    assert target.last_contact_on == today - timedelta(days=3)  # an older event does not move it back
    assert ContactEvent.objects.filter(target=target).count() == 2
    assert {e.recorded_by for e in ContactEvent.objects.all()} == {cw.cadre_a, cw.east_leader}
    assert audit_actions().count("contact_event.create") == 2


def test_event_day_and_channel_are_checked(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    target = services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    bad = [({"day": date.today() + timedelta(days=1), "channel": "visit"}, "day"),
           ({"day": START - timedelta(days=1), "channel": "visit"}, "day"),
           ({"day": date.today(), "channel": "telegram"}, "channel")]
    for kwargs, field in bad:
        with pytest.raises(ValidationFailed) as err:
            services.event_record(actor=cw.cadre_a, target=target, **kwargs)
        assert field in err.value.fields
    assert not ContactEvent.objects.exists()
    assert not SummaryCount.objects.filter(metric="contact_event").exists()


def test_no_events_on_a_removed_target(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    target = services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    services.target_remove(actor=cw.cadre_a, target=target, version=target.version)
    with pytest.raises(ValidationFailed, match="已移出"):
        services.event_record(actor=cw.cadre_a, target=target, day=date.today(), channel="visit")


def test_events_bump_the_summary_and_a_rebuild_agrees(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    target = services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    day = date.today()
    for channel in ("visit", "visit", "wechat"):
        services.event_record(actor=cw.cadre_a, target=target, day=day, channel=channel)

    def rows():
        return set(SummaryCount.objects.filter(metric="contact_event")
                   .values_list("period", "category", "l1", "l2", "l3", "count"))

    bumped = rows()
    month = day.replace(day=1)
    t = cw.tree
    assert bumped == {(month, "visit", t.nation.id, t.province.id, t.city.id, 2),
                      (month, "wechat", t.nation.id, t.province.id, t.city.id, 1)}
    assert "contact_event" in rollup.registered_metrics()
    rollup.rebuild("contact_event")
    assert rows() == bumped


def test_not_heard_from_uses_the_units_policy(cw):
    plan = plan_for(cw, cw.east_leader, cw.cadre_a_p, Kind.THREE_ONES)
    services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang,
                        added_on=START)
    silent = (date.today() - START).days  # never contacted: the clock runs from the plan's start
    view = queries.plan_status(cw.cadre_a, plan)
    assert (view.days, view.targets[0].days_silent, view.targets[0].overdue) == (90, silent, silent > 90)
    policies.set_override(actor=cw.admin, key="contacts.not_heard_from", unit=cw.tree.east, value={"days": 400})
    view = queries.plan_status(cw.cadre_a, plan)
    assert (view.days, view.targets[0].overdue, view.overdue) == (400, False, 0)
