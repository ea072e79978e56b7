from niangjia.org.models import Federation
from niangjia.people import services as people


def test_tree_columns_carry_every_ancestor(tree):
    v = Federation.objects.get(pk=tree.east_village.pk)
    assert (v.l1, v.l2, v.l3, v.l4, v.l5, v.l6) == (
        tree.nation.id, tree.province.id, tree.city.id, tree.east.id, tree.east_town.id, v.id)
    assert v.path == f"/{tree.nation.id}/{tree.province.id}/{tree.city.id}/{tree.east.id}/{tree.east_town.id}/{v.id}/"


def test_person_created_is_sealed_and_masked(tree, personas):
    p = people.person_create(actor=personas.east, unit=tree.east_village, name="张小红", phone="13800138000",
                             id_number="11010519491231002X", address="甲省甲一市东县东镇东村3组12号")
    assert p.phone_mask == "138****8000"
    assert "13800138000" not in p.phone_enc
    assert p.birth_year == 1949 and "1949" not in p.birth_date_enc
    assert people.person_reveal(actor=personas.east, person=p, field="birth_date") == "1949-12-31"
    assert people.person_reveal(actor=personas.east, person=p, field="phone") == "+8613800138000"
