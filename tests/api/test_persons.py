"""Persons: search, masked detail with posts and duplicates, create, edit, reveal, merge, deactivate."""

from niangjia.core.models import AuditEntry
from niangjia.people import services as people
from niangjia.people.models import Person, Post

from .helpers import Api, error_of, id_number, ids_of, snapshot


def _person(admin, unit, name, **kw):
    return people.person_create(actor=admin, unit=unit, name=name, **kw)


def test_search_by_name_pinyin_phone_and_id_number(tree, personas, admin_user):
    # given
    p = _person(admin_user, tree.east_village, "李春燕", phone="13912345678", id_number=id_number("19900315"),
                tags=["entrepreneur"])
    _person(admin_user, tree.east_village, "赵丽")
    api = Api(personas.east)

    def found(**params):
        return ids_of(api.get("/persons", **params).json())

    def found_by_number(q):  # a number travels in a POST body, never a URL
        return ids_of(api.post("/persons/search", {"q": q}).json())

    # then
    assert found(q="春燕") == {p.id}
    assert found(q="lichunyan") == {p.id}
    assert found(q="lcy") == {p.id}
    assert found_by_number("139 1234 5678") == {p.id}
    assert found_by_number(id_number("19900315").lower()) == {p.id}
    assert found_by_number("13912345679") == set()
    assert found(tag="entrepreneur") == {p.id}


def test_list_shows_sensitive_fields_masked_only(tree, personas, admin_user):
    _person(admin_user, tree.east, "钱红", phone="13800138000", id_number=id_number("19850101"),
            address="东县人民路88号3单元")
    body = Api(personas.east).get("/persons").content.decode()
    assert "13800138000" not in body and "138****8000" in body
    assert id_number("19850101") not in body and "人民路88号" not in body


def test_list_filters_by_unit_subtree_body_and_active(tree, personas, records):
    api = Api(personas.east)
    assert ids_of(api.get("/persons", unit=tree.east_town.id).json()) == {
        records.person["town"].id, records.person["village"].id}
    assert ids_of(api.get("/persons", body="executive").json()) == {
        records.person[k].id for k in ("east", "town", "village")}
    assert ids_of(api.get("/persons", body="standing").json()) == set()
    assert ids_of(api.get("/persons", active="false").json()) == set()


def test_list_refuses_unknown_tag_naming_the_field(personas):
    r = Api(personas.east).get("/persons", tag="rich")
    assert r.status_code == 400
    assert "tag" in error_of(r)["fields"]


def test_detail_is_masked_with_posts_and_possible_duplicates(tree, personas, records, admin_user):
    twin = _person(admin_user, tree.east_town, "王一红", phone="13800138001")  # same phone as records.person["east"]
    r = Api(personas.east).get(f"/persons/{records.person['east'].id}")
    assert r.status_code == 200
    body = r.json()
    assert body["phone"] == "138****8001"
    assert [p["title"] for p in body["posts"]] == ["执委"]
    assert [d["id"] for d in body["possible_duplicates"]] == [twin.id]


def test_create_returns_the_person_and_possible_duplicates(tree, personas, records):
    # when: the same woman (same ID number) is entered again
    r = Api(personas.east).post("/persons", {"unit": tree.east_village.id, "name": "王二红",
                                             "id_number": id_number("19800102"), "phone": "010-62345678",
                                             "tags": ["rural"], "grassroots_frontline": True})
    # then
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["gender"] == "F" and body["birth_year"] == 1980 and "birth_date" not in body
    assert [d["id"] for d in body["possible_duplicates"]] == [records.person["town"].id]
    person = Person.objects.get(pk=body["id"])
    assert person.l6 == tree.east_village.id and person.tags == ["rural"]
    assert AuditEntry.objects.filter(action="person.create", target_id=str(person.id)).exists()


def test_create_with_a_bad_id_number_names_the_field_and_writes_nothing(tree, personas):
    before = snapshot()
    r = Api(personas.east).post("/persons", {"unit": tree.east.id, "name": "张三", "id_number": "110105198001010021"})
    assert r.status_code == 400
    assert error_of(r)["fields"] == {"id_number": "身份证号校验位不正确"}
    assert snapshot() == before


def test_create_with_a_bad_phone_names_the_field(tree, personas):
    r = Api(personas.east).post("/persons", {"unit": tree.east.id, "name": "张三", "phone": "12345"})
    assert r.status_code == 400
    assert "phone" in error_of(r)["fields"]


def test_create_without_a_name_names_the_field(tree, personas):
    r = Api(personas.east).post("/persons", {"unit": tree.east.id, "name": " "})
    assert r.status_code == 400
    assert "name" in error_of(r)["fields"]


def test_executive_may_not_create(tree, personas):
    before = snapshot()
    r = Api(personas.village).post("/persons", {"unit": tree.east_village.id, "name": "张三"})
    assert r.status_code == 403
    assert snapshot() == before


