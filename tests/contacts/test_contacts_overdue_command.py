"""`niangjia contacts_overdue`: refreshes the plans, lists the silent ones, tells each person once a day."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from niangjia.contacts import services
from niangjia.contacts.models import ContactPlan, ContactTarget, Kind, Slot
from niangjia.core.models import Notification
from tests.contacts.conftest import PLAN_YEAR

pytestmark = pytest.mark.django_db


def test_the_daily_pass_lists_and_notifies_once(cw):
    # given 陈干部's plan whose woman was added long ago and never contacted
    plan = services.plan_create(actor=cw.east_leader, person=cw.cadre_a_p, unit=cw.tree.east, year=PLAN_YEAR,
                                kind=Kind.THREE_ONES)
    services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    ContactTarget.objects.update(since=date.today() - timedelta(days=120))
    # when the command runs twice
    first, second = StringIO(), StringIO()
    call_command("contacts_overdue", stdout=first)
    call_command("contacts_overdue", stdout=second)
    # then it lists her plan, updates the stored count, and notifies her account once
    assert "陈干部（东县妇联）· 三个一 · 1 个久未联系" in first.getvalue()
    assert "汇总变动 1 个" in first.getvalue() and "新发送提醒 1 条" in first.getvalue()
    assert "汇总变动 0 个" in second.getvalue() and "新发送提醒 0 条" in second.getvalue()
    assert ContactPlan.objects.get(pk=plan.pk).overdue_n == 1
    notes = list(Notification.objects.filter(kind="contacts.overdue"))
    assert [(n.recipient, n.link) for n in notes] == [(cw.cadre_a, f"/contacts/?year={PLAN_YEAR}")]
    assert "1 个联系对象超过 90 天未联系" in notes[0].text


def test_the_daily_pass_flags_a_target_only_after_the_days_have_passed(cw):
    # given a woman on 陈干部's plan, counted from 1 January and never contacted (the preset: 90 days)
    plan = services.plan_create(actor=cw.east_leader, person=cw.cadre_a_p, unit=cw.tree.east, year=PLAN_YEAR,
                                kind=Kind.THREE_ONES, started_on=date(PLAN_YEAR, 1, 1))
    services.target_add(actor=cw.cadre_a, plan=plan, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    since = date(PLAN_YEAR, 1, 1)
    ContactTarget.objects.update(since=since)
    # when the pass runs on the 90th day of silence, then on the 91st
    on_the_day = services.overdue_sweep(day=since + timedelta(days=90))
    stored_then = ContactPlan.objects.get(pk=plan.pk).overdue_n
    day_after = services.overdue_sweep(day=since + timedelta(days=91))
    # then she is fine on the 90th day and flagged (and told) on the 91st
    assert (on_the_day["late"], on_the_day["notified"], stored_then) == ([], 0, 0)
    assert [p.pk for p in day_after["late"]] == [plan.pk] and day_after["notified"] == 1
    assert ContactPlan.objects.get(pk=plan.pk).overdue_n == 1


def test_the_daily_pass_resolves_each_policy_once_per_unit(cw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from niangjia.core import callers
    from niangjia.core.models import PolicyOverride

    # given three plans of two kinds in 东县, each with a woman silent for long
    for person, kind in ((cw.cadre_a_p, Kind.THREE_ONES), (cw.cadre_b_p, Kind.THREE_ONES),
                         (cw.leader_p, Kind.TEN_WOMEN)):
        plan = services.plan_create(actor=cw.east_leader, person=person, unit=cw.tree.east, year=PLAN_YEAR,
                                    kind=kind)
        slot = Slot.REPRESENTATIVE_WOMAN if kind == Kind.THREE_ONES else Slot.ORDINARY_WOMAN
        services.target_add(actor=cw.east_leader, plan=plan, slot=slot, person=cw.rural[plan.pk % 9])
    ContactTarget.objects.update(since=date.today() - timedelta(days=120))
    # when the daily pass runs with nothing cached (creating the plans resolved the same policies)
    callers.forget(callers.POLICIES)
    with CaptureQueriesContext(connection) as ctx:
        out = services.overdue_sweep()
    # then every plan was checked and told, with one policy look-up per policy key (two kinds, the days)
    table = PolicyOverride._meta.db_table
    assert (out["checked"], len(out["late"]), out["notified"]) == (3, 3, 3)
    assert sum(table in q["sql"] for q in ctx.captured_queries) == 3
