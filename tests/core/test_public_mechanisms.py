"""Shared mechanisms for public pages and outreach: rate limit, one-time links, tracking codes,
notifications, SMS outbox."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from niangjia.core import notify, onetime, ratelimit, sms
from niangjia.core.errors import Conflict, NotFound, RateLimited
from niangjia.core.models import Notification
from niangjia.core.public import TRACKING_ALPHABET, normalise_code, public_view, tracking_code

pytestmark = pytest.mark.django_db


def test_rate_parse():
    assert ratelimit.parse("20/h") == (20, 3600)
    assert ratelimit.parse("5/m") == (5, 60)
    with pytest.raises(ValueError):
        ratelimit.parse("often")


def test_rate_limit_refuses_the_hit_after_the_allowance_and_resets_next_window():
    t0 = datetime(2026, 3, 1, 10, 0, 5, tzinfo=UTC)
    counts = [ratelimit.hit("t", "1.2.3.4", limit=3, per_seconds=60, now=t0 + timedelta(seconds=i)) for i in range(4)]
    assert counts == [1, 2, 3, 4]
    assert ratelimit.hit("t", "1.2.3.4", limit=3, per_seconds=60, now=t0 + timedelta(seconds=60)) == 1
    assert ratelimit.hit("t", "5.6.7.8", limit=3, per_seconds=60, now=t0) == 1  # other source, own count


def test_check_raises_429_in_chinese():
    for _ in range(2):
        ratelimit.check("c", "ip", limit=2, per_seconds=3600)
    with pytest.raises(RateLimited) as exc:
        ratelimit.check("c", "ip", limit=2, per_seconds=3600)
    assert exc.value.status == 429 and "频繁" in exc.value.message


def test_check_request_counts_per_client_address():
    rf = RequestFactory()
    one, other = rf.get("/", REMOTE_ADDR="10.0.0.1"), rf.get("/", REMOTE_ADDR="10.0.0.2")
    for _ in range(2):
        ratelimit.check_request(one, "api.t", "2/h")
    ratelimit.check_request(other, "api.t", "2/h")  # her neighbour has her own allowance
    with pytest.raises(RateLimited):
        ratelimit.check_request(one, "api.t", "2/h")


def test_public_view_limits_posts_per_ip_and_renders_error_page():
    @public_view(scope="test.form", rate="2/h")
    def view(request):
        return HttpResponse("ok")

    rf = RequestFactory()

    def post(ip):
        req = rf.post("/p/x/", REMOTE_ADDR=ip)
        req._dont_enforce_csrf_checks = True
        return view(req)

    assert [post("9.9.9.9").status_code for _ in range(3)] == [200, 200, 429]
    assert "频繁" in post("9.9.9.9").content.decode()
    assert post("8.8.8.8").status_code == 200
    assert view(rf.get("/p/x/", REMOTE_ADDR="9.9.9.9")).status_code == 200  # GETs not limited by default


def test_one_time_link_is_used_once(tree):
    raw = onetime.issue("jury", tree.east)
    assert onetime.peek("jury", raw).subject_id == str(tree.east.pk)
    with transaction.atomic():
        onetime.consume("jury", raw)
    with pytest.raises(Conflict):
        onetime.peek("jury", raw)
    with pytest.raises(Conflict), transaction.atomic():
        onetime.consume("jury", raw)
    with pytest.raises(NotFound):
        onetime.peek("other-purpose", raw)


def test_one_time_link_expires_and_can_be_revoked(tree):
    raw = onetime.issue("jury", tree.east, ttl=timedelta(seconds=-1))
    with pytest.raises(NotFound):
        onetime.peek("jury", raw)
    raw2 = onetime.issue("jury", tree.west)
    assert onetime.revoke_for(tree.west) == 1
    with pytest.raises(NotFound):
        onetime.peek("jury", raw2)


def test_tracking_codes_use_unambiguous_letters():
    codes = {tracking_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(TRACKING_ALPHABET) for c in codes)
    assert normalise_code(" k7px-3mq9 ") == "K7PX3MQ9"


def test_notify_reaches_the_units_own_officers_only(tree, personas):
    officers = notify.unit_officers(tree.east, "people.view")
    assert personas.east in officers and personas.west not in officers and personas.township not in officers
    assert notify.notify(officers + officers, kind="t", text="需求已超期") == len(officers)
    assert notify.unread_count(personas.east) == 1
    assert Notification.objects.get(recipient=personas.east).text == "需求已超期"


def test_notifications_page_lists_and_marks_read(client, personas):
    notify.notify([personas.east], kind="t", text="紧急共享：个案 12")
    client.force_login(personas.east)
    page = client.get("/notifications/").content.decode()
    assert "紧急共享：个案 12" in page
    client.post("/notifications/read/")
    assert notify.unread_count(personas.east) == 0


def test_sms_outbox_keeps_no_plain_number():
    msg = sms.send_sms("13800138000", "您的验证码是 123456", purpose="check_code")
    assert msg.to_masked != "13800138000" and "13800138000" not in msg.to_index
    assert sms.last_sent_to("13800138000", "check_code").body.endswith("123456")
    assert sms.last_sent_to("13900139000") is None


def test_public_need_submission_is_idempotent_and_gets_a_tracking_code(tree):
    from niangjia.needs.models import Need
    from niangjia.needs.services import need_submit_public

    args = dict(unit=tree.east_village, category="legal", description="想咨询离婚财产分割", channel="website")
    first, created = need_submit_public(key="form-1", **args)
    again, created_again = need_submit_public(key="form-1", **args)
    assert created and not created_again and again.pk == first.pk
    assert Need.objects.count() == 1 and len(first.tracking_code) == 8


def test_healthz_answers_without_login(client):
    assert client.get("/healthz").content == b"ok"


def test_staff_covering_a_place_are_those_whose_reach_holds_it_with_the_permission(tree, personas):
    from conftest import make_user

    make_user("west_leader", ["leader"], [tree.west])
    off = make_user("east_off", ["leader"], [tree.east])
    off.is_active = False
    off.save()
    make_user("east_exec", ["executive"], [tree.east])  # in reach, without needs.handle
    names = [u.username for u in notify.staff_covering(tree.east_village, "needs.handle")]
    assert names == ["east", "province", "township"]  # scopes on 东县, 甲省 and 东镇 cover 东村; by username
    assert [u.username for u in notify.staff_covering(tree.east_village, "needs.handle", limit=1)] == ["east"]
