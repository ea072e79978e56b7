"""The public pages (no login): village search, ordering a service or describing a need, validation
messages, the rate limit (429), a retried POST making one record, and the tracking page that shows
no personal data and takes the woman's rating."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from niangjia.core import ratelimit
from niangjia.core.models import AuditEntry
from niangjia.needs import services
from niangjia.needs.models import Need
from niangjia.needs.views.public import SUBMIT_RATE
from tests.needs.conftest import register

pytestmark = pytest.mark.django_db


def submit(client, village, **fields):
    body = {"urgency": "normal", "key": "k-1", "description": "想学电商直播", "category": "employment", **fields}
    return client.post(f"/p/needs/v/{village.pk}/", body)


def test_search_villages_by_name_and_pinyin_among_active_ones(tree, admin_user):
    from niangjia.org import services as org

    org.federation_set_active(actor=admin_user, federation=tree.east_village2, active=False, version=None)
    c = Client()
    body = c.get("/p/needs/", {"q": "东村"}).content.decode()
    assert f"/p/needs/v/{tree.east_village.pk}/" in body and "东镇妇联" in body
    body = c.get("/p/needs/", {"q": "dc"}).content.decode()  # initials of 东村妇联
    assert f"/p/needs/v/{tree.east_village.pk}/" in body
    assert f"/p/needs/v/{tree.west_village.pk}/" not in body
    assert f"/p/needs/v/{tree.east_village2.pk}/" not in c.get("/p/needs/", {"q": "东二村"}).content.decode()
    assert f"/p/needs/v/{tree.east.pk}/" not in c.get("/p/needs/", {"q": "东县"}).content.decode()  # villages only
    assert "没有找到" in c.get("/p/needs/", {"q": "不存在的村"}).content.decode()


def test_the_village_page_lists_the_catalogue_available_there(tree, catalogue):
    body = Client().get(f"/p/needs/v/{tree.east_village.pk}/").content.decode()
    assert "法律咨询" in body and "政府购买" in body
    assert "西县法律咨询" not in body and "心理疏导" not in body  # no provider covers it
    assert Client().get(f"/p/needs/v/{tree.east.pk}/").status_code == 404


def test_a_woman_describes_a_need_and_gets_a_tracking_code(tree):
    c = Client()
    r = submit(c, tree.east_village, contact_name="王芳", contact_phone="13800138000")
    assert r.status_code == 302
    need = Need.objects.get()
    assert r["Location"] == f"/p/needs/done/{need.tracking_code}/"
    assert (need.channel, need.unit, need.status, need.contact_phone_mask) == (
        "website", tree.east_village, "registered", "138****8000")
    body = c.get(r["Location"]).content.decode()
    assert need.code_display in body and "已登记" in body
    assert AuditEntry.objects.filter(action="need.submit_public", actor=None).count() == 1


def test_ordering_a_service_takes_its_category(tree, catalogue):
    r = submit(Client(), tree.east_village, service=catalogue.legal.pk, category="")
    assert r.status_code == 302
    need = Need.objects.get()
    assert (need.requested_service, need.category) == (catalogue.legal, "legal")


def test_a_service_not_offered_in_the_village_is_refused(tree, catalogue):
    r = submit(Client(), tree.east_village, service=catalogue.west_legal.pk)
    assert r.status_code == 400 and "暂不提供" in r.content.decode()
    assert not Need.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({"description": ""}, "请说说您的需求"),
    ({"category": ""}, "请选择需求类别"),
    ({"contact_phone": "12345"}, "联系电话"),
    ({"description": "长" * 501}, "不能超过 500 字"),
    ({"key": ""}, "页面已过期"),
])
def test_bad_input_gets_a_clear_message_and_writes_nothing(tree, fields, message):
    r = submit(Client(), tree.east_village, **fields)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Need.objects.exists()


def test_a_retried_post_with_the_same_form_key_makes_one_record(tree):
    c = Client()
    first, second = submit(c, tree.east_village, key="same"), submit(c, tree.east_village, key="same")
    assert first["Location"] == second["Location"]
    assert Need.objects.count() == 1
    submit(c, tree.east_village, key="other")
    assert Need.objects.count() == 2


def test_the_form_carries_a_fresh_key(tree):
    body = Client().get(f"/p/needs/v/{tree.east_village.pk}/").content.decode()
    keys = re.findall(r'name="key" value="([0-9a-f]{32})"', body)
    assert len(keys) == 1


def test_too_many_submissions_are_refused_with_429(tree):
    c = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(10):
        assert submit(c, tree.east_village, key=f"k{i}").status_code == 302
    r = submit(c, tree.east_village, key="k-over")
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Need.objects.count() == 10
    assert submit(Client(REMOTE_ADDR="203.0.113.10"), tree.east_village, key="k-other").status_code == 302


def test_tracking_shows_status_dates_and_category_but_no_personal_data(tree, personas):
    need = register(personas.east, tree.east_village, description="家暴求助秘密内容", contact_name="王芳",
                    contact_phone="13800138000")
    c = Client()
    body = c.get("/p/needs/track/", {"code": need.code_display.lower()}).content.decode()
    assert "已登记" in body and "法律服务" in body and "办理期限" in body
    for secret in ("家暴求助秘密内容", "王", "138", "8000", tree.east_village.name, personas.east.username):
        assert secret not in body.split("<main")[1], secret
    r = c.get("/p/needs/track/", {"code": "ZZZZZZZZ"})
    assert r.status_code == 404 and "查询码不存在" in r.content.decode()


def test_rating_on_the_tracking_page_when_resolved(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    c = Client()
    body = c.get("/p/needs/track/", {"code": need.tracking_code}).content.decode()
    assert "请为这次办理打分" not in body
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    services.need_resolve(actor=east_worker, need=need, version=2, resolution="已解答")
    r = c.post("/p/needs/track/", {"code": need.tracking_code, "rating": "9"})
    assert r.status_code == 400 and "评价应为 1–5 分" in r.content.decode()
    r = c.post("/p/needs/track/", {"code": need.tracking_code, "rating": "5", "comment": "谢谢妇联"})
    assert r.status_code == 200 and "谢谢您的评价" in r.content.decode()
    need.refresh_from_db()
    assert (need.rating, need.rating_comment) == (5, "谢谢妇联")
    assert "请为这次办理打分" not in r.content.decode()


def test_rating_a_delivered_service_order_by_the_tracking_code(tree, personas, catalogue):
    need = register(personas.east, tree.east_village)
    order = services.order_create(actor=personas.east, need=need, service=catalogue.legal, provider=catalogue.provider)
    services.order_deliver(actor=personas.east, order=order, version=1, outcome="律师解答")
    c = Client()
    assert "请为“法律咨询”打分" in c.get("/p/needs/track/", {"code": need.tracking_code}).content.decode()
    c.post("/p/needs/track/", {"code": need.tracking_code, "rating": "4"})
    order.refresh_from_db()
    assert (order.rating, order.rated_by_woman) == (4, True)


def _counted(address: str) -> int:
    return ratelimit.count("needs.public", address, per_seconds=ratelimit.parse(SUBMIT_RATE)[1])


def test_every_post_counts_once_whether_it_writes_is_refused_or_is_a_retry(tree):
    c = Client(REMOTE_ADDR="203.0.113.20")
    assert submit(c, tree.east_village, key="a").status_code == 302
    assert submit(c, tree.east_village, key="a").status_code == 302  # a retry
    assert submit(c, tree.east_village, key="b", description="").status_code == 400  # errors: no write reached
    assert submit(c, tree.east_village, key="c", contact_phone="12345").status_code == 400  # the service refuses
    assert _counted("203.0.113.20") == 4
    assert c.get(f"/p/needs/v/{tree.east_village.pk}/").status_code == 200  # looking costs nothing
    assert _counted("203.0.113.20") == 4 and Need.objects.count() == 1


def test_past_the_limit_nothing_is_written_whatever_the_form_says(tree):
    c = Client(REMOTE_ADDR="203.0.113.21")
    for i in range(9):
        assert submit(c, tree.east_village, key=f"k{i}", description="").status_code == 400
    assert submit(c, tree.east_village, key="tenth").status_code == 302
    over_valid = submit(c, tree.east_village, key="eleventh")
    over_invalid = submit(c, tree.east_village, key="twelfth", description="")
    over_retry = submit(c, tree.east_village, key="tenth")
    assert [r.status_code for r in (over_valid, over_invalid, over_retry)] == [429, 429, 429]
    assert "提交过于频繁" in over_valid.content.decode()
    assert Need.objects.count() == 1 and _counted("203.0.113.21") == 13
    assert AuditEntry.objects.filter(action="need.submit_public").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement for all is PostgreSQL's (SQLite: steps)")
def test_on_postgresql_the_count_and_the_writes_are_one_statement(tree):
    c = Client(REMOTE_ADDR="203.0.113.22")
    submit(c, tree.east_village, key="warm")
    with CaptureQueriesContext(connection) as ctx:
        assert submit(c, tree.east_village, key="measured").status_code == 302
    writes = [q["sql"] for q in ctx.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 1 and "rate" in writes[0].lower() and "needs_need" in writes[0]
    assert _counted("203.0.113.22") == 2
