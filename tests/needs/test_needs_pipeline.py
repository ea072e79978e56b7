"""The need pipeline through its services: each step, each refusal, versions, counts and the rebuild."""

import pytest
from django.core.management import call_command

from niangjia.core.errors import ErrorCode, Forbidden, NotFound, StaleVersion, ValidationFailed
from niangjia.core.models import AuditEntry, Notification, SummaryCount
from niangjia.core.pipeline import TransitionRefused
from niangjia.needs import services
from niangjia.needs.models import Need
from tests.needs.conftest import T0, register

pytestmark = pytest.mark.django_db


def counts(metric="need"):
    rows = SummaryCount.objects.filter(metric=metric).exclude(count=0)
    return sorted((r.category, r.status, r.count) for r in rows)


def fresh(need):
    return Need.objects.get(pk=need.pk)


def test_the_whole_way_registered_assigned_in_progress_resolved_closed(tree, personas, east_worker):
    # given
    need = register(personas.east, tree.east_village)
    # when
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=need.version)
    services.need_start(actor=east_worker, need=need, version=need.version)
    services.need_resolve(actor=east_worker, need=need, version=need.version, resolution="已联系法律援助律师解答")
    services.need_close(actor=personas.east, need=need, version=need.version, reason="妇女满意")
    # then
    n = fresh(need)
    assert (n.status, n.assignee, n.resolution, n.close_reason, n.version) == (
        "closed", east_worker, "已联系法律援助律师解答", "妇女满意", 5)
    assert n.assigned_at and n.started_at and n.resolved_at and n.closed_at
    assert counts() == [("legal", "closed", 1)]
    assert counts("need_channel") == [("walk_in", "closed", 1)]
    actions = list(AuditEntry.objects.filter(target_type="needs.need", target_id=str(need.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["need.register", "need.assign", "need.start", "need.resolve", "need.close"]
    assert Notification.objects.filter(recipient=east_worker, kind="needs.assigned").count() == 1


def test_refer_to_an_agency_then_close(tree, personas):
    need = register(personas.east, tree.east_village, category="rights")
    services.need_refer(actor=personas.east, need=need, version=1, target="县司法局人民调解委员会")
    assert (fresh(need).status, fresh(need).referral_target) == ("referred", "县司法局人民调解委员会")
    services.need_close(actor=personas.east, need=need, version=need.version, reason="已由司法局调解")
    assert counts() == [("rights", "closed", 1)]


def test_reassign_keeps_the_status_and_moves_no_count(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    services.need_assign(actor=personas.east, need=need, assignee=personas.east, version=2)
    assert (fresh(need).status, fresh(need).assignee) == ("assigned", personas.east)
    assert counts() == [("legal", "assigned", 1)]


def test_resolve_straight_from_assigned(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    services.need_resolve(actor=east_worker, need=need, version=2, resolution="当场解答")
    assert fresh(need).status == "resolved"


def _refused(fn, **kw):
    with pytest.raises(TransitionRefused) as exc:
        fn(**kw)
    assert exc.value.code == ErrorCode.TRANSITION
    return exc.value


@pytest.mark.parametrize(("step", "kw"), [
    ("need_start", {}), ("need_resolve", {"resolution": "x"}),
])
def test_working_on_an_unassigned_need_is_refused(tree, personas, step, kw):
    need = register(personas.east, tree.east_village)
    exc = _refused(getattr(services, step), actor=personas.east, need=need, version=1, **kw)
    assert "已登记" in exc.message
    assert (fresh(need).status, fresh(need).version) == ("registered", 1)


def test_a_closed_need_refuses_every_step(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_close(actor=personas.east, need=need, version=1, reason="重复登记")
    for fn, kw in [(services.need_assign, {"assignee": east_worker}), (services.need_start, {}),
                   (services.need_resolve, {"resolution": "x"}), (services.need_refer, {"target": "x"}),
                   (services.need_close, {"reason": "x"})]:
        exc = _refused(fn, actor=personas.east, need=need, version=2, **kw)
        assert "已关闭" in exc.message
    assert fresh(need).version == 2


def test_closing_a_need_in_progress_is_refused(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    services.need_start(actor=east_worker, need=need, version=2)
    _refused(services.need_close, actor=personas.east, need=need, version=3, reason="x")
    _refused(services.need_start, actor=east_worker, need=need, version=3)
    assert fresh(need).status == "in_progress"


def test_a_resolved_need_cannot_be_referred_or_reassigned(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    services.need_resolve(actor=east_worker, need=need, version=2, resolution="好了")
    _refused(services.need_refer, actor=east_worker, need=need, version=3, target="x")
    _refused(services.need_assign, actor=personas.east, need=need, assignee=east_worker, version=3)


@pytest.mark.parametrize(("fn", "kw", "field"), [
    (services.need_assign, {"assignee": None}, "assignee"),
    (services.need_refer, {"target": "  "}, "target"),
    (services.need_close, {"reason": ""}, "reason"),
])
def test_each_step_names_what_must_be_filled_in(tree, personas, fn, kw, field):
    need = register(personas.east, tree.east_village)
    with pytest.raises(ValidationFailed) as exc:
        fn(actor=personas.east, need=need, version=1, **kw)
    assert field in exc.value.fields
    assert fresh(need).status == "registered"


def test_resolve_needs_a_resolution_note(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    with pytest.raises(ValidationFailed) as exc:
        services.need_resolve(actor=east_worker, need=need, version=2, resolution="")
    assert exc.value.fields == {"resolution": "请填写办理结果"}


def test_an_assignee_outside_the_need_or_without_the_permission_is_refused(tree, personas):
    need = register(personas.east, tree.east_village)
    for who in (personas.west, personas.village):
        with pytest.raises(ValidationFailed) as exc:
            services.need_assign(actor=personas.east, need=need, assignee=who, version=1)
        assert "assignee" in exc.value.fields


def test_a_stale_version_is_refused_and_nothing_changes(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    stale = Need.objects.get(pk=need.pk)
    services.need_start(actor=east_worker, need=need, version=2)
    with pytest.raises(StaleVersion):
        services.need_resolve(actor=east_worker, need=stale, version=2, resolution="x")
    assert fresh(need).status == "in_progress"
    assert counts() == [("legal", "in_progress", 1)]


def test_a_handler_without_needs_manage_cannot_assign(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    with pytest.raises(Forbidden):
        services.need_assign(actor=east_worker, need=need, assignee=east_worker, version=1)


def test_an_executive_without_needs_handle_gets_403(tree, personas):
    need = register(personas.east, tree.east_village)
    with pytest.raises(Forbidden):
        services.need_refer(actor=personas.village, need=need, version=1, target="x")
    with pytest.raises(Forbidden):
        services.need_create(actor=personas.village, unit=tree.east_village, category="legal", urgency="normal",
                             description="x", channel="walk_in")


def test_a_cadre_of_west_gets_404_on_an_east_need(tree, personas):
    need = register(personas.east, tree.east_village)
    with pytest.raises(NotFound):
        services.need_close(actor=personas.west, need=need, version=1, reason="x")
    assert fresh(need).status == "registered"


def test_another_handler_cannot_work_on_an_assigned_need(tree, personas, east_worker):
    from tests.conftest import make_user

    other = make_user("other_worker", ["case_worker"], [tree.east])
    need = register(personas.east, tree.east_village)
    services.need_assign(actor=personas.east, need=need, assignee=east_worker, version=1)
    with pytest.raises(Forbidden):
        services.need_start(actor=other, need=need, version=2)
    services.need_start(actor=personas.east, need=need, version=2)  # a manager may
    assert fresh(need).status == "in_progress"


def test_contact_is_sealed_masked_and_revealed_with_an_audit(tree, personas):
    need = register(personas.east, tree.east_village, contact_name="王芳", contact_phone="138 0013 8000")
    n = fresh(need)
    assert (n.contact_name_mask, n.contact_phone_mask) == ("王*", "138****8000")
    assert "王芳" not in n.contact_name_enc and "13800138000" not in n.contact_phone_enc
    assert services.contact_reveal(actor=personas.east, need=n) == {"name": "王芳", "phone": "+8613800138000"}
    assert AuditEntry.objects.filter(action="reveal", target_id=str(n.pk)).count() == 1


def test_a_bad_contact_phone_names_the_field(tree, personas):
    with pytest.raises(ValidationFailed) as exc:
        register(personas.east, tree.east_village, contact_phone="12345")
    assert "contact_phone" in exc.value.fields
    assert not Need.objects.exists()


def test_rating_once_when_finished(tree, personas, east_worker):
    need = register(personas.east, tree.east_village)
    with pytest.raises(ValidationFailed):
        services.need_rate(actor=None, need=need, rating=5)
    services.need_refer(actor=personas.east, need=need, version=1, target="县法律援助中心")
    services.need_rate(actor=None, need=fresh(need), rating=4, comment="很及时")
    assert (fresh(need).rating, fresh(need).rating_comment) == (4, "很及时")
    with pytest.raises(ValidationFailed) as exc:
        services.need_rate(actor=personas.east, need=fresh(need), rating=5)
    assert "已经评价" in exc.value.message


def test_rollup_rebuild_agrees_with_the_bumps(tree, personas, east_worker, catalogue):
    # given needs moved through several statuses, one escalated and one ordered
    a = register(personas.east, tree.east_village, channel="hotline")
    b = register(personas.east, tree.east_village2, category="rights", channel="website")
    c = register(personas.west, tree.west_village, category="hardship", urgency="critical", at=T0)
    services.need_assign(actor=personas.east, need=a, assignee=east_worker, version=1)
    services.need_start(actor=east_worker, need=a, version=2)
    services.need_refer(actor=personas.east, need=b, version=1, target="x")
    services.need_close(actor=personas.east, need=b, version=2, reason="x")
    d = register(personas.east, tree.east_village)
    order = services.order_create(actor=personas.east, need=d, service=catalogue.legal, provider=catalogue.provider)
    services.order_accept(actor=personas.east, order=order, version=1)
    services.needs_escalate()
    assert c.pk in [n.pk for n in Need.objects.filter(escalated_at__isnull=False)]
    metrics = ("need", "need_channel", "need_overdue", "service_order")
    before = {m: counts(m) for m in metrics}
    assert before["need_overdue"] == [("hardship", "", 1)]
    assert before["service_order"] == [("legal", "accepted", 1)]
    # when
    call_command("rollup", "--rebuild")
    # then
    assert {m: counts(m) for m in metrics} == before
