"""Federations: list, tree, detail, subtree, search, create, edit, (de)activate."""

from niangjia.core.models import AuditEntry
from niangjia.org.models import Federation

from .helpers import Api, error_of, ids_of, snapshot


def test_list_filters_by_level_and_pages_with_a_cursor(tree, personas):
    # given: 甲省 sees 10 units below the nation
    api = Api(personas.province)
    # when
    first = api.get("/federations", limit=3).json()
    second = api.get("/federations", limit=3, cursor=first["next_cursor"]).json()
    villages = api.get("/federations", level=6).json()
    # then
    assert len(first["items"]) == 3 and first["next_cursor"]
    assert ids_of(first).isdisjoint(ids_of(second))
    assert [f["level"] for f in first["items"]] == [2, 3, 4]
    assert ids_of(villages) == {tree.east_village.id, tree.east_village2.id, tree.west_village.id}
    assert villages["next_cursor"] is None


def test_list_filters_by_parent_pinyin_initials_code_and_active(tree, personas):
    api = Api(personas.province)
    assert ids_of(api.get("/federations", parent=tree.city.id).json()) == {tree.east.id, tree.west.id}
    assert ids_of(api.get("/federations", q="dx").json()) == {tree.east.id}  # 东县 → d x
    assert ids_of(api.get("/federations", q="110102").json()) == {tree.west.id, tree.west_town.id, tree.west_village.id}
    assert ids_of(api.get("/federations", q="东村").json()) == {tree.east_village.id}
    assert api.get("/federations", active="false").json()["items"] == []


def test_list_refuses_a_bad_limit_naming_the_field(personas):
    r = Api(personas.east).get("/federations", limit=0)
    assert r.status_code == 400
    assert "limit" in error_of(r)["fields"]


def test_list_refuses_a_bad_cursor(personas):
    r = Api(personas.east).get("/federations", cursor="@@@")
    assert r.status_code == 400
    assert "cursor" in error_of(r)["fields"]


def test_tree_starts_at_the_callers_scope_and_counts_children(tree, personas):
    api = Api(personas.east)
    roots = api.get("/federations/tree").json()["items"]
    assert [(n["id"], n["child_count"]) for n in roots] == [(tree.east.id, 1)]
    kids = api.get("/federations/tree", parent=tree.east_town.id).json()["items"]
    assert [(n["name"], n["child_count"]) for n in kids] == [("东村妇联", 0), ("东二村妇联", 0)]


def test_tree_of_a_unit_outside_reach_is_404(tree, personas):
    r = Api(personas.east).get("/federations/tree", parent=tree.city.id)
    assert r.status_code == 404
    assert error_of(r)["code"] == "not_found"


def test_detail_and_subtree(tree, personas):
    api = Api(personas.east)
    detail = api.get(f"/federations/{tree.east_town.id}").json()
    assert detail["name"] == "东镇妇联" and detail["level_name"] == "乡镇/街道" and detail["parent_id"] == tree.east.id
    sub = api.get(f"/federations/{tree.east.id}/subtree").json()
    assert ids_of(sub) == {tree.east_town.id, tree.east_village.id, tree.east_village2.id}
    assert ids_of(api.get(f"/federations/{tree.east.id}/subtree", level=6).json()) == {
        tree.east_village.id, tree.east_village2.id}


def test_detail_of_a_missing_unit_is_404(personas):
    assert Api(personas.east).get("/federations/999999").status_code == 404


def test_search_by_pinyin_initials(tree, personas):
    r = Api(personas.province).get("/federations/search", q="xc")
    assert r.status_code == 200
    assert ids_of(r.json()) == {tree.west_village.id}


def test_search_needs_a_query(personas):
    r = Api(personas.east).get("/federations/search")
    assert r.status_code == 400
    assert "q" in error_of(r)["fields"]


def test_create_under_a_unit_in_reach(tree, personas):
    # when
    r = Api(personas.east).post("/federations", {"parent": tree.east_town.id, "name": "东三村妇联",
                                                 "code": "110101001003", "form": "congress"})
    # then
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["level"] == 6 and body["parent_id"] == tree.east_town.id and body["form"] == "congress"
    fed = Federation.objects.get(pk=body["id"])
    assert (fed.l4, fed.l5, fed.l6) == (tree.east.id, tree.east_town.id, fed.id)
    assert AuditEntry.objects.filter(action="federation.create", target_id=str(fed.id)).exists()


