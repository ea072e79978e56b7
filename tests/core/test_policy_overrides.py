"""A federation sets its own figures for a rule; its subtree inherits them; scope, permission, versions, audit."""

import pytest

from niangjia.core import policies
from niangjia.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from niangjia.core.models import AuditEntry, PolicyOverride

KEY = "contacts.not_heard_from"  # preset {"days": 90}
DEADLINES = "needs.deadlines"


def test_a_county_override_reaches_its_villages_not_its_sibling(tree, personas):
    # when
    policies.set_override(actor=personas.province, key=KEY, unit=tree.east, value={"days": 30}, version=0)
    # then
    assert policies.resolve(KEY, tree.east_village) == {"days": 30}
    assert policies.resolve(KEY, tree.west_village) == {"days": 90}
    assert policies.explain(KEY, tree.east_village)["set_by"] == {"days": "东县妇联"}


def test_the_nearest_override_wins_and_only_differences_are_stored(tree, personas):
    policies.set_override(actor=personas.province, key=DEADLINES, unit=tree.city, value={"urgent_days": 2}, version=0)
    # when: the county repeats the city's figure and changes one category
    policies.set_override(actor=personas.province, key=DEADLINES, unit=tree.east,
                          value={"urgent_days": 2, "normal_days": {"legal": 5}}, version=0)
    # then
    own = PolicyOverride.objects.get(policy_key=DEADLINES, unit=tree.east).value
    assert set(own) == {"normal_days"}
    value = policies.resolve(DEADLINES, tree.east_town)
    assert (value["urgent_days"], value["normal_days"]["legal"], value["normal_days"]["rights"]) == (2, 5, 7)


def test_a_later_change_above_reaches_figures_the_county_did_not_set(tree, personas):
    policies.set_override(actor=personas.province, key=DEADLINES, unit=tree.east, value={"critical_days": 2}, version=0)
    policies.set_override(actor=personas.province, key=DEADLINES, unit=tree.city, value={"urgent_days": 4}, version=0)
    assert (policies.resolve(DEADLINES, tree.east)["critical_days"], policies.resolve(DEADLINES, tree.east)["urgent_days"]) \
        == (2, 4)


def test_setting_the_inherited_figures_removes_the_override(tree, personas):
    policies.set_override(actor=personas.province, key=KEY, unit=tree.east, value={"days": 30}, version=0)
    # when
    policies.clear_override(actor=personas.province, key=KEY, unit=tree.east, version=1)
    # then
    assert not PolicyOverride.objects.filter(unit=tree.east).exists()
    assert policies.resolve(KEY, tree.east) == {"days": 90}
    assert list(AuditEntry.objects.filter(action__startswith="policy.").order_by("pk").values_list("action", flat=True)) \
        == ["policy.set", "policy.clear"]


def test_a_stale_version_is_refused_and_changes_nothing(tree, personas):
    policies.set_override(actor=personas.province, key=KEY, unit=tree.east, value={"days": 30}, version=0)
    # when: a second editor still holds the page she opened before the first saved
    with pytest.raises(StaleVersion):
        policies.set_override(actor=personas.province, key=KEY, unit=tree.east, value={"days": 60}, version=0)
    # then
    assert policies.resolve(KEY, tree.east) == {"days": 30}


def test_without_policy_edit_the_change_is_forbidden(tree, personas):
    with pytest.raises(Forbidden):
        policies.set_override(actor=personas.east, key=KEY, unit=tree.east, value={"days": 30})  # a cadre
    assert not PolicyOverride.objects.exists()


def test_outside_the_reach_answers_not_found(tree, personas, db):
    from conftest import make_user

    east_leader = make_user("east_leader", ["leader"], [tree.east])
    with pytest.raises(NotFound):
        policies.set_override(actor=east_leader, key=KEY, unit=tree.west, value={"days": 30})
    with pytest.raises(NotFound):
        policies.set_override(actor=east_leader, key=KEY, unit=tree.city, value={"days": 30})  # her parent
    assert not PolicyOverride.objects.exists()


@pytest.mark.parametrize(("value", "field"), [
    ({"days": "30"}, "days"), ({"days": -5}, "days"), ({"days": True}, "days"), ({"weeks": 2}, None),
])
def test_bad_figures_are_refused_with_the_field_named(tree, personas, value, field):
    with pytest.raises(ValidationFailed) as exc:
        policies.set_override(actor=personas.province, key=KEY, unit=tree.east, value=value)
    if field:
        assert field in exc.value.fields
    assert not PolicyOverride.objects.exists()


def test_selection_weights_must_still_sum_to_100(tree, personas):
    with pytest.raises(ValidationFailed, match="权重之和应为 100"):
        policies.set_override(actor=personas.province, key="selection.scoring", unit=tree.east,
                              value={"weight_jury": 50})


def test_an_unknown_rule_answers_not_found(tree, personas):
    with pytest.raises(NotFound):
        policies.set_override(actor=personas.province, key="no.such.rule", unit=tree.east, value={})


def test_a_choice_off_its_list_is_refused(tree, personas):
    with pytest.raises(ValidationFailed) as exc:
        policies.set_override(actor=personas.province, key="selection.scoring", unit=tree.east,
                              value={"method_jury": "median"})
    assert exc.value.fields == {"method_jury": "“群众评审团计分方法”只能选择：平均分、去掉一个最高分和一个最低分后平均"}


def test_explain_many_matches_explain_one_by_one(tree, personas):
    policies.set_override(actor=personas.province, key=KEY, unit=tree.city, value={"days": 30})
    policies.set_override(actor=personas.province, key=DEADLINES, unit=tree.east, value={"urgent_days": 2})
    keys = [KEY, DEADLINES, "cases.follow_up"]
    many = policies.explain_many(keys, tree.east_village)
    assert many == {key: policies.explain(key, tree.east_village) for key in keys}
    assert many[KEY]["set_by"] == {"days": "甲一市妇联"} and many[KEY]["value"] == {"days": 30}
    assert policies.resolve(DEADLINES, tree.east_village) == many[DEADLINES]["value"]


def test_resolve_many_matches_resolve_one_by_one_in_one_query(tree, personas, django_assert_num_queries):
    # given overrides at a city and at a county, and units under each and outside both
    policies.set_override(actor=personas.province, key=DEADLINES, unit=tree.city, value={"urgent_days": 2})
    policies.set_override(actor=personas.province, key=DEADLINES, unit=tree.east, value={"critical_days": 2})
    units = [tree.east_village, tree.west_village, tree.city, tree.province]
    # when the policies of all of them are resolved at once
    with django_assert_num_queries(1):
        many = policies.resolve_many(DEADLINES, units)
    # then each is what resolving it alone gives, the nearest override winning
    assert many == {u.pk: policies.resolve(DEADLINES, u) for u in units}
    assert many[tree.east_village.pk]["urgent_days"] == 2 and many[tree.east_village.pk]["critical_days"] == 2
    assert many[tree.province.pk]["urgent_days"] == 3  # the preset above both overrides
