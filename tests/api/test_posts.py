"""Posts: list, detail, create, edit, end; and the composition report built from them."""

from niangjia.people import services as people
from niangjia.people.models import Post

from .helpers import Api, error_of, ids_of, snapshot


def test_list_filters_by_unit_body_person_and_active(tree, personas, records, admin_user):
    extra = people.post_create(actor=admin_user, person=records.person["east"], unit=tree.east, body="standing",
                               title="常委")
    api = Api(personas.east)
    assert ids_of(api.get("/posts", unit=tree.east.id).json()) == {records.post["east"].id, extra.id}
    assert ids_of(api.get("/posts", body="standing").json()) == {extra.id}
    assert ids_of(api.get("/posts", person=records.person["east"].id).json()) == {records.post["east"].id, extra.id}
    assert ids_of(api.get("/posts", active="false").json()) == set()


def test_detail(personas, records):
    r = Api(personas.east).get(f"/posts/{records.post['town'].id}")
    assert r.status_code == 200
    assert r.json()["body_name"] == "执委会" and r.json()["person"]["name"] == records.person["town"].name


def test_create(tree, personas, records):
    r = Api(personas.east).post("/posts", {"person": records.person["village"].id, "unit": tree.east_town.id,
                                           "body": "standing", "title": "常委", "tenure": "full_time",
                                           "start_date": "2024-01-01"})
    assert r.status_code == 201, r.content
    post = Post.objects.get(pk=r.json()["id"])
    assert (post.unit_id, post.l5, post.tenure) == (tree.east_town.id, tree.east_town.id, "full_time")


def test_create_with_unknown_body_names_the_field(tree, personas, records):
    before = snapshot()
    r = Api(personas.east).post("/posts", {"person": records.person["east"].id, "unit": tree.east.id,
                                           "body": "council", "title": "x"})
    assert r.status_code == 400
    assert "body" in error_of(r)["fields"]
    assert snapshot() == before


def test_create_ending_before_it_starts_names_the_field(tree, personas, records):
    r = Api(personas.east).post("/posts", {"person": records.person["east"].id, "unit": tree.east.id,
                                           "body": "executive", "title": "执委", "start_date": "2024-05-01",
                                           "end_date": "2024-01-01"})
    assert r.status_code == 400
    assert "end_date" in error_of(r)["fields"]


def test_executive_may_not_create(tree, personas, records):
    before = snapshot()
    r = Api(personas.village).post("/posts", {"person": records.person["village"].id, "unit": tree.east_village.id,
                                              "body": "executive", "title": "执委"})
    assert r.status_code == 403
    assert snapshot() == before


def test_patch_and_stale_patch(personas, records):
    api = Api(personas.east)
    post = records.post["east"]
    assert api.patch(f"/posts/{post.id}", {"version": 1, "title": "副主席"}).json()["title"] == "副主席"
    before = snapshot()
    r = api.patch(f"/posts/{post.id}", {"version": 1, "title": "主席"})
    assert r.status_code == 409
    assert snapshot() == before


def test_end_a_post(personas, records):
    post = records.post["town"]
    r = Api(personas.east).post(f"/posts/{post.id}/end", {"version": 1, "end_date": "2025-06-30"})
    assert r.status_code == 200
    assert r.json()["is_active"] is False and r.json()["end_date"] == "2025-06-30"


def test_end_without_a_date_names_the_field(personas, records):
    r = Api(personas.east).post(f"/posts/{records.post['town'].id}/end", {"version": 1})
    assert r.status_code == 400
    assert "end_date" in error_of(r)["fields"]


def test_end_by_executive_is_403(personas, records):
    before = snapshot()
    r = Api(personas.village).post(f"/posts/{records.post['village'].id}/end", {"version": 1, "end_date": "2025-06-30"})
    assert r.status_code == 403
    assert snapshot() == before


def test_composition_report_shows_each_rule_at_its_threshold(tree, personas, admin_user):
    # given: 东县 standing committee of 10, exactly 3 grassroots front-line (30%: met); leadership 2, 1 full-time
    for i in range(10):
        p = people.person_create(actor=admin_user, unit=tree.east, name=f"常委{i}", grassroots_frontline=i < 3)
        people.post_create(actor=admin_user, person=p, unit=tree.east, body="standing", title="常委")
    for i, tenure in enumerate(["full_time", "part_time"]):
        p = people.person_create(actor=admin_user, unit=tree.east, name=f"班子{i}")
        people.post_create(actor=admin_user, person=p, unit=tree.east, body="leadership", title="副主席", tenure=tenure)
    staff = people.person_create(actor=admin_user, unit=tree.east, name="干部")
    people.post_create(actor=admin_user, person=staff, unit=tree.east, body="organ_staff", title="干事",
                       tenure="full_time")
    # when
    r = Api(personas.east).get(f"/federations/{tree.east.id}/composition")
    # then
    assert r.status_code == 200
    body = r.json()
    rules = {x["code"]: x for x in body["rules"]}
    assert (rules["standing_grassroots"]["part"], rules["standing_grassroots"]["whole"]) == (3, 10)
    assert rules["standing_grassroots"]["share_pct"] == 30.0 and rules["standing_grassroots"]["met"] is True
    assert rules["leadership_full_time"]["met"] is True and rules["leadership_full_time"]["threshold_pct"] == 50
    assert rules["executive_grassroots"]["met"] is None
    assert body["staffing"] == {"quota": 8, "actual": 1, "full_time": 1, "seconded": 0, "volunteers": 0,
                                "within_quota": True, "vacancies": 7, "two_plus_one": False}
    assert {b["body"]: b["members"] for b in body["bodies"]}["standing"] == 10
    assert body["policy"]["standing_grassroots_min_pct"] == 30


def test_composition_of_a_missing_unit_is_404(personas):
    assert Api(personas.east).get("/federations/999999/composition").status_code == 404
