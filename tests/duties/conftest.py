"""Duty checklist fixtures: executive committees in both counties, the preset handed out this year.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers by name.

    东县妇联 executive committee: 执委甲 (user exec_a), 执委乙 (user exec_b), 执委丙 (no user)
    西县妇联 executive committee: 西执委 (user exec_w)
"""

import pytest
from django.utils import timezone

from niangjia.accounts.models import User, UserScope
from niangjia.duties import services as duties
from niangjia.duties.models import Assignment
from niangjia.people import services as people

PASSWORD = "Niangjia-Test-2026!"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def executive(actor, unit, name):
    person = people.person_create(actor=actor, unit=unit, name=name)
    people.post_create(actor=actor, person=person, unit=unit, body="executive", title="执委")
    return person


def member_user(username, person, unit):
    user = User.objects.create_user(username=username, password=PASSWORD, roles=["executive"], first_name=person.name,
                                    person=person)
    UserScope.objects.create(user=user, unit=unit)
    return user


class Duty:
    pass


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def duty(tree, personas, today):
    d = Duty()
    d.year = today.year
    d.a_person = executive(personas.east, tree.east, "执委甲")
    d.b_person = executive(personas.east, tree.east, "执委乙")
    d.c_person = executive(personas.east, tree.east, "执委丙")
    d.w_person = executive(personas.west, tree.west, "西执委")
    d.exec_a = member_user("exec_a", d.a_person, tree.east)
    d.exec_b = member_user("exec_b", d.b_person, tree.east)
    d.exec_w = member_user("exec_w", d.w_person, tree.west)
    d.east_tpl = duties.template_from_preset(actor=personas.east, unit=tree.east)
    d.west_tpl = duties.template_from_preset(actor=personas.west, unit=tree.west)
    duties.assignment_hand_out(actor=personas.east, unit=tree.east, template=d.east_tpl, year=d.year)
    duties.assignment_hand_out(actor=personas.west, unit=tree.west, template=d.west_tpl, year=d.year)
    d.a = Assignment.objects.get(person=d.a_person, year=d.year)
    d.b = Assignment.objects.get(person=d.b_person, year=d.year)
    d.c = Assignment.objects.get(person=d.c_person, year=d.year)
    d.w = Assignment.objects.get(person=d.w_person, year=d.year)
    d.items = {it.evidence_kind: it for it in d.east_tpl.items.all()}
    d.w_items = {it.evidence_kind: it for it in d.west_tpl.items.all()}
    return d


def record(actor, assignment, item, n=1, *, day=None, what="走访"):
    out = []
    for i in range(n):
        out.append(duties.evidence_record(actor=actor, assignment=assignment, item=item, what=f"{what}{i}",
                                          day=day or timezone.localdate()))
    return out


@pytest.fixture
def records_org(tree, personas):
    from niangjia.org import services as org

    return org.organisation_create(actor=personas.east, unit=tree.east, kind="social_org", name="东县巾帼志愿者协会")
