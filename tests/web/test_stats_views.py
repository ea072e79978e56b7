"""The stats dashboard and the activity log pages."""

from datetime import date

import pytest

from niangjia.stats import services as stats
from niangjia.stats.models import ActivityLog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def logged(tree, personas):
    today = date.today()
    stats.activity_log(actor=personas.east, unit=tree.east_village, day=today, category="visit",
                       title="东村入户走访", women_reached=12)
    stats.activity_log(actor=personas.east, unit=tree.east_town, day=today, category="training",
                       title="东镇培训", women_reached=40)
    stats.activity_log(actor=personas.west, unit=tree.west_village, day=today, category="rights",
                       title="西村普法", women_reached=99)


def test_dashboard_counts_only_the_reach(client, personas, logged):
    client.force_login(personas.statistician)
    html = client.get("/stats/").content.decode()
    assert "<td>走访</td>" in html and "<td>培训</td>" in html and "<td>维权</td>" not in html
    assert ">52<" in html  # women reached in the east county: 12 + 40
    assert html.count("nj-chart") >= 3


def test_dashboard_for_a_unit_and_export(client, tree, personas, logged):
    client.force_login(personas.statistician)
    html = client.get(f"/stats/?unit={tree.east_village.id}").content.decode()
    assert ">12<" in html and "<td>培训</td>" not in html
    resp = client.get(f"/stats/?unit={tree.east_village.id}&export=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX


def test_dashboard_unit_outside_reach_is_refused(client, tree, personas, logged):
    client.force_login(personas.east)
    resp = client.get(f"/stats/?unit_code={tree.west.code}")
    assert resp.status_code == 400 and "不在您的管辖范围内" in resp.content.decode()
    assert "西村普法" not in resp.content.decode()


def test_dashboard_bad_range_names_the_field(client, personas):
    client.force_login(personas.east)
    resp = client.get("/stats/?start=2026-05-01&end=2026-01-01")
    assert resp.status_code == 400 and "结束日期不能早于开始日期" in resp.content.decode()


def test_stats_403_without_permission(client, tree, admin_user):
    from niangjia.accounts.models import User, UserScope

    reviewer = User.objects.create_user(username="reviewer", password="x", roles=["reviewer"])
    UserScope.objects.create(user=reviewer, unit=tree.east)
    client.force_login(reviewer)
    assert client.get("/stats/").status_code == 403
    assert client.get("/stats/activities/").status_code == 403


def test_activity_list_and_log_one(client, tree, personas, logged):
    client.force_login(personas.east)
    html = client.get("/stats/activities/").content.decode()
    assert "东村入户走访" in html and "西村普法" not in html
    resp = client.post("/stats/activities/", {"unit": str(tree.east.id), "day": date.today().isoformat(),
                                              "category": "outreach", "title": "三八节宣传", "women_reached": 200})
    assert resp.status_code == 302
    assert ActivityLog.objects.get(title="三八节宣传").l4 == tree.east.id


def test_activity_bad_input_writes_nothing(client, tree, personas):
    client.force_login(personas.east)
    resp = client.post("/stats/activities/", {"unit": str(tree.west.id), "day": "2099-01-01", "category": "x",
                                              "title": "", "women_reached": "-3"})
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "所属组织的选项无效" in html and "日期不能晚于今天" in html and "请填写标题" in html
    assert "覆盖妇女人数不能小于 0" in html
    assert not ActivityLog.objects.exists()


def test_statistician_cannot_log_an_activity(client, tree, personas):
    client.force_login(personas.statistician)
    assert "登记一项活动" not in client.get("/stats/activities/").content.decode()
    resp = client.post("/stats/activities/", {"unit": str(tree.east.id), "day": date.today().isoformat(),
                                              "category": "outreach", "title": "x", "women_reached": 1})
    assert resp.status_code == 403 and not ActivityLog.objects.exists()


def test_activity_export(client, personas, logged):
    client.force_login(personas.east)
    resp = client.get("/stats/activities/?export=xlsx")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX


def test_export_links_keep_the_filters_and_start_from_the_first_row(rf):
    from niangjia.core.web import export_url

    assert export_url(rf.get("/x/", {"q": "余村", "cursor": "abc", "sort": "new"})) == "?q=%E4%BD%99%E6%9D%91&sort=new&export=xlsx"
    assert export_url(rf.get("/x/")) == "?export=xlsx"


@pytest.mark.parametrize(("raw", "number"), [("12", 12), (" 7 ", 7), ("", None), (None, None), ("abc", None), ("1.5", None)])
def test_query_int(raw, number):
    from niangjia.core.web import query_int

    assert query_int(raw) == number


@pytest.mark.parametrize(("raw", "day"), [("2026-02-28", date(2026, 2, 28)), (" 2024-02-29 ", date(2024, 2, 29)),
                                          ("2025-02-29", None), ("", None), (None, None), ("昨天", None)])
def test_query_date(raw, day):
    from niangjia.core.web import query_date

    assert query_date(raw) == day
