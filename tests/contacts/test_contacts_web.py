"""Contact pages on a phone: my plans as cards, 记一次联系 in place via htmx, add targets, leaders' table."""

from datetime import date, timedelta

import pytest
from django.test import Client

from niangjia.contacts import services
from niangjia.contacts.models import ContactEvent, ContactPlan, ContactTarget, Kind, Slot
from tests.contacts.conftest import PLAN_YEAR

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def plan(cw):
    p = services.plan_create(actor=cw.east_leader, person=cw.cadre_a_p, unit=cw.tree.east, year=PLAN_YEAR,
                             kind=Kind.THREE_ONES)
    services.target_add(actor=cw.cadre_a, plan=p, slot=Slot.REPRESENTATIVE_WOMAN, person=cw.zhang)
    services.target_add(actor=cw.cadre_a, plan=p, slot=Slot.VILLAGE_FEDERATION, federation=cw.tree.east_village)
    ContactTarget.objects.update(since=date.today() - timedelta(days=95))
    return p


def test_my_plans_show_cards_checks_and_overdue_flags(cw, plan):
    html = client_for(cw.cadre_a).get("/contacts/").content.decode()
    assert "三个一" in html and "缺：一个乡镇（街道）妇联" in html
    assert html.count("未联系 95 天") == 2 and "2 个对象超过 90 天未联系" in html
    assert html.count("记一次联系") == 2 and "东村妇联" in html


