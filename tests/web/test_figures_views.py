"""各项工作汇总 pages: cards per area, one figure in detail, Excel, and the filter's messages."""

import pytest
from api.helpers import build_records

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPAN = "start=2024-01&end=2025-12"


@pytest.fixture
def records(tree, admin_user):
    return build_records(tree, admin_user)


def test_the_overview_shows_each_area_with_its_counts(client, personas, records):
    client.force_login(personas.province)
    page = client.get(f"/stats/figures/?{SPAN}").content.decode()
    assert "组织建设" in page and "村妇代会改建妇联" in page and "新增执委 12" in page
    assert "工作活动" in page and "覆盖妇女人次 100" in page
    assert f'href="/stats/figures/activity/?{SPAN.replace("&", "&amp;")}' in page


def test_the_detail_names_the_counties_and_links_down(client, personas, records, tree):
    client.force_login(personas.province)
    page = client.get(f"/stats/figures/activity/?{SPAN}&unit={tree.city.id}").content.decode()
    assert "甲一市妇联 · 按下级组织" in page and "东县妇联" in page and "西县妇联" in page
    assert f"unit={tree.east.id}" in page and "培训" in page


def test_both_pages_export_to_excel(client, personas, records):
    client.force_login(personas.province)
    for url in (f"/stats/figures/?{SPAN}&export=xlsx", f"/stats/figures/activity/?{SPAN}&export=xlsx"):
        r = client.get(url)
        assert (r.status_code, r["Content-Type"]) == (200, XLSX)


def test_a_bad_month_is_named_in_chinese(client, personas):
    client.force_login(personas.east)
    r = client.get("/stats/figures/?start=2025-13&end=2025-12")
    assert r.status_code == 400 and "起始月份应为月份，如 2026-03" in r.content.decode()
    r = client.get("/stats/figures/?start=2025-12&end=2025-01")
    assert r.status_code == 400 and "截止月份早于起始月份" in r.content.decode()


def test_another_countys_unit_is_refused(client, personas, tree):
    client.force_login(personas.east)
    r = client.get(f"/stats/figures/?{SPAN}&unit_code={tree.west.code}")
    assert r.status_code == 400 and "组织代码：找不到或不在您的管辖范围内" in r.content.decode()
    r = client.get(f"/stats/figures/?{SPAN}&unit={tree.west.id}")
    assert r.status_code == 400 and "组织范围的选项无效" in r.content.decode()


def test_a_figure_outside_the_users_permissions_is_forbidden(client, personas):
    client.force_login(personas.village)  # an executive member: no cases.view
    assert client.get(f"/stats/figures/case/?{SPAN}").status_code == 403
    assert client.get(f"/stats/figures/nothing/?{SPAN}").status_code == 404
