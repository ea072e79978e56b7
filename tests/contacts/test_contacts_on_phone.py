"""A county leader on her phone: logs a contact with one of her ten women, sees the phone masked,
reveals it (audited); nobody else can reveal it, and a leader above sees only counts."""

import pytest
from django.test import Client

from niangjia.contacts import services
from niangjia.contacts.models import ContactEvent, Kind, Slot
from niangjia.core.models import AuditEntry
from tests.conftest import PHONE, log_in
from tests.contacts.conftest import PLAN_YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def her_plan(cw):
    plan = services.plan_create(actor=cw.east_leader, person=cw.leader_p, unit=cw.tree.east, year=PLAN_YEAR,
                                kind=Kind.TEN_WOMEN)
    target = services.target_add(actor=cw.east_leader, plan=plan, slot=Slot.ORDINARY_WOMAN, person=cw.zhang)
    return plan, target


def reveals_of(person) -> int:
    return AuditEntry.objects.filter(action="reveal", target_id=str(person.pk)).count()


def test_leader_logs_a_contact_and_reveals_her_own_contacts_phone(live_server, cw, her_plan, phone):
    plan, target = her_plan
    page = phone
    log_in(page, live_server.url, "east_leader")

    # when she opens her contact plans, 张秀兰's card shows the phone masked, never in clear
    page.goto(f"{live_server.url}/contacts/?year={PLAN_YEAR}")
    card = page.locator(f"#target-{target.pk}")
    assert "张秀兰" in card.inner_text() and "尚未联系" in card.inner_text()
    assert cw.zhang.phone_mask in card.inner_text()
    assert "13800138000" not in page.content()

    # and she logs a phone call in a few taps
    card.get_by_text("记一次联系").click()
    card.locator(f"label[for=ch-{target.pk}-phone]").click()
    card.get_by_label("情况记录（可不填）").fill("询问低保申请进展，需要帮助准备材料")
    card.get_by_role("button", name="保存").click()

    # then the card says so in place, and the event is stored
    page.locator(f"#target-{target.pk}").get_by_text("已记录一次联系").wait_for()
    assert "今天已联系" in page.locator(f"#target-{target.pk}").inner_text()
    event = ContactEvent.objects.get(target=target)
    assert event.channel == "phone" and event.recorded_by_id == cw.east_leader.pk

    # when she reveals the phone, the clear number shows and the read is audited
    before = reveals_of(cw.zhang)
    page.locator(f"#target-{target.pk}").get_by_role("button", name="查看完整电话").click()
    page.locator(f"#rv-phone-{target.pk}").get_by_text("已记录查看").wait_for()
    assert "13800138000" in page.locator(f"#rv-phone-{target.pk}").inner_text()
    assert reveals_of(cw.zhang) == before + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []


def test_only_the_plans_own_leader_may_reveal(live_server, cw, her_plan):
    _plan, target = her_plan
    before = reveals_of(cw.zhang)
    # a cadre of the same county (her plan is in reach) and the province leader above her
    for username, user in (("cadre_a", cw.cadre_a), ("province", cw.personas.province)):
        client = Client()
        client.force_login(user)
        resp = client.post(f"/contacts/targets/{target.pk}/reveal/phone/")
        assert resp.status_code in (403, 404), username
        assert "13800138000" not in resp.content.decode()
    assert reveals_of(cw.zhang) == before


def test_a_leader_above_sees_counts_not_the_womens_details(live_server, cw, her_plan, phone):
    services.event_record(actor=cw.east_leader, target=her_plan[1], day=services.today(), channel="visit")
    page = phone
    log_in(page, live_server.url, "province")
    page.goto(f"{live_server.url}/contacts/unit/{cw.tree.east.pk}/?year={PLAN_YEAR}")
    text = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "刘主席" in text
    assert "张秀兰" not in page.content() and cw.zhang.phone_mask not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
