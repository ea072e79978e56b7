"""Deadlines and escalation: exactly at the deadline vs one minute after, urgencies, overrides, and
the periodic command run twice (and concurrently on PostgreSQL) escalating each need once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from niangjia.core import policies
from niangjia.core.models import AuditEntry, Notification, SummaryCount
from niangjia.needs import queries, rules, services
from niangjia.needs.models import Need, NeedEscalation
from tests.checks import race
from tests.conftest import make_user
from tests.needs.conftest import T0, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_officers(tree):
    """Two officers of 东镇 (the level above 东村) with needs.manage, and one without it."""
    return [make_user("town_a", ["cadre"], [tree.east_town]), make_user("town_b", ["leader"], [tree.east_town]),
            make_user("town_exec", ["executive"], [tree.east_town])]


@pytest.mark.parametrize(("category", "urgency", "days"), [
    ("legal", "critical", 1), ("legal", "urgent", 3), ("rights", "normal", 7), ("legal", "normal", 10),
    ("employment", "normal", 15),
])
def test_registration_sets_the_deadline_from_the_policy(tree, personas, category, urgency, days):
    need = register(personas.east, tree.east_village, category=category, urgency=urgency, at=T0)
    assert need.deadline == T0 + timedelta(days=days)


def test_a_federation_override_changes_the_deadline_for_its_subtree(tree, personas, admin_user):
    policies.set_override(actor=admin_user, key=rules.DEADLINE_POLICY, unit=tree.east, value={"urgent_days": 2})
    east = register(personas.east, tree.east_village, urgency="urgent", at=T0)
    west = register(personas.west, tree.west_village, urgency="urgent", at=T0)
    assert (east.deadline, west.deadline) == (T0 + timedelta(days=2), T0 + timedelta(days=3))


def test_exactly_at_the_deadline_nothing_happens_one_minute_after_it_escalates(tree, personas, town_officers):
    need = register(personas.east, tree.east_village, urgency="critical", at=T0)
    deadline = T0 + timedelta(days=1)
    assert services.needs_escalate(now=deadline) == []
    assert not queries.needs_for(personas.east, overdue=True, now=deadline).exists()
    assert services.needs_escalate(now=deadline + timedelta(minutes=1)) == [need.pk]
    n = Need.objects.get(pk=need.pk)
    assert (n.escalated_to, n.escalated_at) == (tree.east_town, deadline + timedelta(minutes=1))
    assert queries.needs_for(personas.east, overdue=True, now=deadline + timedelta(minutes=1)).get() == n


def test_escalation_notifies_the_officers_one_level_up_once_when_run_twice(tree, personas, town_officers):
    # given one overdue need in 东村 and one still on time
    late = register(personas.east, tree.east_village, urgency="urgent", at=T0)
    register(personas.east, tree.east_village, urgency="normal", category="employment", at=T0)
    now = T0 + timedelta(days=4)
    # when the command runs twice
    call_command("needs_escalate", "--now", now.isoformat())
    call_command("needs_escalate", "--now", (now + timedelta(hours=1)).isoformat())
    # then one escalation, one notification batch (the officers of 东镇 with needs.manage, not its executive), one count
    assert list(NeedEscalation.objects.values_list("need_id", "to_unit_id")) == [(late.pk, tree.east_town.pk)]
    notes = Notification.objects.filter(kind="needs.escalated")
    assert sorted(n.recipient.username for n in notes) == ["town_a", "town_b", "township"]
    assert all(n.link == f"/needs/{late.pk}/" for n in notes)
    assert SummaryCount.objects.get(metric="need_overdue").count == 1
    assert AuditEntry.objects.filter(action="need.escalate").count() == 1


def test_an_escalated_need_shows_in_both_federations_lists(tree, personas, town_officers):
    need = register(personas.east, tree.east_village, urgency="critical", at=T0)
    services.needs_escalate(now=T0 + timedelta(days=2))
    town_cadre = town_officers[0]
    assert [n.pk for n in queries.needs_for(town_cadre, escalated=True)] == [need.pk]
    assert [n.pk for n in queries.needs_for(personas.east, unit=tree.east_village, escalated=True)] == [need.pk]
    assert not queries.needs_for(personas.west, escalated=True).exists()


def test_a_need_handled_in_time_is_never_escalated(tree, personas, east_worker):
    need = register(personas.east, tree.east_village, urgency="critical", at=T0)
    services.need_refer(actor=personas.east, need=need, version=1, target="县妇联信访室")
    assert services.needs_escalate(now=T0 + timedelta(days=5)) == []


def test_a_county_need_escalates_to_the_city(tree, personas, city_cadre):
    need = register(personas.east, tree.east, urgency="critical", at=T0)
    services.needs_escalate(now=T0 + timedelta(days=2))
    assert Need.objects.get(pk=need.pk).escalated_to == tree.city
    assert Notification.objects.filter(recipient=city_cadre, kind="needs.escalated").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_runs_escalate_each_need_once(tree, personas, town_officers):
    needs = [register(personas.east, tree.east_village, urgency="critical", at=T0) for _ in range(5)]
    now = T0 + timedelta(days=2)
    results, _, errors = race(lambda _: services.needs_escalate(now=now), 4)
    assert errors == []
    assert sorted(pk for r in results for pk in r) == sorted(n.pk for n in needs)
    assert NeedEscalation.objects.count() == 5
    assert Notification.objects.filter(kind="needs.escalated").count() == 15
