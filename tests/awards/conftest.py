"""Award round fixtures: 甲一市妇联 runs a 三八红旗手 round; 东县 and 西县 nominate.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers (org_nom, …) by name.
Personas: `city` (cadre of 甲一市, runs the round), `east`/`west` (county cadres, nominate), `village`
(executive, no awards.manage).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.awards import services
from niangjia.awards.models import AwardRound, Nomination
from tests.conftest import make_user

PHONE_A = "13800138001"
PHONE_B = "13800138002"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def city(tree):
    return make_user("city", ["cadre"], [tree.city])


@pytest.fixture
def rnd(tree, personas, city, today):
    return services.round_create(actor=city, unit=tree.city, name="2026年度甲一市三八红旗手评选", award="三八红旗手",
                                 nomination_ends=today + timedelta(days=10), evaluation_ends=today + timedelta(days=20),
                                 places=2, default_org_quota=3, public_quota=2, max_choices=2)


def org_nom(actor, rnd, unit, name="王芳", *, consent=True, phone=""):
    return services.nomination_create_org(actor=actor, rnd=rnd, unit=unit, nominee_name=name, nominee_place="东村",
                                          deeds="带领妇女发展来料加工，帮助 30 名留守妇女就业", nominee_phone=phone,
                                          consent_in_person=consent, consent_note="入户当面确认" if consent else "")


def public_nom(rnd, unit, name="李娟", *, phone="", key=""):
    nom, _ = services.nomination_create_public(rnd=rnd, place_unit_id=unit.pk, nominator_name="张三",
                                               nominator_phone=PHONE_A, nominee_name=name, nominee_place="西村",
                                               deeds="照顾孤寡老人十年", nominee_phone=phone, form_key=key)
    return nom


def to_evaluation(city, rnd, noms):
    for n in noms:
        services.shortlist_set(actor=city, nomination=n, on=True)
    services.phase_advance(actor=city, rnd=rnd, to="evaluation")
    return rnd


def end_notice(rnd, days_ago=1):
    """Move the notice period's end into the past (as if the days had gone by)."""
    AwardRound.objects.filter(pk=rnd.pk).update(notice_ends=timezone.localdate() - timedelta(days=days_ago))
    rnd.refresh_from_db()
    return rnd


def statuses(rnd):
    return dict(Nomination.objects.filter(round=rnd).values_list("nominee_name", "status"))