def test_create_with_a_taken_code_names_the_field(tree, personas):
    before = snapshot()
    r = Api(personas.east).post("/federations", {"parent": tree.east.id, "name": "重复", "code": tree.east_town.code})
    assert r.status_code == 400
    assert "code" in error_of(r)["fields"]
    assert snapshot() == before


def test_create_without_a_name_names_the_field(tree, personas):
    r = Api(personas.east).post("/federations", {"parent": tree.east.id, "code": "110101009000"})
    assert r.status_code == 400
    assert "name" in error_of(r)["fields"]


def test_create_below_a_village_is_refused(tree, personas):
    r = Api(personas.east).post("/federations", {"parent": tree.east_village.id, "name": "组", "code": "1101010010011"})
    assert r.status_code == 400
    assert "parent" in error_of(r)["fields"]


def test_create_a_national_root_needs_a_superuser(personas):
    before = snapshot()
    r = Api(personas.province).post("/federations", {"name": "另一个全国", "code": "200000000000"})
    assert r.status_code == 403
    assert error_of(r)["code"] == "forbidden"
    assert snapshot() == before


def test_an_executive_may_not_create(tree, personas):
    before = snapshot()
    r = Api(personas.village).post("/federations", {"parent": tree.east_village.id, "name": "x", "code": "1"})
    assert r.status_code == 403
    assert snapshot() == before


def test_patch_with_the_current_version(tree, personas):
    # when
    r = Api(personas.east).patch(f"/federations/{tree.east_town.id}",
                                 {"version": 1, "name": "东镇街道妇联", "staffing_quota": 3})
    # then
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2
    fed = Federation.objects.get(pk=tree.east_town.id)
    assert (fed.name, fed.staffing_quota, fed.name_initials) == ("东镇街道妇联", 3, "dzjdfl")


def test_patch_with_a_stale_version_is_409_and_changes_nothing(tree, personas):
    api = Api(personas.east)
    assert api.patch(f"/federations/{tree.east_town.id}", {"version": 1, "name": "甲"}).status_code == 200
    before = snapshot()
    r = api.patch(f"/federations/{tree.east_town.id}", {"version": 1, "name": "乙"})
    assert r.status_code == 409
    assert error_of(r)["code"] == "stale_version"
    assert snapshot() == before


def test_patch_without_version_names_the_field(tree, personas):
    r = Api(personas.east).patch(f"/federations/{tree.east_town.id}", {"name": "甲"})
    assert r.status_code == 400
    assert "version" in error_of(r)["fields"]


def test_patch_by_an_executive_is_403(tree, personas):
    before = snapshot()
    r = Api(personas.village).patch(f"/federations/{tree.east_village.id}", {"version": 1, "name": "甲"})
    assert r.status_code == 403
    assert snapshot() == before


def test_deactivate_then_activate(tree, personas):
    api = Api(personas.east)
    r = api.post(f"/federations/{tree.east_village2.id}/deactivate", {"version": 1})
    assert r.status_code == 200 and r.json()["is_active"] is False
    r = api.post(f"/federations/{tree.east_village2.id}/activate", {"version": 2})
    assert r.status_code == 200 and r.json()["is_active"] is True


def test_deactivate_with_active_children_is_refused(tree, personas):
    before = snapshot()
    r = Api(personas.east).post(f"/federations/{tree.east_town.id}/deactivate", {"version": 1})
    assert r.status_code == 400
    assert "下级" in error_of(r)["message"]
    assert snapshot() == before


def test_deactivate_with_a_stale_version_is_409(tree, personas):
    r = Api(personas.east).post(f"/federations/{tree.east_village2.id}/deactivate", {"version": 7})
    assert r.status_code == 409
    assert Federation.objects.get(pk=tree.east_village2.id).is_active


def test_input_errors_are_said_in_chinese_naming_each_field(tree, personas):
    api = Api(personas.east)
    err = error_of(api.get("/federations", limit=0, level="x"))
    assert err["fields"] == {"limit": "不能小于 1", "level": "应为数字"}
    assert "limit：不能小于 1" in err["message"] and "level：应为数字" in err["message"]
    err = error_of(api.post("/federations", {"parent": tree.east.id, "form": "club"}))
    assert err["fields"]["name"] == "必填" and err["fields"]["code"] == "必填"
    assert err["fields"]["form"].startswith("取值无效")
