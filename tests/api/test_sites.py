"""Sites (阵地): list, detail, create, edit, deactivate."""

from niangjia.org.models import Site

from .helpers import Api, error_of, ids_of, snapshot


def test_list_filters_by_unit_subtree_kind_and_name(tree, personas, records, admin_user):
    from niangjia.org import services as org

    hotline = org.site_create(actor=admin_user, unit=tree.east_town, kind="rights_post", name="东镇派出所维权岗")
    api = Api(personas.east)
    assert ids_of(api.get("/sites").json()) == {records.site[k].id for k in ("east", "town", "village")} | {hotline.id}
    assert ids_of(api.get("/sites", unit=tree.east_town.id).json()) == {
        records.site["town"].id, records.site["village"].id, hotline.id}
    assert ids_of(api.get("/sites", kind="rights_post").json()) == {hotline.id}
    assert ids_of(api.get("/sites", q="东村").json()) == {records.site["village"].id}


def test_list_pages(personas, records):
    api = Api(personas.province)
    first = api.get("/sites", limit=2).json()
    rest = api.get("/sites", limit=2, cursor=first["next_cursor"]).json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 2 and rest["next_cursor"] is None


def test_list_refuses_an_unknown_kind(personas):
    r = Api(personas.east).get("/sites", kind="castle")
    assert r.status_code == 400
    assert "kind" in error_of(r)["fields"]


def test_detail(personas, records):
    r = Api(personas.east).get(f"/sites/{records.site['town'].id}")
    assert r.status_code == 200
    assert r.json()["kind_name"] == "妇女之家" and r.json()["unit"]["name"] == "东镇妇联"


def test_create(tree, personas):
    r = Api(personas.east).post("/sites", {"unit": tree.east_village.id, "kind": "micro_home", "name": "蔬菜合作社微家",
                                           "host": "蔬菜合作社", "services": ["议事", "培训"],
                                           "established_on": "2024-03-08"})
    assert r.status_code == 201, r.content
    site = Site.objects.get(pk=r.json()["id"])
    assert (site.l4, site.l6, site.services) == (tree.east.id, tree.east_village.id, ["议事", "培训"])


def test_create_without_kind_names_the_field(tree, personas):
    before = snapshot()
    r = Api(personas.east).post("/sites", {"unit": tree.east.id, "name": "x"})
    assert r.status_code == 400
    assert "kind" in error_of(r)["fields"]
    assert snapshot() == before


def test_create_with_a_blank_name_names_the_field(tree, personas):
    r = Api(personas.east).post("/sites", {"unit": tree.east.id, "kind": "womens_home", "name": ""})
    assert r.status_code == 400
    assert "name" in error_of(r)["fields"]


def test_executive_may_not_create(tree, personas):
    before = snapshot()
    r = Api(personas.village).post("/sites", {"unit": tree.east_village.id, "kind": "womens_home", "name": "x"})
    assert r.status_code == 403
    assert snapshot() == before


def test_patch_and_stale_patch(personas, records):
    api = Api(personas.east)
    site = records.site["town"]
    r = api.patch(f"/sites/{site.id}", {"version": 1, "address": "东镇人民路1号"})
    assert r.status_code == 200 and r.json()["address"] == "东镇人民路1号" and r.json()["version"] == 2
    before = snapshot()
    r = api.patch(f"/sites/{site.id}", {"version": 1, "address": "别处"})
    assert r.status_code == 409
    assert snapshot() == before


def test_patch_by_executive_is_403(personas, records):
    before = snapshot()
    r = Api(personas.village).patch(f"/sites/{records.site['village'].id}", {"version": 1, "name": "x"})
    assert r.status_code == 403
    assert snapshot() == before


def test_deactivate_and_activate(personas, records):
    api = Api(personas.east)
    site = records.site["east"]
    assert api.post(f"/sites/{site.id}/deactivate", {"version": 1}).json()["is_active"] is False
    assert site.id not in ids_of(api.get("/sites", active="true").json())
    assert api.post(f"/sites/{site.id}/activate", {"version": 2}).json()["is_active"] is True


def test_deactivate_stale_is_409(personas, records):
    r = Api(personas.east).post(f"/sites/{records.site['east'].id}/deactivate", {"version": 5})
    assert r.status_code == 409
    assert Site.objects.get(pk=records.site["east"].id).is_active
