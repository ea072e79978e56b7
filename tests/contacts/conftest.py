"""Contacts fixtures: leaders and cadres with linked persons in both counties, women, organisations.

The folder's conftest: pytest finds its fixtures; tests import its plain helpers by name.

    东县 (east): east_leader (leader, person 刘主席 with a leadership post),
                 cadre_a / cadre_b (cadres, persons 陈干部 / 周干部 with organ-staff posts)
                 women in 东村: 张秀兰 (poor), 李梅 (new_org), 赵一..赵九 (rural)
                 provincial executive 孙执委 (lives in 东县, executive member of 甲省)
    西县 (west): west_leader (leader, person 吴主席), 王芳 (a woman in 西村)
"""

from datetime import date

import pytest

from niangjia.accounts.models import User, UserScope
from niangjia.org import services as org
from niangjia.people import services as people

PASSWORD = "Niangjia-Test-2026!"
PLAN_YEAR = date.today().year
START = date(PLAN_YEAR, 1, 1)


class W:
    pass


def user_with_person(username, roles, unit, person):
    user = User.objects.create_user(username=username, password=PASSWORD, roles=roles, first_name=username,
                                    person=person)
    UserScope.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def cw(tree, personas, admin_user):
    """The contact world (see the module docstring)."""
    a = admin_user
    w = W()
    w.tree, w.personas, w.admin = tree, personas, a

    def person(unit, name, body=None, *, level_unit=None, **kw):
        p = people.person_create(actor=a, unit=unit, name=name, **kw)
        if body:
            people.post_create(actor=a, person=p, unit=level_unit or unit, body=body,
                               title={"leadership": "主席", "organ_staff": "干部", "executive": "执委"}[body])
        return p

    w.leader_p = person(tree.east, "刘主席", "leadership")
    w.cadre_a_p = person(tree.east, "陈干部", "organ_staff")
    w.cadre_b_p = person(tree.east, "周干部", "organ_staff")
    w.west_leader_p = person(tree.west, "吴主席", "leadership")
    w.east_leader = user_with_person("east_leader", ["leader"], tree.east, w.leader_p)
    w.cadre_a = user_with_person("cadre_a", ["cadre"], tree.east, w.cadre_a_p)
    w.cadre_b = user_with_person("cadre_b", ["cadre"], tree.east, w.cadre_b_p)
    w.west_leader = user_with_person("west_leader", ["leader"], tree.west, w.west_leader_p)

    w.zhang = person(tree.east_village, "张秀兰", phone="13800138000", address="东县东镇东村3组12号",
                     tags=["rural", "poor"])
    w.li = person(tree.east_village, "李梅", phone="13800138001", address="东县东镇东村5组8号", tags=["new_org"])
    w.rural = [person(tree.east_village2, f"赵{'一二三四五六七八九'[i]}", phone=f"1390013900{i}", tags=["rural"])
               for i in range(9)]
    w.man = person(tree.east_village, "钱先生", gender="M")
    w.wang = person(tree.west_village, "王芳", phone="13700137000", tags=["poor"])
    w.sun = person(tree.east, "孙执委", "executive", level_unit=tree.province)

    w.group_member = org.organisation_create(actor=a, unit=tree.east, kind="group_member", name="东县女企业家协会")
    w.committee = org.organisation_create(actor=a, unit=tree.east, kind="workplace_committee", name="东县医院妇委会")
    w.firm = org.organisation_create(actor=a, unit=tree.east, kind="new_org_women", name="东县电商园区妇联")
    w.social = org.organisation_create(actor=a, unit=tree.east_town, kind="social_org", name="东镇巾帼志愿队")
    w.west_org = org.organisation_create(actor=a, unit=tree.west, kind="workplace_committee", name="西县学校妇委会")
    w.point = org.site_create(actor=a, unit=tree.east_town, kind="contact_point", name="东镇妇联领导基层联系点")
    w.home = org.site_create(actor=a, unit=tree.east_village, kind="womens_home", name="东村妇女之家")
    return w
