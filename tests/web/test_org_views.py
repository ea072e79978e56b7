"""The tree pages as a user meets them: what each persona sees, what she may change."""

import pytest

from niangjia.core.models import AuditEntry
from niangjia.org import services as org
from niangjia.org.models import Federation, Site, VillageConversion
from niangjia.people import services as people

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_tree_shows_the_callers_roots_and_lazy_children(tree, personas, as_user):
    # given the east county cadre
    c = as_user(personas.east)
    # when she opens the tree
    page = c.get("/org/tree/").content.decode()
    # then she sees her county with a lazy toggle, and not the west county
    assert "东县妇联" in page and f"/org/tree/{tree.east.id}/children/" in page
    assert "西县妇联" not in page
    # and expanding her county lists its township with its own child count
    kids = c.get(f"/org/tree/{tree.east.id}/children/", HTTP_HX_REQUEST="true").content.decode()
    assert "东镇妇联" in kids and f"/org/tree/{tree.east_town.id}/children/" in kids


def test_tree_children_outside_reach_is_404(tree, personas, as_user):
    c = as_user(personas.east)
    assert c.get(f"/org/tree/{tree.west.id}/children/").status_code == 404


def test_search_by_pinyin_initials_links_to_the_federation(tree, personas, as_user):
    c = as_user(personas.province)
    html = c.get("/org/search/?q=dcfl", HTTP_HX_REQUEST="true").content.decode()
    assert f"/org/{tree.east_village.id}/" in html and "东村妇联" in html


def test_search_never_finds_outside_reach(tree, personas, as_user):
    c = as_user(personas.east)
    html = c.get("/org/search/?q=西", HTTP_HX_REQUEST="true").content.decode()
    assert "西县妇联" not in html and "没有找到" in html


def test_federation_page_shows_composition_status(tree, personas, as_user):
    # given an east county standing committee of 3, one of them grassroots front-line
    for i, frontline in enumerate([True, False, False]):
        p = people.person_create(actor=personas.east, unit=tree.east, name=f"常委{i}", grassroots_frontline=frontline)
        people.post_create(actor=personas.east, person=p, unit=tree.east, body="standing", title="常委")
    c = as_user(personas.east)
    # when she opens the county
    resp = c.get(f"/org/{tree.east.id}/")
    html = resp.content.decode()
    # then the standing committee rule shows 1/3, 33.3%, its 30% floor and 达标
    assert resp.status_code == 200
    assert "常委中基层一线比例" in html and "1/3" in html and "33.3%" in html and "≥30%" in html
    assert "达标" in html and "暂无成员" in html  # the executive committee has nobody yet
    assert "编制数" in html and "“2+1”" in html
    assert "/people/" in html and "常委0" in html


def test_federation_outside_reach_is_404(tree, personas, as_user):
    assert as_user(personas.east).get(f"/org/{tree.west.id}/").status_code == 404


def test_village_executive_cannot_see_her_township(tree, personas, as_user):
    c = as_user(personas.village)
    assert c.get(f"/org/{tree.east_village.id}/").status_code == 200
    assert c.get(f"/org/{tree.east_town.id}/").status_code == 404


def test_role_without_edit_gets_403_and_nothing_changes(tree, personas, as_user):
    # given the statistician (view only) in the east county
    c = as_user(personas.statistician)
    # when she posts an edit
    resp = c.post(f"/org/{tree.east.id}/edit/", {"name": "改名", "code": tree.east.code, "form": "federation",
                                                  "staffing_quota": 1, "departments_quota": 0, "version": 1})
    # then it is refused and the name is unchanged
    assert resp.status_code == 403
    assert Federation.objects.get(pk=tree.east.pk).name == "东县妇联"


def test_anonymous_is_sent_to_login(client, tree):
    resp = client.get("/org/tree/")
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")


def test_create_child_federation(tree, personas, as_user):
    c = as_user(personas.township)
    resp = c.post(f"/org/{tree.east_town.id}/children/new/", {"name": "东三村妇联", "code": "110101001003",
                                                              "form": "congress", "staffing_quota": 0,
                                                              "departments_quota": 0})
    fed = Federation.objects.get(code="110101001003")
    assert resp.status_code == 302 and resp["Location"] == f"/org/{fed.id}/"
    assert fed.level == 6 and fed.parent_id == tree.east_town.id
    assert AuditEntry.objects.filter(action="federation.create", target_id=str(fed.id)).exists()