def test_record_a_contact_in_place_with_htmx(cw, plan):
    target = plan.targets.get(slot=Slot.REPRESENTATIVE_WOMAN)
    r = client_for(cw.cadre_a).post(f"/contacts/targets/{target.pk}/events/",
                                    {"channel": "phone", "day": date.today().isoformat(), "note": "电话问候"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert f'id="target-{target.pk}"' in html and "已记录一次联系" in html and "今天已联系" in html
    assert 'hx-swap-oob="true"' in html and "1 个对象超过 90 天未联系" in html
    event = ContactEvent.objects.get()
    assert (event.channel, event.note, event.recorded_by) == ("phone", "电话问候", cw.cadre_a)


def test_a_bad_date_is_explained_in_the_card_and_nothing_saved(cw, plan):
    target = plan.targets.get(slot=Slot.REPRESENTATIVE_WOMAN)
    future = (date.today() + timedelta(days=2)).isoformat()
    r = client_for(cw.cadre_a).post(f"/contacts/targets/{target.pk}/events/", {"channel": "visit", "day": future},
                                    **HTMX)
    assert r.status_code == 400 and "联系日期不能晚于今天" in r.content.decode()
    assert not ContactEvent.objects.exists()


def test_without_htmx_the_form_redirects_back(cw, plan):
    target = plan.targets.get(slot=Slot.VILLAGE_FEDERATION)
    r = client_for(cw.cadre_a).post(f"/contacts/targets/{target.pk}/events/", {"channel": "meeting"})
    assert r.status_code == 302 and r["Location"].endswith(f"#target-{target.pk}")
    assert ContactEvent.objects.get().day == date.today()


def test_search_and_add_a_target(cw, plan):
    c = client_for(cw.cadre_a)
    html = c.get(f"/contacts/plans/{plan.pk}/candidates/", {"slot": "township_federation"}).content.decode()
    assert "东镇妇联" in html and "西镇妇联" not in html
    r = c.post(f"/contacts/plans/{plan.pk}/targets/", {"slot": "township_federation",
                                                        "pick": f"federation:{cw.tree.east_town.pk}"})
    assert r.status_code == 302
    assert plan.targets.filter(slot="township_federation", federation=cw.tree.east_town).exists()
    html = c.get("/contacts/").content.decode()
    assert "检查结果：齐全" in html


def test_person_search_shows_tags_and_only_women_in_reach(cw):
    p = services.plan_create(actor=cw.east_leader, person=cw.leader_p, unit=cw.tree.east, year=PLAN_YEAR,
                             kind=Kind.TEN_WOMEN)
    c = client_for(cw.east_leader)
    html = c.get(f"/contacts/plans/{p.pk}/candidates/", {"slot": "ordinary_woman", "q": "张"}).content.decode()
    assert "张秀兰" in html and "困难妇女" in html
    assert "钱先生" not in c.get(f"/contacts/plans/{p.pk}/candidates/", {"slot": "ordinary_woman",
                                                                       "q": "钱"}).content.decode()
    assert "王芳" not in c.get(f"/contacts/plans/{p.pk}/candidates/", {"slot": "ordinary_woman",
                                                                     "q": "王"}).content.decode()


def test_adding_a_woman_twice_says_so(cw, plan):
    c = client_for(cw.cadre_a)
    r = c.post(f"/contacts/plans/{plan.pk}/targets/", {"slot": "representative_woman",
                                                        "pick": f"person:{cw.zhang.pk}"}, follow=True)
    assert "张秀兰已在本计划的联系对象中" in r.content.decode()
    assert plan.targets.filter(person=cw.zhang).count() == 1


def test_a_cadre_sets_her_own_plan_from_the_page(cw):
    c = client_for(cw.cadre_b)
    html = c.get("/contacts/").content.decode()
    assert "制定我的" in html
    r = c.post("/contacts/plans/new/", {"kind": "three_ones", "year": PLAN_YEAR, "contact_point": cw.point.pk})
    assert r.status_code == 302
    plan = ContactPlan.objects.get(person=cw.cadre_b_p)
    assert plan.kind == "three_ones" and plan.contact_point == cw.point
    r = c.post("/contacts/plans/new/", {"kind": "five_ones", "year": PLAN_YEAR}, follow=True)
    assert "适用于领导班子成员" in r.content.decode() and ContactPlan.objects.count() == 1


def test_remove_a_target_from_the_page(cw, plan):
    target = plan.targets.get(slot=Slot.VILLAGE_FEDERATION)
    html = client_for(cw.cadre_a).get("/contacts/").content.decode()
    assert "确定把该联系对象移出计划" in html  # data-confirm before the destructive action
    r = client_for(cw.cadre_a).post(f"/contacts/targets/{target.pk}/remove/", {"version": target.version})
    assert r.status_code == 302
    target.refresh_from_db()
    assert not target.is_active


def test_unit_page_table_filters_chart_and_export(cw, plan):
    target = plan.targets.get(slot=Slot.VILLAGE_FEDERATION)
    services.event_record(actor=cw.cadre_a, target=target, day=date.today(), channel="visit")
    c = client_for(cw.east_leader)
    html = c.get(f"/contacts/unit/{cw.tree.east.pk}/").content.decode()
    assert "陈干部" in html and "缺 1 项" in html and "nj-chart" in html and "共 1 次" in html
    assert "陈干部" not in c.get(f"/contacts/unit/{cw.tree.east.pk}/", {"kind": "five_ones"}).content.decode()
    r = c.get(f"/contacts/unit/{cw.tree.east.pk}/", {"export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "人员" and rows[1][0] == "陈干部" and rows[1][7] == "缺：一个乡镇（街道）妇联"
    assert "张秀兰" not in str(rows)


def test_unit_home_redirects_to_the_users_unit(cw):
    r = client_for(cw.east_leader).get("/contacts/unit/")
    assert r.status_code == 302 and r["Location"] == f"/contacts/unit/{cw.tree.east.pk}/"


def test_home_panel_shows_overdue_and_the_check(cw, plan):
    html = client_for(cw.cadre_a).get("/").content.decode()
    assert "直接联系群众" in html and "2 个联系对象久未联系" in html and "缺：一个乡镇（街道）妇联" in html
    assert "直接联系群众" not in client_for(cw.cadre_b).get("/").content.decode()


def test_a_target_card_shows_its_contact_history(cw, plan):
    # given two contacts with 张秀兰, one logged by her leader on her behalf
    target = ContactTarget.objects.get(plan=plan, person=cw.zhang)
    services.event_record(actor=cw.cadre_a, target=target, day=date.today() - timedelta(days=3), channel="phone",
                          note="问了就业")
    services.event_record(actor=cw.east_leader, target=target, day=date.today(), channel="visit")
    c = client_for(cw.cadre_a)
    # when she opens her plans and the card's history
    page = c.get("/contacts/").content.decode()
    assert f'hx-get="/contacts/targets/{target.pk}/events/"' in page
    history = c.get(f"/contacts/targets/{target.pk}/events/").content.decode()
    # then both contacts are listed, newest first, the leader's marked as on her behalf
    assert history.index("走访") < history.index("电话：问了就业") and "代为记录" in history
    # and a colleague of the same county, who may see the plan's counts, cannot read it
    assert client_for(cw.cadre_b).get(f"/contacts/targets/{target.pk}/events/").status_code == 403
    # nor may anyone of the other county, to whom the plan does not exist
    assert client_for(cw.west_leader).get(f"/contacts/targets/{target.pk}/events/").status_code == 404


def test_the_overview_sorts_by_silence_and_by_targets(cw, plan):
    # given a second plan with no targets (the leader's ten women)
    services.plan_create(actor=cw.east_leader, person=cw.leader_p, unit=cw.tree.east, year=PLAN_YEAR,
                         kind=Kind.TEN_WOMEN)
    c = client_for(cw.east_leader)
    url = f"/contacts/unit/{cw.tree.east.pk}/"
    by_overdue = c.get(url, {"sort": "overdue"}).content.decode()
    by_targets = c.get(url, {"sort": "targets"}).content.decode()
    # then 陈干部 (2 silent targets) leads the first, 刘主席 (no targets) the second
    assert by_overdue.index("陈干部") < by_overdue.index("刘主席")
    assert by_targets.index("刘主席") < by_targets.index("陈干部")
    assert '<option value="overdue" selected>' in by_overdue


def test_the_candidate_search_takes_a_phone_only_in_a_post_body(cw):
    # given a plan of ten women and the page's search box (it posts: a typed number never sits in a URL)
    from niangjia.core.models import AuditEntry

    p = services.plan_create(actor=cw.east_leader, person=cw.leader_p, unit=cw.tree.east, year=PLAN_YEAR,
                             kind=Kind.TEN_WOMEN)
    c = client_for(cw.east_leader)
    url = f"/contacts/plans/{p.pk}/candidates/"
    assert f'hx-post="{url}"' in c.get(f"/contacts/?year={PLAN_YEAR}").content.decode()
    audited = AuditEntry.objects.filter(action="search.phone").count()
    # when her phone number is posted, she is offered and the search is audited
    posted = c.post(url, {"slot": "ordinary_woman", "q": "13800138000"}, HTTP_HX_REQUEST="true")
    assert posted.status_code == 200 and "张秀兰" in posted.content.decode()
    assert AuditEntry.objects.filter(action="search.phone").count() == audited + 1
    # and the same number in a GET's query string is refused, searching nothing
    got = c.get(url, {"slot": "ordinary_woman", "q": "13800138000"}, HTTP_HX_REQUEST="true")
    assert got.status_code == 400 and "张秀兰" not in got.content.decode()
    assert AuditEntry.objects.filter(action="search.phone").count() == audited + 1
