"""Partner organisations: list, detail, create, edit, deactivate."""

from niangjia.org.models import Organisation

from .helpers import Api, error_of, ids_of, snapshot


def test_list_filters_by_kind_agency_and_unit(tree, personas, records, admin_user):
    from niangjia.org import services as org

    police = org.organisation_create(actor=admin_user, unit=tree.east, kind="partner_agency", agency_type="police",
                                     name="东县公安局")
    api = Api(personas.east)
    assert ids_of(api.get("/organisations").json()) == {records.org[k].id for k in ("east", "town", "village")} | {
        police.id}
    assert ids_of(api.get("/organisations", agency_type="police").json()) == {police.id}
    assert ids_of(api.get("/organisations", kind="social_org", unit=tree.east_village.id).json()) == {
        records.org["village"].id}


def test_detail(personas, records):
    r = Api(personas.east).get(f"/organisations/{records.org['east'].id}")
    assert r.status_code == 200 and r.json()["kind_name"] == "社会组织"


def test_create(tree, personas):
    r = Api(personas.east).post("/organisations", {"unit": tree.east.id, "kind": "partner_agency",
                                                   "agency_type": "court", "name": "东县人民法院",
                                                   "contact_phone": "010-12345678"})
    assert r.status_code == 201, r.content
    assert Organisation.objects.get(pk=r.json()["id"]).agency_type == "court"


def test_create_with_unknown_agency_names_the_field(tree, personas):
    before = snapshot()
    r = Api(personas.east).post("/organisations", {"unit": tree.east.id, "kind": "partner_agency",
                                                   "agency_type": "army", "name": "x"})
    assert r.status_code == 400
    assert "agency_type" in error_of(r)["fields"]
    assert snapshot() == before


def test_create_with_negative_women_count_names_the_field(tree, personas):
    r = Api(personas.east).post("/organisations", {"unit": tree.east.id, "kind": "social_org", "name": "x",
                                                   "women_count": -1})
    assert r.status_code == 400
    assert "women_count" in error_of(r)["fields"]


def test_patch_stale_and_forbidden(personas, records):
    obj = records.org["village"]
    assert Api(personas.east).patch(f"/organisations/{obj.id}", {"version": 1, "women_count": 12}).status_code == 200
    before = snapshot()
    assert Api(personas.east).patch(f"/organisations/{obj.id}", {"version": 1, "women_count": 13}).status_code == 409
    assert Api(personas.village).patch(f"/organisations/{obj.id}", {"version": 2, "women_count": 13}).status_code == 403
    assert snapshot() == before
    assert Organisation.objects.get(pk=obj.id).women_count == 12


def test_deactivate_and_activate(personas, records):
    api = Api(personas.east)
    obj = records.org["town"]
    assert api.post(f"/organisations/{obj.id}/deactivate", {"version": 1}).json()["is_active"] is False
    assert obj.id in ids_of(api.get("/organisations", active="false").json())
    assert api.post(f"/organisations/{obj.id}/activate", {"version": 2}).json()["is_active"] is True
