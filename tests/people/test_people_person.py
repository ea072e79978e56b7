"""The person page: masked values, audited reveal, forms with versions, posts, deactivation, merge."""


from niangjia.core.models import AuditEntry
from niangjia.people.models import Person, Post


def audit_count(action=None) -> int:
    qs = AuditEntry.objects.all()
    return qs.filter(action=action).count() if action else qs.count()


def test_person_page_shows_masked_values_tags_and_posts(client, personas, folks):
    client.force_login(personas.east)
    resp = client.get(f"/people/{folks.zhang.pk}/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "138****8000" in html and "110105************" in html and "甲省甲一市东****" in html
    assert "13800138000" not in html and "3组12号" not in html
    assert "农村妇女" in html and "执委会" in html and "查看" in html


def test_reveal_returns_the_clear_value_and_leaves_an_audit_row(client, personas, folks):
    # given
    client.force_login(personas.east)
    before = audit_count("reveal")
    # when
    resp = client.post(f"/people/{folks.zhang.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")
    # then
    assert resp.status_code == 200 and "11010519491231002X" in resp.content.decode()
    entry = AuditEntry.objects.filter(action="reveal").latest("id")
    assert audit_count("reveal") == before + 1
    assert (entry.actor_id, entry.target_id, entry.detail["field"]) == (personas.east.pk, str(folks.zhang.pk), "id_number")


def test_reveal_refused_without_reveal_permission(client, personas, folks):
    # given a statistician of 东县: may view people, may not reveal
    client.force_login(personas.statistician)
    before = audit_count()
    # when
    resp = client.post(f"/people/{folks.zhang.pk}/reveal/phone/", HTTP_HX_REQUEST="true")
    # then
    assert resp.status_code == 403
    assert "13800138000" not in resp.content.decode()
    assert audit_count() == before
    assert "查看</button>" not in client.get(f"/people/{folks.zhang.pk}/").content.decode()


def test_reveal_of_a_person_outside_reach_answers_404(client, personas, folks):
    client.force_login(personas.east)
    before = audit_count()
    resp = client.post(f"/people/{folks.wang.pk}/reveal/phone/")
    assert resp.status_code == 404
    assert "13900139000" not in resp.content.decode()
    assert audit_count() == before
    assert client.get(f"/people/{folks.wang.pk}/").status_code == 404


def test_reveal_needs_post(client, personas, folks):
    client.force_login(personas.east)
    assert client.get(f"/people/{folks.zhang.pk}/reveal/phone/").status_code == 405


def test_duplicate_banner_links_to_merge(client, tree, personas, folks):
    from niangjia.people import services as people

    twin = people.person_create(actor=personas.east, unit=tree.east_village2, name="张秀兰", phone="138-0013-8000")
    client.force_login(personas.east)
    html = client.get(f"/people/{folks.zhang.pk}/").content.decode()
    assert "疑似重复" in html and f"/people/merge/?a={folks.zhang.pk}&amp;b={twin.pk}" in html


def test_create_person_reports_each_bad_field_in_chinese(client, tree, personas):
    # given
    client.force_login(personas.east)
    before = Person.objects.count()
    # when the ID number has a wrong check digit
    resp = client.post("/people/new/", {"name": "赵敏", "gender": "F", "id_number": "110105194912310021",
                                        "unit": tree.east_village.pk})
    # then
    assert resp.status_code == 400
    assert "身份证号校验位不正确" in resp.content.decode()
    assert Person.objects.count() == before
    # when the name is empty and the phone is not a number
    resp = client.post("/people/new/", {"name": "", "gender": "F", "phone": "12345", "unit": tree.east_village.pk})
    assert resp.status_code == 400 and "姓名不能为空" in resp.content.decode()
    resp = client.post("/people/new/", {"name": "赵敏", "gender": "F", "phone": "12345", "unit": tree.east_village.pk})
    assert "电话号码无效" in resp.content.decode()
    assert Person.objects.count() == before


def test_create_person_in_a_unit_outside_reach_is_refused(client, tree, personas):
    client.force_login(personas.east)
    before = Person.objects.count()
    resp = client.post("/people/new/", {"name": "赵敏", "gender": "F", "unit": tree.west_village.pk})
    assert resp.status_code == 404
    assert Person.objects.count() == before


def test_create_person_saves_sealed_values_and_audits(client, tree, personas, id_for):
    client.force_login(personas.east)
    resp = client.post("/people/new/", {"name": "赵敏", "gender": "F", "phone": "010-12345678",
                                        "id_number": id_for("81000019900101002").lower(), "tags": ["poor"],
                                        "grassroots_frontline": "on", "unit": tree.east_village.pk})
    person = Person.objects.get(name="赵敏")
    assert resp.status_code == 302 and resp["Location"] == f"/people/{person.pk}/"
    assert person.phone_mask.endswith("5678") and person.tags == ["poor"] and person.grassroots_frontline
    assert AuditEntry.objects.filter(action="person.create", target_id=str(person.pk)).exists()


def test_edit_with_a_stale_version_answers_409_and_changes_nothing(client, personas, folks):
    # given someone saved after the form was opened
    client.force_login(personas.east)
    form = client.get(f"/people/{folks.zhang.pk}/edit/")
    version = form.context["form"].initial["version"]
    client.post(f"/people/{folks.zhang.pk}/edit/", {"name": "张秀兰", "gender": "F", "workplace": "合作社",
                                                    "version": version, "unit": folks.zhang.unit_id})
    # when the first form is saved with the old version
    resp = client.post(f"/people/{folks.zhang.pk}/edit/", {"name": "张秀", "gender": "F", "version": version,
                                                           "unit": folks.zhang.unit_id})
    # then
    folks.zhang.refresh_from_db()
    assert resp.status_code == 409
    assert "该记录已被他人修改" in resp.content.decode()
    assert folks.zhang.name == "张秀兰" and folks.zhang.workplace == "合作社"


def test_edit_changes_fields_and_a_sensitive_value(client, personas, folks):
    client.force_login(personas.east)
    resp = client.post(f"/people/{folks.zhang.pk}/edit/", {
        "name": "张秀兰", "gender": "F", "phone": "13900001111", "tags": ["poor"], "workplace": "村委会",
        "version": folks.zhang.version, "unit": folks.zhang.unit_id})
    folks.zhang.refresh_from_db()
    assert resp.status_code == 302
    assert folks.zhang.phone_mask == "139****1111" and folks.zhang.workplace == "村委会"
    assert folks.zhang.tags == ["poor"]
    assert folks.zhang.id_number_mask == "110105************"  # left empty: unchanged


def test_edit_with_a_bad_phone_names_the_field(client, personas, folks):
    client.force_login(personas.east)
    resp = client.post(f"/people/{folks.zhang.pk}/edit/", {"name": "张秀兰", "gender": "F", "phone": "99",
                                                           "version": folks.zhang.version, "unit": folks.zhang.unit_id})
    assert resp.status_code == 400 and "电话：电话号码无效" in resp.content.decode()
    folks.zhang.refresh_from_db()
    assert folks.zhang.phone_mask == "138****8000"


def test_deactivate_person(client, personas, folks):
    client.force_login(personas.east)
    resp = client.post(f"/people/{folks.li.pk}/active/", {"active": "0", "version": folks.li.version})
    folks.li.refresh_from_db()
    assert resp.status_code == 302 and not folks.li.is_active
    assert AuditEntry.objects.filter(action="person.deactivate", target_id=str(folks.li.pk)).exists()


def test_executive_member_cannot_edit(client, personas, folks):
    client.force_login(personas.village)
    assert client.get(f"/people/{folks.zhang.pk}/edit/").status_code == 403
    resp = client.post(f"/people/{folks.zhang.pk}/active/", {"active": "0"})
    folks.zhang.refresh_from_db()
    assert resp.status_code == 403 and folks.zhang.is_active


def test_add_and_end_a_post(client, tree, personas, folks):
    client.force_login(personas.east)
    resp = client.post(f"/people/{folks.li.pk}/posts/new/", {"unit": tree.east_town.pk, "body": "standing",
                                                             "title": "常委", "tenure": "part_time",
                                                             "start_date": "2024-01-15"})
    post = Post.objects.get(person=folks.li)
    assert resp.status_code == 302 and post.unit == tree.east_town and post.is_active
    resp = client.post(f"/people/posts/{post.pk}/end/", {"end_date": "2025-06-30", "version": post.version})
    post.refresh_from_db()
    assert resp.status_code == 302 and not post.is_active and post.end_date.isoformat() == "2025-06-30"


def test_add_post_without_title_or_in_unit_outside_reach_is_refused(client, tree, personas, folks):
    client.force_login(personas.east)
    resp = client.post(f"/people/{folks.li.pk}/posts/new/", {"unit": tree.east_town.pk, "body": "standing",
                                                             "title": "", "tenure": "part_time"})
    assert resp.status_code == 400 and "职务不能为空" in resp.content.decode()
    resp = client.post(f"/people/{folks.li.pk}/posts/new/", {"unit": tree.west_town.pk, "body": "standing",
                                                             "title": "常委", "tenure": "part_time"})
    assert resp.status_code == 404
    assert not Post.objects.filter(person=folks.li).exists()


def test_duplicates_page_groups_same_phone(client, tree, personas, folks):
    from niangjia.people import services as people

    people.person_create(actor=personas.east, unit=tree.east_village2, name="张秀兰", phone="13800138000")
    client.force_login(personas.east)
    html = client.get("/people/duplicates/").content.decode()
    assert "电话相同" in html and html.count("张秀兰") >= 2


def test_merge_moves_posts_and_keeps_the_dropped_record_pointing_to_the_kept_one(client, tree, personas, folks):
    # given a second record of the same woman, with its own post
    from niangjia.people import services as people

    twin = people.person_create(actor=personas.east, unit=tree.east_village2, name="张秀兰",
                                id_number="11010519491231002X", workplace="东二村合作社")
    twin_post = people.post_create(actor=personas.east, person=twin, unit=tree.east_village2, body="delegates",
                                   title="代表")
    client.force_login(personas.east)
    page = client.get("/people/merge/", {"a": folks.zhang.pk, "b": twin.pk})
    assert page.status_code == 200 and "东二村合作社" in page.content.decode()
    # when keeping the first record
    resp = client.post("/people/merge/", {"a": folks.zhang.pk, "b": twin.pk, "keep": folks.zhang.pk})
    # then
    twin.refresh_from_db()
    twin_post.refresh_from_db()
    folks.zhang.refresh_from_db()
    assert resp.status_code == 302 and resp["Location"] == f"/people/{folks.zhang.pk}/"
    assert twin_post.person_id == folks.zhang.pk
    assert twin.merged_into_id == folks.zhang.pk and not twin.is_active
    assert folks.zhang.workplace == "东二村合作社"
    assert AuditEntry.objects.filter(action="person.merge", target_id=str(folks.zhang.pk)).exists()
    assert "已合并到" in client.get(f"/people/{twin.pk}/").content.decode()


def test_merge_refused_across_branches(client, personas, folks):
    client.force_login(personas.east)
    resp = client.post("/people/merge/", {"a": folks.zhang.pk, "b": folks.wang.pk, "keep": folks.zhang.pk})
    folks.wang.refresh_from_db()
    assert resp.status_code == 404 and folks.wang.is_active and folks.wang.merged_into_id is None


def test_revealed_phone_reads_as_a_national_number(client, personas, folks):
    client.force_login(personas.east)
    mobile = client.post(f"/people/{folks.zhang.pk}/reveal/phone/", HTTP_HX_REQUEST="true").content.decode()
    landline = client.post(f"/people/{folks.li.pk}/reveal/phone/", HTTP_HX_REQUEST="true").content.decode()
    assert "138 0013 8000" in mobile and "0571 8765 4321" in landline
