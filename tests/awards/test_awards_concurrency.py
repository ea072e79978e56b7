"""Quotas hold under concurrent submissions: the round row is locked while the quota is counted."""

import threading

import pytest
from django.db import connection

from niangjia.awards.models import Nomination
from niangjia.core.errors import Conflict
from tests.awards.conftest import org_nom, public_nom

pytestmark = [pytest.mark.pg, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")]


def _race(n, fn):
    ok, refused, errors = [], [], []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            ok.append(fn(i))
        except Conflict as exc:
            refused.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return ok, refused, errors


def test_six_concurrent_org_nominations_against_a_quota_of_three(tree, personas, rnd):
    ok, refused, errors = _race(6, lambda i: org_nom(personas.east, rnd, tree.east, f"并发{i}"))
    assert errors == []
    assert len(ok) == 3 and len(refused) == 3
    assert set(refused) == {"东县妇联的组织推荐名额为 3 名，已推荐 3 名"}
    assert Nomination.objects.filter(round=rnd, unit=tree.east, kind="org").count() == 3


def test_five_concurrent_public_nominations_against_a_round_quota_of_two(tree, rnd):
    ok, refused, errors = _race(5, lambda i: public_nom(rnd, tree.east if i % 2 else tree.west, f"群众{i}",
                                                        key=f"form-{i}"))
    assert errors == []
    assert len(ok) == 2 and len(refused) == 3
    assert Nomination.objects.filter(round=rnd, kind="public").count() == 2
