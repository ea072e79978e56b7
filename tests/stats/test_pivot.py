"""数据透视: a figure by units below / category / status (rows) and month / quarter / year (columns), its
export, and views saved per user (save, list, open, delete with confirmation; nobody else's).

Records (tests/api/helpers.build_records): activities in 东县 (10 women), 东镇 (20), 东村 (30) and 西县 (40)
in March 2025 (category 培训).
"""

from datetime import date

import pytest
from api.helpers import Api, build_records, error_of
from django.test import Client

from niangjia.core.models import AuditEntry
from niangjia.stats import pivot
from niangjia.stats.models import SavedPivot

YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.fixture
def records(tree, admin_user):
    return build_records(tree, admin_user)


# ---------------------------------------------------------------- the pure table


@pytest.mark.parametrize(("grain", "labels"), [
    ("month", ["2025-11", "2025-12", "2026-01", "2026-02"]),
    ("quarter", ["2025年第4季度", "2026年第1季度"]),
    ("year", ["2025年", "2026年"]),
])
def test_every_column_of_the_span_is_shown(grain, labels):
    assert [label for _, label in pivot.columns(date(2025, 11, 1), date(2026, 2, 28), grain)] == labels


def test_the_table_sums_months_into_quarters_keeps_zero_rows_and_adds_up():
    rows = [{"period": date(2025, 1, 1), "key": 1, "n": 2, "t": 5}, {"period": date(2025, 3, 1), "key": 1, "n": 1, "t": 1},
            {"period": date(2025, 4, 1), "key": 9, "n": 4, "t": 0}]
    t = pivot.table(rows, key="key", grain="quarter", start=date(2025, 1, 1), end=date(2025, 6, 30),
                    labels=[(1, "东县"), (2, "西县")])
    assert t["columns"] == ["2025年第1季度", "2025年第2季度"]
    assert [(r["label"], r["cells"], r["total"]) for r in t["rows"]] == [
        ("东县", [3, 0], 3), ("西县", [0, 0], 0), ("9", [0, 4], 4)]  # an unnamed key is kept, not dropped
    assert (t["totals"], t["grand"]) == ([3, 4], 7)
    assert pivot.table(rows, key="key", grain="year", start=date(2025, 1, 1), end=date(2025, 12, 31),
                       labels=[], value="t")["grand"] == 6


def test_an_unknown_grain_is_refused():
    with pytest.raises(ValueError):
        pivot.columns(date(2025, 1, 1), date(2025, 2, 1), "week")


# ---------------------------------------------------------------- the API and the page


def test_by_units_below_each_county_is_a_row_zeros_included_and_the_total_is_the_figures(records, tree, personas):
    api = Api(personas.province)
    body = api.get("/stats/pivot", metric="activity", rows="unit", cols="quarter", unit=tree.city.id, **YEAR).json()
    assert body["columns"] == ["2025年第1季度", "2025年第2季度", "2025年第3季度", "2025年第4季度"]
    assert [(r["label"], r["cells"]) for r in body["rows"]] == [("东县妇联", [3, 0, 0, 0]), ("西县妇联", [1, 0, 0, 0])]
    figure = api.get("/stats/figures", unit=tree.city.id, **YEAR).json()
    assert body["grand"] == next(f["count"] for f in figure["figures"] if f["metric"] == "activity") == 4
    women = api.get("/stats/pivot", metric="activity", rows="unit", cols="year", value="t", unit=tree.city.id,
                    **YEAR).json()
    assert [r["total"] for r in women["rows"]] == [60, 40]


def test_by_category_and_by_status(records, tree, personas):
    api = Api(personas.east)
    body = api.get("/stats/pivot", metric="activity", rows="category", cols="month", **YEAR).json()
    assert len(body["columns"]) == 12
    training = next(r for r in body["rows"] if r["key"] == "training")
    assert (training["label"], training["cells"][2], training["total"]) == ("培训", 3, 3)
    assert {r["key"] for r in body["rows"]} >= {"visit", "outreach"}  # every category, zeros too
    assert api.get("/stats/pivot", metric="activity", rows="status", cols="year", **YEAR).json()["grand"] == 3


def test_a_pilot_makes_its_members_the_rows(records, tree, personas, admin_user):
    from niangjia.reform import services as reform

    p = reform.pilot_create(actor=admin_user, unit=tree.province, name="试点县", members=[tree.west, tree.east_town])
    body = Api(personas.province).get("/stats/pivot", metric="activity", rows="unit", cols="year", pilot=p.id,
                                      **YEAR).json()
    assert [(r["label"], r["total"]) for r in body["rows"]] == [("西县妇联", 1), ("东镇妇联", 2)] or \
        [(r["label"], r["total"]) for r in body["rows"]] == [("东镇妇联", 2), ("西县妇联", 1)]