def test_create_child_with_bad_input_names_the_fields_and_writes_nothing(tree, personas, as_user):
    c = as_user(personas.township)
    before = Federation.objects.count()
    resp = c.post(f"/org/{tree.east_town.id}/children/new/", {"name": "", "code": tree.east.code, "form": "federation",
                                                              "staffing_quota": "-1", "departments_quota": "x"})
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "请填写名称" in html and "编制数不能小于 0" in html and "内设机构数应为整数" in html
    assert Federation.objects.count() == before


def test_duplicate_code_is_refused_on_the_code_field_keeping_input(tree, personas, as_user):
    c = as_user(personas.township)
    resp = c.post(f"/org/{tree.east_town.id}/children/new/", {"name": "新村妇联", "code": tree.east.code,
                                                              "form": "federation", "staffing_quota": 0,
                                                              "departments_quota": 0})
    html = resp.content.decode()
    assert resp.status_code == 400 and "组织代码已被使用" in html and 'value="新村妇联"' in html
    assert not Federation.objects.filter(name="新村妇联").exists()


def test_stale_edit_shows_the_conflict_and_keeps_the_newer_value(tree, personas, as_user):
    # given someone else saved the county after our user opened the form (version 1)
    org.federation_update(actor=personas.province, federation=Federation.objects.get(pk=tree.east.pk), version=None,
                          name="东县妇联（新）")
    c = as_user(personas.east)
    # when she saves with the old version
    resp = c.post(f"/org/{tree.east.id}/edit/", {"name": "东县妇联（旧）", "code": tree.east.code, "form": "federation",
                                                  "staffing_quota": 8, "departments_quota": 0, "version": 1})
    # then she is told and nothing of hers is written
    assert resp.status_code == 409 and "该记录已被他人修改" in resp.content.decode()
    assert Federation.objects.get(pk=tree.east.pk).name == "东县妇联（新）"


def test_edit_saves_with_current_version(tree, personas, as_user):
    fed = Federation.objects.get(pk=tree.east.pk)
    c = as_user(personas.east)
    resp = c.post(f"/org/{fed.id}/edit/", {"name": "东县妇女联合会", "code": fed.code, "form": "federation",
                                            "staffing_quota": 9, "departments_quota": 2, "has_hotline": "on",
                                            "version": fed.version})
    fed.refresh_from_db()
    assert resp.status_code == 302 and fed.name == "东县妇女联合会" and fed.staffing_quota == 9 and fed.has_hotline


def test_deactivate_refused_while_children_are_active(tree, personas, as_user):
    c = as_user(personas.east)
    resp = c.post(f"/org/{tree.east_town.id}/active/", {"version": 1, "active": ""}, follow=True)
    assert "还有有效的下级组织" in resp.content.decode()
    assert Federation.objects.get(pk=tree.east_town.pk).is_active


def test_deactivate_and_activate_a_village(tree, personas, as_user):
    c = as_user(personas.township)
    v = Federation.objects.get(pk=tree.east_village2.pk)
    c.post(f"/org/{v.id}/active/", {"version": v.version, "active": ""})
    v.refresh_from_db()
    assert not v.is_active
    c.post(f"/org/{v.id}/active/", {"version": v.version, "active": "on"})
    v.refresh_from_db()
    assert v.is_active


def test_deactivate_outside_reach_is_404_and_nothing_changes(tree, personas, as_user):
    c = as_user(personas.east)
    resp = c.post(f"/org/{tree.west_village.id}/active/", {"version": 1, "active": ""})
    assert resp.status_code == 404 and Federation.objects.get(pk=tree.west_village.pk).is_active


def test_site_create_edit_and_deactivate(tree, personas, as_user):
    c = as_user(personas.township)
    resp = c.post(f"/org/{tree.east_village.id}/sites/new/", {"kind": "micro_home", "name": "蔬菜合作社妇女微家",
                                                              "host": "蔬菜合作社", "services": "微服务，微活动"})
    site = Site.objects.get(name="蔬菜合作社妇女微家")
    assert resp.status_code == 302 and site.services == ["微服务", "微活动"] and site.l5 == tree.east_town.id
    resp = c.post(f"/org/sites/{site.id}/edit/", {"kind": "micro_home", "name": "合作社微家", "services": "",
                                                   "version": site.version})
    site.refresh_from_db()
    assert resp.status_code == 302 and site.name == "合作社微家"
    c.post(f"/org/sites/{site.id}/active/", {"version": site.version, "active": ""})
    site.refresh_from_db()
    assert not site.is_active