def test_patch_changes_plain_and_sensitive_fields(personas, records):
    # given
    p = records.person["village"]
    api = Api(personas.east)
    # when
    r = api.patch(f"/persons/{p.id}", {"version": 1, "workplace": "东村蔬菜合作社", "phone": "13700000000"})
    # then
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["workplace"] == "东村蔬菜合作社" and body["phone"] == "137****0000"
    assert body["version"] == 3  # one bump for the sealed fields, one for the rest
    assert api.post("/persons/search", {"q": "13700000000"}).json()["items"][0]["id"] == p.id
    detail = AuditEntry.objects.get(action="person.update_sensitive", target_id=str(p.id)).detail
    assert "13700000000" not in str(detail)


def test_patch_with_a_stale_version_is_409_and_changes_nothing(personas, records):
    p = records.person["village"]
    api = Api(personas.east)
    assert api.patch(f"/persons/{p.id}", {"version": 1, "workplace": "甲"}).status_code == 200
    before = snapshot()
    r = api.patch(f"/persons/{p.id}", {"version": 1, "workplace": "乙", "phone": "13700000000"})
    assert r.status_code == 409
    assert snapshot() == before


def test_patch_with_a_bad_id_number_names_the_field(personas, records):
    before = snapshot()
    r = Api(personas.east).patch(f"/persons/{records.person['east'].id}", {"version": 1, "id_number": "123"})
    assert r.status_code == 400
    assert "id_number" in error_of(r)["fields"]
    assert snapshot() == before


def test_reveal_gives_the_clear_value_and_is_audited(personas, records):
    p = records.person["east"]
    r = Api(personas.east).post(f"/persons/{p.id}/reveal", {"field": "address"})
    assert r.status_code == 200
    assert r.json() == {"field": "address", "value": "东县妇联所在地1号"}
    entry = AuditEntry.objects.get(action="reveal", target_id=str(p.id))
    assert entry.actor_id == personas.east.id and entry.detail == {"field": "address"}


def test_reveal_without_the_permission_is_403_and_not_audited(personas, records):
    before = snapshot()
    r = Api(personas.village).post(f"/persons/{records.person['village'].id}/reveal", {"field": "phone"})
    assert r.status_code == 403
    assert snapshot() == before


def test_reveal_of_an_unknown_field_names_the_field(personas, records):
    r = Api(personas.east).post(f"/persons/{records.person['east'].id}/reveal", {"field": "password"})
    assert r.status_code == 400
    assert "field" in error_of(r)["fields"]


def test_duplicates_are_grouped(tree, personas, records, admin_user):
    twin = _person(admin_user, tree.east_village, "王三红", id_number=id_number("19800103"))
    groups = Api(personas.east).get("/persons/duplicates").json()["items"]
    assert [(g["reason"], {p["id"] for p in g["persons"]}) for g in groups] == [
        ("身份证号相同", {records.person["village"].id, twin.id})]


def test_merge_keeps_everything(tree, personas, records, admin_user):
    # given: a second record of the same woman with a post of her own
    keep = records.person["village"]
    drop = _person(admin_user, tree.east_village, "王三红", id_number=id_number("19800103"), phone="13600000000",
                   tags=["poor"])
    post = people.post_create(actor=admin_user, person=drop, unit=tree.east_village, body="delegates", title="代表")
    # when
    r = Api(personas.east).post("/persons/merge", {"keep": keep.id, "drop": drop.id})
    # then
    assert r.status_code == 200, r.content
    body = r.json()
    assert {p["title"] for p in body["posts"]} == {"执委", "代表"}
    assert body["tags"] == ["poor"]
    assert Post.objects.get(pk=post.pk).person_id == keep.id
    drop.refresh_from_db()
    assert drop.merged_into_id == keep.id and not drop.is_active


def test_merge_into_itself_is_refused(personas, records):
    before = snapshot()
    p = records.person["east"]
    r = Api(personas.east).post("/persons/merge", {"keep": p.id, "drop": p.id})
    assert r.status_code == 400
    assert snapshot() == before


def test_merge_without_permission_is_403(tree, personas, records, admin_user):
    other = _person(admin_user, tree.east_village, "王三红")
    before = snapshot()
    r = Api(personas.village).post("/persons/merge", {"keep": records.person["village"].id, "drop": other.id})
    assert r.status_code == 403
    assert snapshot() == before


def test_merge_needs_both_ids(personas, records):
    r = Api(personas.east).post("/persons/merge", {"keep": records.person["east"].id})
    assert r.status_code == 400
    assert "drop" in error_of(r)["fields"]


def test_deactivate_and_activate(personas, records):
    api = Api(personas.east)
    p = records.person["town"]
    assert api.post(f"/persons/{p.id}/deactivate", {"version": 1}).json()["is_active"] is False
    assert p.id not in ids_of(api.get("/persons", active="true").json())
    assert api.post(f"/persons/{p.id}/deactivate", {"version": 1}).status_code == 409
    assert api.post(f"/persons/{p.id}/activate", {"version": 2}).json()["is_active"] is True
