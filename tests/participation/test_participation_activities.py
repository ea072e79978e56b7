"""Activities through the services: capacity and the waiting list, cancellation with promotion,
attendance, ratings only by attendees (once), figures and summaries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.models import SummaryCount
from niangjia.participation import queries, services
from niangjia.participation.models import Registration
from niangjia.stats import rollup
from tests.participation.conftest import make_activity, phone


def reg(a, n, **kw):
    return services.register(activity=a, name=f"报名人{n}", phone=phone(n), key=f"k{n}", **kw)[0]


def statuses(a):
    return list(a.registrations.order_by("id").values_list("status", flat=True))


def test_capacity_then_waiting_list(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=2)
    for n in range(4):
        reg(a, n)
    assert statuses(a) == ["confirmed", "confirmed", "waiting", "waiting"]


def test_cancel_promotes_the_first_waiting(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=2)
    r = [reg(a, n) for n in range(4)]
    promoted = services.registration_cancel(registration=r[0])
    assert [p.pk for p in promoted] == [r[2].pk]
    assert statuses(a) == ["cancelled", "confirmed", "confirmed", "waiting"]
    assert services.registration_cancel(registration=r[3]) == []  # a waiting one leaves: nobody moves
    assert statuses(a) == ["cancelled", "confirmed", "confirmed", "cancelled"]
    with pytest.raises(Conflict):
        services.registration_cancel(registration=r[0])


def test_cancel_below_capacity_promotes_nobody(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=3)
    r = [reg(a, n) for n in range(2)]
    assert services.registration_cancel(registration=r[0]) == []


def test_more_capacity_moves_the_list_up(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=1)
    for n in range(4):
        reg(a, n)
    services.activity_update(actor=personas.east, activity=a, version=a.version, changes={"capacity": 3})
    assert statuses(a) == ["confirmed", "confirmed", "confirmed", "waiting"]


def test_same_phone_and_same_key(tree, personas):
    a = make_activity(personas.east, tree.east)
    first = reg(a, 1)
    again, created = services.register(activity=a, name="x", phone=phone(1), key="k1")
    assert not created and again.pk == first.pk
    with pytest.raises(Conflict) as exc:
        services.register(activity=a, name="x", phone=phone(1), key="other")
    assert exc.value.message == "此手机号已经报名了这个活动"
    services.registration_cancel(registration=first)
    reg_again, created = services.register(activity=a, name="x", phone=phone(1), key="after-cancel")
    assert created and reg_again.status == "confirmed"


def test_registration_only_when_open_and_valid(tree, personas):
    planned = make_activity(personas.east, tree.east, status="planned")
    with pytest.raises(Conflict):
        reg(planned, 1)
    a = make_activity(personas.east, tree.east)
    with pytest.raises(ValidationFailed) as exc:
        services.register(activity=a, name="", phone="123", key="z")
    assert "name" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.register(activity=a, name="甲", phone="123", key="z")
    assert "phone" in exc.value.fields
    assert Registration.objects.count() == 0


def test_attendance_and_ratings_only_by_attendees_once(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=2, day_offset=0)
    came, absent, waiting = reg(a, 1), reg(a, 2), reg(a, 3)
    services.attendance_mark(actor=personas.east, registration=came, attended=True)
    services.attendance_mark(actor=personas.east, registration=absent, attended=False)
    with pytest.raises(Conflict):
        services.attendance_mark(actor=personas.east, registration=waiting, attended=True)
    for r in (absent, waiting):
        with pytest.raises(ValidationFailed) as exc:
            services.rating_submit(registration=r, score=5)
        assert exc.value.message == "只有到场参加活动的妇女才能评价"
    with pytest.raises(ValidationFailed):
        services.rating_submit(registration=came, score=6)
    services.rating_submit(registration=came, score=4, comment="很好")
    with pytest.raises(ValidationFailed) as exc:
        services.rating_submit(registration=came, score=5)
    assert exc.value.message == "您已经评价过这次活动"
    with pytest.raises(Conflict):  # a rated attendance cannot be turned into an absence
        services.attendance_mark(actor=personas.east, registration=came, attended=False)
    f = queries.activity_figures(a)
    assert (f.registered, f.attended, f.absent, f.waiting, f.rating_sum, f.rating_count, f.mean) == \
        (2, 1, 1, 1, 4, 1, 4.0)


def test_attendance_not_before_the_day(tree, personas):
    a = make_activity(personas.east, tree.east, day_offset=1)
    r = reg(a, 1)
    with pytest.raises(Conflict):
        services.attendance_mark(actor=personas.east, registration=r, attended=True)


def test_summaries_follow_status_changes_and_rebuild_agrees(tree, personas):
    a = make_activity(personas.east, tree.east, capacity=1, day_offset=0)
    first, second = reg(a, 1), reg(a, 2)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    services.attendance_mark(actor=personas.east, registration=second, attended=True)
    services.rating_submit(registration=second, score=5)

    def rows(metric):
        return sorted((s, c, t) for s, c, t in SummaryCount.objects.filter(metric=metric)
                      .values_list("status", "count", "total") if c)

    assert rows("participation_registration") == [("attended", 1, 0), ("cancelled", 1, 0)]
    assert rows("participation_rating") == [("", 1, 5)]
    before = (rows("participation_registration"), rows("participation_rating"))
    rollup.rebuild("participation_registration")
    rollup.rebuild("participation_rating")
    assert (rows("participation_registration"), rows("participation_rating")) == before


def test_staff_writes_are_scoped_and_permissioned(tree, personas):
    day = timezone.localdate() + timedelta(days=3)
    with pytest.raises(NotFound):
        services.activity_create(actor=personas.west, unit=tree.east, title="x", day=day, capacity=3)
    with pytest.raises(Forbidden):
        services.activity_create(actor=personas.statistician, unit=tree.east, title="x", day=day, capacity=3)
    with pytest.raises(ValidationFailed):
        services.activity_create(actor=personas.east, unit=tree.east, title="x", day=day, capacity=0)
    a = make_activity(personas.east, tree.east)
    with pytest.raises(NotFound):
        queries.get_activity_for(personas.west, a.pk)
    with pytest.raises(Forbidden):
        queries.get_activity_for(personas.statistician, a.pk, write=True)
    d = services.codesigner_add(actor=personas.east, activity=a, name="王秀英", contribution="设计手工环节")
    assert a.co_designers.get().name == "王秀英"
    services.codesigner_remove(actor=personas.east, codesigner=d)
    assert not a.co_designers.exists()
