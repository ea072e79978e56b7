"""Scope primitives: reach filters and subtree narrowing over the ancestor columns."""

from niangjia.core.scope import Reach, Subtree, in_subtree, reach_q, scope_queryset
from niangjia.org.models import Federation


def names(qs):
    return sorted(qs.values_list("name", flat=True))


def test_an_empty_reach_sees_nothing_and_an_unrestricted_one_everything(tree):
    assert names(scope_queryset(Federation.objects.all(), Reach())) == []
    assert scope_queryset(Federation.objects.all(), Reach(unrestricted=True)).count() == 10


def test_a_reach_is_the_union_of_its_subtrees(tree):
    reach = Reach((Subtree(5, tree.east_town.id), Subtree(6, tree.west_village.id)))
    assert names(Federation.objects.filter(reach_q(reach))) == ["东二村妇联", "东村妇联", "东镇妇联", "西村妇联"]
    assert reach.covers_obj(tree.east_village) and not reach.covers_obj(tree.east)


def test_in_subtree_narrows_without_leaving_the_reach(tree):
    scoped = scope_queryset(Federation.objects.all(), Reach((Subtree(4, tree.east.id),)))
    assert names(in_subtree(scoped, tree.east_town)) == ["东二村妇联", "东村妇联", "东镇妇联"]
    assert names(in_subtree(scoped, tree.west)) == []  # another county stays invisible
    assert in_subtree(scoped, None).count() == 4
