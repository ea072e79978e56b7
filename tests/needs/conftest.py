"""Needs fixtures: handlers in both counties, a catalogue with a provider covering 东县.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers by name.

    east (cadre, 东县: needs.manage + needs.handle), east_worker (case_worker, 东县: needs.handle only),
    west (cadre, 西县), village (executive, 东村: neither)
    catalogue.legal: 法律咨询 (东县), offered by 东县法律援助中心 covering 东县
"""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from niangjia.needs import services
from niangjia.org import services as org
from tests.conftest import make_user

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


@pytest.fixture
def east_worker(tree):
    return make_user("east_worker", ["case_worker"], [tree.east])


@pytest.fixture
def city_cadre(tree):
    return make_user("city_cadre", ["cadre"], [tree.city])


def register(actor, unit, *, category="legal", urgency="normal", channel="walk_in", description="土地承包权益咨询",
             at=None, **extra):
    return services.need_register(actor=actor, unit=unit, category=category, urgency=urgency, channel=channel,
                                  description=description, registered_at=at, **extra)


@pytest.fixture
def catalogue(tree, admin_user):
    c = SimpleNamespace()
    c.legal = services.service_create(actor=admin_user, unit=tree.east, name="法律咨询", category="legal",
                                      government_purchased=True)
    c.counselling = services.service_create(actor=admin_user, unit=tree.east, name="心理疏导", category="counselling")
    c.west_legal = services.service_create(actor=admin_user, unit=tree.west, name="西县法律咨询", category="legal")
    c.org = org.organisation_create(actor=admin_user, unit=tree.east, kind="service_provider", name="东县法律援助中心")
    c.provider = services.provider_create(actor=admin_user, organisation=c.org, services=[c.legal],
                                          areas=[tree.east])
    c.west_org = org.organisation_create(actor=admin_user, unit=tree.west, kind="service_provider", name="西县服务社")
    c.west_provider = services.provider_create(actor=admin_user, organisation=c.west_org,
                                               services=[c.west_legal], areas=[tree.west])
    return c
