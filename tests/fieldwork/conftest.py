"""Field-work fixtures: persons for the personas (linked to their accounts), posts, adopted rules."""

from datetime import date, timedelta

import pytest

from niangjia.fieldwork import services as fw
from niangjia.people import services as people


class Bag:
    pass


def _person(admin, unit, name, body=None, title=""):
    p = people.person_create(actor=admin, unit=unit, name=name)
    if body:
        people.post_create(actor=admin, person=p, unit=unit, body=body, title=title)
    return p


def _link(user, person):
    user.person = person
    user.save(update_fields=["person"])


@pytest.fixture
def fw_people(tree, personas, admin_user):
    b = Bag()
    a = admin_user
    b.province = _person(a, tree.province, "省主席", "leadership", "主席")
    b.east = _person(a, tree.east, "东县干部", "organ_staff", "干部")
    b.west = _person(a, tree.west, "西县干部", "organ_staff", "干部")
    b.township = _person(a, tree.east_town, "东镇干部", "organ_staff", "专职干部")
    b.village = _person(a, tree.east_village, "东村执委", "executive", "执委")
    b.woman = _person(a, tree.east_village, "东村妇女")
    for user, person in ((personas.province, b.province), (personas.east, b.east), (personas.west, b.west),
                         (personas.township, b.township), (personas.village, b.village)):
        _link(user, person)
    return b


@pytest.fixture
def adopted(tree, admin_user, fw_people):
    """甲省 adopts the provincial-leaders rule (60 days) and the organ cadres' two-month work week."""
    b = Bag()
    b.leaders = fw.rule_adopt(actor=admin_user, unit=tree.province, preset="fieldwork.provincial_leaders")
    b.cadres = fw.rule_adopt(actor=admin_user, unit=tree.province, preset="fieldwork.organ_cadres")
    return b


def days_ago(n: int) -> date:
    return date.today() - timedelta(days=n)
