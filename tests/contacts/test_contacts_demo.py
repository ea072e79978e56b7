"""The demo gives every contact screen something real for the demo accounts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from niangjia.accounts.models import User
from niangjia.contacts import queries
from niangjia.contacts.models import ContactEvent, ContactPlan
from niangjia.core.models import SummaryCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "--if-empty", "--small", stdout=StringIO())


def test_demo_plans_for_the_demo_accounts(demo):
    plans = {(p["person__users__username"], p["kind"]) for p in
             ContactPlan.objects.values("person__users__username", "kind")}
    assert plans == {("zj_leader", "five_ones"), ("huzhou_leader", "five_ones"), ("thp_cadre", "three_ones"),
                     ("deqing_cadre", "three_ones"), ("huzhou_leader", "ten_women"), ("anji_leader", "ten_women")}
    checks = {}
    for name in ("zj_leader", "huzhou_leader", "anji_leader", "thp_cadre", "deqing_cadre"):
        user = User.objects.get(username=name)
        for view in queries.my_plans(user):
            checks[(name, view.plan.kind)] = (view.check.complete, view.check.missing, view.overdue)
    assert checks[("zj_leader", "five_ones")][0] is True
    assert checks[("huzhou_leader", "five_ones")][1] == ["缺：一个机关企事业单位妇委会"]
    assert checks[("huzhou_leader", "ten_women")][0] is True
    assert "还需 3 名普通妇女" in checks[("anji_leader", "ten_women")][1]
    assert checks[("thp_cadre", "three_ones")][0] is True
    assert checks[("deqing_cadre", "three_ones")][1] == ["缺：一名代表性妇女"]
    assert sum(c[2] for c in checks.values()) >= 4  # some contacts overdue
    assert ContactEvent.objects.values("channel").annotate(n=Count("id")).count() >= 3
    events = ContactEvent.objects.count()
    assert SummaryCount.objects.filter(metric="contact_event").aggregate(n=Count("id"))["n"] > 0
    assert sum(SummaryCount.objects.filter(metric="contact_event").values_list("count", flat=True)) == events


def test_demo_pages_show_something_real(demo):
    c = Client()
    c.force_login(User.objects.get(username="huzhou_leader"))
    html = c.get("/contacts/").content.decode()
    assert "五个一" in html and "未联系" in html and "****" in html and "缺：一个机关企事业单位妇委会" in html
    unit = User.objects.get(username="huzhou_leader").scopes.get().unit
    html = c.get(f"/contacts/unit/{unit.pk}/").content.decode()
    assert "缺" in html and "nj-chart" in html
    c.force_login(User.objects.get(username="thp_cadre"))
    assert "三个一" in c.get("/contacts/").content.decode()


def test_demo_city_overview_reads_summaries_that_agree_with_the_rows(demo):
    from niangjia.core.models import Notification
    from niangjia.org.models import Federation

    huzhou = Federation.objects.get(name="湖州市妇联")
    leader = User.objects.get(username="zj_leader")
    ov = queries.overview(leader, huzhou, queries.OverviewFilters(year=ContactPlan.objects.first().year))
    totals, rows = queries.overview_totals(ov), queries.row_totals(ov)
    assert totals["source"] == "summary" and totals["plans"] > 0
    assert {k: v for k, v in totals.items() if k != "source"} == {k: v for k, v in rows.items() if k != "source"}
    assert Notification.objects.filter(kind="contacts.overdue").exists()  # the daily pass told the leaders

