"""Registration closes when the activity starts: after its day, or on the day once its start time
has come. A cadre may still enter a held activity's sign-in sheet after the fact (audited as such);
nobody else can register late, on the public page, the API or the staff page."""

from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from niangjia.core.errors import Conflict
from niangjia.core.models import AuditEntry
from niangjia.participation import rules, services
from niangjia.participation.models import Registration
from tests.participation.conftest import make_activity, phone

D = date(2026, 3, 8)


@pytest.mark.parametrize("today, now, start, closed", [
    (D - timedelta(days=1), time(23, 59), time(9, 0), None),
    (D, time(8, 59), time(9, 0), None),
    (D, time(9, 0), time(9, 0), "活动已于今天09:00开始，报名已结束"),
    (D, time(23, 0), None, None),  # no start time: the whole day is open
    (D + timedelta(days=1), time(0, 0), None, "活动已于3月8日举办，报名已结束"),
])
def test_registration_closed_edges(today, now, start, closed):
    assert rules.registration_closed(D, start, today, now) == closed


def test_registration_after_the_day_is_refused(tree, personas):
    # given an open activity held yesterday
    a = make_activity(personas.east, tree.east, day_offset=-1)
    # when a woman or a cadre registers normally
    with pytest.raises(Conflict) as exc:
        services.register(activity=a, name="甲", phone=phone(1), key="k1")
    with pytest.raises(Conflict):
        services.register(activity=a, name="甲", phone=phone(1), key="k2", actor=personas.east)
    # then both are refused with the date named, and nothing is stored
    held = a.day
    assert exc.value.message == f"活动已于{held.month}月{held.day}日举办，报名已结束"
    assert Registration.objects.count() == 0


def test_registration_on_the_day_closes_at_the_start_time(tree, personas):
    started = make_activity(personas.east, tree.east, day_offset=0, start_time=time(0, 0))
    with pytest.raises(Conflict, match="开始，报名已结束"):
        services.register(activity=started, name="甲", phone=phone(1), key="k1")
    later = timezone.localtime() + timedelta(hours=1)
    if later.date() == timezone.localdate():  # not in the last hour of the day
        soon = make_activity(personas.east, tree.east, day_offset=0, start_time=later.time())
        assert services.register(activity=soon, name="甲", phone=phone(1), key="k2")[1] is True


def test_a_cadre_enters_the_sign_in_sheet_after_the_fact(tree, personas):
    a = make_activity(personas.east, tree.east, day_offset=-2)
    reg, created = services.register(activity=a, name="甲", phone=phone(1), key="k1", actor=personas.east,
                                      channel="paper", after_the_fact=True)
    assert created and reg.status == "confirmed"
    entry = AuditEntry.objects.get(action="participation.register")
    assert entry.detail["after_the_fact"] is True and entry.actor_id == personas.east.pk
    with pytest.raises(Conflict, match="只能由工作人员"):
        services.register(activity=a, name="乙", phone=phone(2), key="k2", after_the_fact=True)
    upcoming = make_activity(personas.east, tree.east, day_offset=3)
    with pytest.raises(Conflict, match="尚未开始"):
        services.register(activity=upcoming, name="丙", phone=phone(3), key="k3", actor=personas.east,
                          after_the_fact=True)


def test_public_page_and_api_refuse_after_the_day(tree, personas):
    a = make_activity(personas.east, tree.east, day_offset=-1)
    client = Client()
    page = client.get(f"/p/participation/a/{a.pk}/").content.decode()
    assert "报名已结束" in page and 'name="phone"' not in page
    posted = client.post(f"/p/participation/a/{a.pk}/", {"key": "p1", "name": "甲", "phone": phone(1)})
    api = client.post(f"/api/v1/participation/public/activities/{a.pk}/registrations",
                      {"key": "p2", "name": "甲", "phone": phone(1)}, content_type="application/json")
    assert posted.status_code == 409 and api.status_code == 409
    assert api.json()["error"]["code"] == "invalid_transition"
    assert Registration.objects.count() == 0


def test_staff_page_offers_only_after_the_fact_entry_once_started(tree, personas):
    a = make_activity(personas.east, tree.east, day_offset=-1)
    staff = Client()
    staff.force_login(personas.east)
    page = staff.get(f"/participation/activities/{a.pk}/").content.decode()
    assert "依签到表补录" in page and "代为报名（电话或现场）" not in page
    r = staff.post(f"/participation/activities/{a.pk}/registrations/",
                   {"key": "s1", "name": "甲", "phone": phone(1), "after_the_fact": "1"})
    assert r.status_code == 302 and Registration.objects.get().channel == "paper"
    api = Client()
    api.force_login(personas.east)
    late = api.post(f"/api/v1/participation/activities/{a.pk}/registrations",
                    {"key": "s2", "name": "乙", "phone": phone(2)}, content_type="application/json")
    ok = api.post(f"/api/v1/participation/activities/{a.pk}/registrations",
                  {"key": "s3", "name": "乙", "phone": phone(2), "after_the_fact": True},
                  content_type="application/json")
    assert (late.status_code, ok.status_code) == (409, 201)