def test_site_with_bad_input_writes_nothing(tree, personas, as_user):
    c = as_user(personas.township)
    resp = c.post(f"/org/{tree.east_village.id}/sites/new/", {"kind": "castle", "name": "", "established_on": "昨天"})
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "类型的选项无效" in html and "请填写名称" in html and "设立日期应为日期" in html
    assert not Site.objects.exists()


def test_organisation_create_and_list_export(tree, personas, as_user):
    c = as_user(personas.east)
    c.post(f"/org/{tree.east.id}/organisations/new/", {"kind": "partner_agency", "agency_type": "court",
                                                        "name": "东县人民法院", "women_count": 40})
    html = c.get("/org/organisations/?q=法院").content.decode()
    assert "东县人民法院" in html
    resp = c.get("/org/organisations/?q=法院&export=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX and resp.content[:2] == b"PK"


def test_village_conversion_recorded_once(tree, personas, as_user):
    c = as_user(personas.township)
    url = f"/org/{tree.east_village.id}/conversion/new/"
    resp = c.post(url, {"converted_on": "2026-03-01", "executive_members_added": 7, "with_village_election": "on"})
    assert resp.status_code == 302
    again = c.post(url, {"converted_on": "2026-03-02", "executive_members_added": 3})
    assert again.status_code == 400 and "该村已登记过会改联" in again.content.decode()
    assert VillageConversion.objects.get().executive_members_added == 7


def test_conversion_on_a_township_is_refused(tree, personas, as_user):
    c = as_user(personas.township)
    resp = c.post(f"/org/{tree.east_town.id}/conversion/new/", {"converted_on": "2026-03-01",
                                                               "executive_members_added": 7})
    assert resp.status_code == 400 and "只适用于村/社区" in resp.content.decode()
    assert not VillageConversion.objects.exists()


def test_regionalisation_form_checks_members(tree, personas, as_user):
    c = as_user(personas.township)
    url = f"/org/{tree.east_town.id}/regionalisation/new/"
    bad = c.post(url, {"completed_on": "2026-01-10", "members_before": 20, "members_after": 10})
    assert bad.status_code == 400 and "改革后执委人数不应少于改革前执委人数" in bad.content.decode()
    ok = c.post(url, {"completed_on": "2026-01-10", "members_before": 20, "members_after": 61})
    assert ok.status_code == 302
    html = c.get(f"/org/{tree.east_town.id}/").content.decode()
    assert "20 → <strong>61</strong>" in html


def test_lists_filter_paginate_and_stay_in_reach(tree, personas, as_user, admin_user):
    for i in range(35):
        org.site_create(actor=admin_user, unit=tree.east_village, kind="womens_home", name=f"东村妇女之家{i:02d}")
    org.site_create(actor=admin_user, unit=tree.west_village, kind="womens_home", name="西村妇女之家")
    c = as_user(personas.east)
    first = c.get("/org/sites/?kind=womens_home").content.decode()
    assert "东村妇女之家00" in first and "东村妇女之家34" not in first and "西村妇女之家" not in first
    assert "cursor=" in first
    import re

    nxt = re.search(r'href="(\?[^"]*cursor=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = c.get("/org/sites/" + nxt).content.decode()
    assert "东村妇女之家34" in second and "东村妇女之家00" not in second
    assert c.get(f"/org/sites/?unit={tree.west.id}").status_code == 404


def test_conversion_list_exports(tree, personas, as_user):
    org.village_conversion_record(actor=personas.township, village=tree.east_village,
                                  converted_on=__import__("datetime").date(2026, 2, 1), executive_members_added=5)
    c = as_user(personas.east)
    assert "东村妇联" in c.get("/org/conversions/").content.decode()
    resp = c.get("/org/conversions/?export=xlsx")
    assert resp["Content-Type"] == XLSX


def test_export_needs_export_permission(tree, personas, as_user):
    resp = as_user(personas.village).get("/org/sites/?export=xlsx")
    assert resp.status_code == 403
