"""The people list: search, filters, scope, masking, keyset pages and Excel export."""

import io

from openpyxl import load_workbook

from niangjia.people import services as people


def names(resp) -> str:
    return resp.content.decode()


def test_search_by_name_finds_only_matching_person(client, personas, folks):
    # given
    client.force_login(personas.east)
    # when
    resp = client.get("/people/", {"q": "秀兰"})
    # then
    html = names(resp)
    assert resp.status_code == 200
    assert "张秀兰" in html and "李梅" not in html


def test_search_by_full_pinyin_and_by_initials(client, personas, folks):
    client.force_login(personas.east)
    assert "张秀兰" in names(client.get("/people/", {"q": "zhangxiu"}))
    html = names(client.get("/people/", {"q": "zxl"}))
    assert "张秀兰" in html and "李梅" not in html
    assert "李梅" in names(client.get("/people/", {"q": "lm"}))


def test_search_by_exact_phone_in_any_format_and_by_landline(client, personas, folks):
    client.force_login(personas.east)
    html = names(client.post("/people/", {"q": "138 0013 8000"}, follow=True))
    assert "张秀兰" in html and "李梅" not in html
    assert "李梅" in names(client.post("/people/", {"q": "057187654321"}, follow=True))
    assert "张秀兰" not in names(client.post("/people/", {"q": "13800138001"}, follow=True))


def test_search_by_exact_id_number_with_lower_case_x(client, personas, folks):
    client.force_login(personas.east)
    html = names(client.post("/people/", {"q": "11010519491231002x"}, follow=True))
    assert "张秀兰" in html and "李梅" not in html


def test_list_masks_phone_id_and_address(client, personas, folks):
    client.force_login(personas.east)
    html = names(client.get("/people/"))
    assert "138****8000" in html
    assert "13800138000" not in html and "11010519491231002X" not in html and "3组12号" not in html


def test_list_never_shows_persons_outside_reach(client, personas, folks):
    # given a cadre of 东县
    client.force_login(personas.east)
    # when she searches for a woman of 西县 by name and by phone
    by_name = names(client.get("/people/", {"q": "王芳"}))
    by_phone = names(client.post("/people/", {"q": "13900139000"}, follow=True))
    # then she finds nobody
    wang = f"/people/{folks.wang.pk}/"
    assert wang not in by_name and wang not in by_phone
    assert "没有符合条件的人员" in by_name


def test_filters_by_unit_subtree_tag_body_and_active(client, tree, personas, folks):
    client.force_login(personas.province)
    in_east_village = names(client.get("/people/", {"unit": tree.east_village.pk}))
    assert "张秀兰" in in_east_village and "李梅" not in in_east_village and "王芳" not in in_east_village
    in_east = names(client.get("/people/", {"unit": tree.east.pk}))
    assert "张秀兰" in in_east and "李梅" in in_east and "王芳" not in in_east
    by_tag = names(client.get("/people/", {"tag": "entrepreneur"}))
    assert "李梅" in by_tag and "张秀兰" not in by_tag
    by_body = names(client.get("/people/", {"body": "executive"}))
    assert "张秀兰" in by_body and "李梅" not in by_body
    people.person_set_active(actor=personas.east, person=folks.li, active=False, version=None)
    assert "李梅" not in names(client.get("/people/"))
    assert "李梅" in names(client.get("/people/", {"active": "0"}))


def test_unit_outside_reach_as_filter_answers_404(client, tree, personas, folks):
    client.force_login(personas.east)
    assert client.get("/people/", {"unit": tree.west.pk}).status_code == 404


def test_keyset_pages_walk_the_whole_list_without_repeats(client, tree, personas):
    # given 65 persons
    for i in range(65):
        people.person_create(actor=personas.east, unit=tree.east_village, name=f"测试{i:03d}")
    client.force_login(personas.east)
    seen, url, pages = [], "/people/?sort=name", 0
    # when following 下一页 until the end
    while url:
        resp = client.get(url)
        page = resp.context["page"]
        seen += [p.pk for p in page.items]
        url = f"/people/?sort=name&cursor={page.next_cursor}" if page.next_cursor else None
        pages += 1
    # then every person appears exactly once, over three pages
    assert pages == 3 and len(seen) == 65 == len(set(seen))


def test_htmx_filter_returns_only_the_results_partial(client, personas, folks):
    client.force_login(personas.east)
    resp = client.get("/people/", {"q": "李"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = names(resp)
    assert "李梅" in html and "<nav class=\"navbar" not in html


def test_export_uses_the_same_filters_and_only_masked_values(client, personas, folks):
    client.force_login(personas.east)
    resp = client.get("/people/export/", {"tag": "rural"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "姓名" and [r[1] for r in rows[1:]] == ["张秀兰"]
    flat = " ".join(str(v) for r in rows for v in r)
    assert "138****8000" in flat and "13800138000" not in flat and "11010519491231002X" not in flat


def test_export_refused_without_export_permission(client, personas, folks):
    client.force_login(personas.village)  # executive member: may view, may not export
    assert client.get("/people/export/").status_code == 403
