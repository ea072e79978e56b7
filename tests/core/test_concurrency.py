"""Versions (stale edit → 409) and idempotency keys (a retry never makes a second record)."""


import pytest
from django.db import connection

from niangjia.core.errors import StaleVersion
from niangjia.core.idempotency import link_key, replayed, run_once
from niangjia.core.models import IdempotencyKey
from niangjia.org import services as org
from niangjia.org.models import Federation, Site
from tests.checks import race


def test_a_stale_edit_is_refused_and_changes_nothing(tree, personas):
    # given two editors read the same version
    fed = Federation.objects.get(pk=tree.east_town.pk)
    read_version = fed.version
    org.federation_update(actor=personas.east, federation=fed, version=read_version, name="东镇妇联（一）")
    # when the second saves with the version she read
    stale = Federation.objects.get(pk=tree.east_town.pk)
    with pytest.raises(StaleVersion) as exc:
        org.federation_update(actor=personas.east, federation=stale, version=read_version, name="东镇妇联（二）")
    # then
    assert exc.value.status == 409
    assert Federation.objects.get(pk=tree.east_town.pk).name == "东镇妇联（一）"


def test_each_edit_bumps_the_version(tree, personas):
    site = org.site_create(actor=personas.east, unit=tree.east, kind="hotline", name="东县12338")
    org.site_update(actor=personas.east, site=site, version=1, name="东县12338热线")
    assert site.version == 2 and Site.objects.get(pk=site.pk).version == 2


def test_run_once_returns_the_first_result_on_retry(tree, personas):
    def create():
        return org.site_create(actor=personas.east, unit=tree.east, kind="intake_point", name="东县信访网点")

    first, created = run_once("test-intake", "call-1", create)
    again, created_again = run_once("test-intake", "call-1", create)
    assert created and not created_again and again.pk == first.pk
    assert Site.objects.filter(name="东县信访网点").count() == 1


def test_without_a_key_every_call_is_new(tree, personas):
    def create():
        return org.site_create(actor=personas.east, unit=tree.east, kind="intake_point", name="东县信访网点")

    (a, new_a), (b, new_b) = run_once("test-intake", "", create), run_once("test-intake", "", create)
    assert new_a and new_b and a.pk != b.pk  # never the first caller's record handed to the second
    assert not IdempotencyKey.objects.exists()


def test_replayed_finds_what_a_key_produced(tree, personas):
    site, _ = run_once("test-intake", "call-9",
                       lambda: org.site_create(actor=personas.east, unit=tree.east, kind="hotline", name="东县热线"))
    assert replayed("test-intake", "call-9") == site
    assert replayed("test-intake", "call-10") is None
    assert replayed("other-scope", "call-9") is None
    assert replayed("test-intake", "") is None


def test_a_link_key_is_bound_to_its_link():
    assert link_key("token-a", " k1 ") == link_key("token-a", "k1")
    assert link_key("token-a", "k1") != link_key("token-b", "k1")  # one client key cannot replay another link
    assert link_key("token-a", "") == "" and link_key("token-a", "   ") == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_exactly_one_record(tree, personas):
    def deliver(_):
        obj, created = run_once("test-intake", "call-42", lambda: org.site_create(
            actor=personas.east, unit=tree.east, kind="intake_point", name="并发网点"))
        return obj.pk, created

    results, _, errors = race(deliver, 6)
    assert errors == []
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Site.objects.filter(name="并发网点").count() == 1
    assert IdempotencyKey.objects.filter(scope="test-intake", key="call-42").count() == 1
