from types import SimpleNamespace

import pytest

from niangjia.core.roles import ROLES, can_grant, grantable_roles, has_perm, permissions_of


def person(*roles, superuser=False):
    return SimpleNamespace(roles=list(roles), is_superuser=superuser, is_authenticated=True, is_active=True)


@pytest.mark.parametrize("actor_roles, role, allowed", [
    (["admin"], "cadre", True),
    (["admin"], "admin", True),
    (["leader"], "admin", False),
    (["leader"], "executive", True),     # executive's permissions are a subset of leader's
    (["statistician"], "cadre", False),
    (["cadre"], "hotline_operator", False),  # hotline.intake is not the cadre's
    ([], "reviewer", False),
])
def test_a_role_is_grantable_only_within_the_actors_own_permissions(actor_roles, role, allowed):
    assert can_grant(person(*actor_roles), [role]) is allowed


def test_superusers_grant_everything_and_others_a_subset():
    assert [c for c, _ in grantable_roles(person(superuser=True))] == list(ROLES)
    assert "admin" not in [c for c, _ in grantable_roles(person("leader"))]


def test_permissions_accumulate_over_roles_and_inactive_users_have_none():
    assert permissions_of(["executive", "reviewer"]) == {"org.view", "people.view", "stats.view", "selection.score",
                                                         "duties.record", "fieldwork.record", "contacts.record",
                                                         "reports.view", "reports.fill"}  # an executive fills her village's reports
    inactive = person("admin")
    inactive.is_active = False
    assert not has_perm(inactive, "org.view")
    assert has_perm(person("statistician"), "export") and not has_perm(person("statistician"), "people.reveal")
