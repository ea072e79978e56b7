"""Quotas hold under concurrent submissions: the round row is locked while the quota is counted."""

import pytest
from django.db import connection

from niangjia.awards.models import Nomination
from niangjia.core.errors import Conflict
from tests.awards.conftest import org_nom, public_nom
from tests.checks import race

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")]


def test_six_concurrent_org_nominations_against_a_quota_of_three(tree, personas, rnd):
    ok, refused, errors = race(lambda i: org_nom(personas.east, rnd, tree.east, f"并发{i}"), 6, refused=Conflict)
    assert errors == []
    assert len(ok) == 3 and len(refused) == 3
    assert {exc.message for exc in refused} == {"东县妇联的组织推荐名额为 3 名，已推荐 3 名"}
    assert Nomination.objects.filter(round=rnd, unit=tree.east, kind="org").count() == 3


def test_five_concurrent_public_nominations_against_a_round_quota_of_two(tree, rnd):
    ok, refused, errors = race(lambda i: public_nom(rnd, tree.east if i % 2 else tree.west, f"群众{i}", key=f"form-{i}"),
                               5, refused=Conflict)
    assert errors == []
    assert len(ok) == 2 and len(refused) == 3
    assert Nomination.objects.filter(round=rnd, kind="public").count() == 2
