"""`niangjia contacts_overdue`: refreshes the plans, lists the silent ones, tells each person once a day."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from niangjia.contacts import services
from niangjia.contacts.models import ContactPlan, ContactTarget, Kind, Slot
from niangjia.core.models import Notification
from tests.contacts.contacts_fixtures import *  # noqa: F403
from tests.contacts.contacts_fixtures import PLAN_YEAR

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