def test_bad_settings_and_hidden_units_are_refused(records, tree, personas):
    api = Api(personas.east)
    assert api.get("/stats/pivot", metric="activity", rows="unit", unit=tree.west.id, **YEAR).status_code == 404
    assert api.get("/stats/pivot", metric="nothing", **YEAR).status_code == 404
    assert api.get("/stats/pivot", metric="activity", cols="week", **YEAR).status_code in (400, 422)


def test_the_page_shows_the_table_and_exports_it(records, tree, personas):
    client = Client()
    client.force_login(personas.province)
    q = {"metric": "activity", "rows": "unit", "cols": "quarter", "unit": tree.city.id, "start": "2025-01",
         "end": "2025-12"}
    page = client.get("/stats/pivot/", q)
    html = page.content.decode()
    assert page.status_code == 200 and "2025年第1季度" in html and "西县妇联" in html
    xlsx = client.get("/stats/pivot/", {**q, "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


# ---------------------------------------------------------------- saved views


def test_save_list_open_and_delete_a_view_through_the_page(records, tree, personas):
    client = Client()
    client.force_login(personas.province)
    config = {"metric": "activity", "rows": "unit", "cols": "quarter", "unit": str(tree.city.id), "start": "2025-01",
              "end": "2025-12", "value": "n", "pilot": ""}
    r = client.post("/stats/pivot/save/", {**config, "name": "各县季度活动"})
    assert r.status_code == 302
    view = SavedPivot.objects.get(owner=personas.province, name="各县季度活动")
    page = client.get("/stats/pivot/").content.decode()
    assert "各县季度活动" in page and 'data-confirm="确定删除透视表“各县季度活动”？"' in page
    opened = client.get(f"/stats/pivot/{view.id}/")
    assert opened.status_code == 302 and "cols=quarter" in opened["Location"] and f"unit={tree.city.id}" in opened["Location"]
    assert client.post(f"/stats/pivot/{view.id}/delete/", {"version": view.version + 1}).status_code == 302
    assert SavedPivot.objects.filter(pk=view.pk).exists()  # a stale version deletes nothing
    client.post(f"/stats/pivot/{view.id}/delete/", {"version": view.version})
    assert not SavedPivot.objects.filter(pk=view.pk).exists()
    assert AuditEntry.objects.filter(action="pivot_view.delete", target_id=str(view.pk)).exists()


def test_views_are_their_owners_alone(records, tree, personas):
    mine = Api(personas.east).post("/stats/pivot-views", {"name": "本县按月", "config": {"metric": "activity"}})
    assert mine.status_code == 201
    vid, version = mine.json()["id"], mine.json()["version"]
    other = Api(personas.west)
    assert other.get("/stats/pivot-views").json()["items"] == []
    assert other.get(f"/stats/pivot-views/{vid}").status_code == 404
    assert other.patch(f"/stats/pivot-views/{vid}", {"version": version, "name": "偷改"}).status_code == 404
    assert other.delete(f"/stats/pivot-views/{vid}?version={version}").status_code == 404
    client = Client()
    client.force_login(personas.west)
    assert client.get(f"/stats/pivot/{vid}/").status_code == 404
    assert SavedPivot.objects.get(pk=vid).name == "本县按月"


def test_renaming_is_versioned_and_names_are_unique_per_owner(records, tree, personas):
    api = Api(personas.east)
    a = api.post("/stats/pivot-views", {"name": "甲", "config": {"metric": "activity", "cols": "year"}}).json()
    api.post("/stats/pivot-views", {"name": "乙", "config": {"metric": "activity"}})
    dup = api.post("/stats/pivot-views", {"name": "甲", "config": {}})
    assert dup.status_code == 400 and "name" in error_of(dup)["fields"]
    assert Api(personas.west).post("/stats/pivot-views", {"name": "甲", "config": {}}).status_code == 201
    ok = api.patch(f"/stats/pivot-views/{a['id']}", {"version": a["version"], "name": "丙"})
    assert ok.status_code == 200 and ok.json()["config"] == {"metric": "activity", "cols": "year"}
    assert api.patch(f"/stats/pivot-views/{a['id']}", {"version": a["version"], "name": "丁"}).status_code == 409
    assert [v["name"] for v in api.get("/stats/pivot-views").json()["items"]] == ["丙", "乙"]
