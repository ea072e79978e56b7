"""Issue 15 pages at 375 and 1280 px (screenshots into $NIANGJIA_SHOTS when set): the navbar fits with a
visible bell, the evidence form's search works again and again, the public entry and the outbox."""

import os
from pathlib import Path

import pytest

from niangjia.people import services as people
from tests.conftest import DESKTOP, PHONE, log_in
from tests.duties.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1440, "height": 900}
LAPTOP = {"width": 1024, "height": 768}


def shot(page, name):
    out = os.environ.get("NIANGJIA_SHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=True)


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(viewport):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and "htmx" in m.text and page.errors.append(m.text))
        return page

    yield make
    for c in contexts:
        c.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP, DESKTOP, WIDE], ids=["375", "1024", "1280", "1440"])
def test_the_navbar_fits_with_a_visible_bell(live_server, duty, personas, open_page, viewport):
    # given the province leader, who sees the most menu entries
    personas.province.set_password(PASSWORD)
    personas.province.save()
    page = open_page(viewport)
    log_in(page, live_server.url, personas.province.username)
    if viewport == PHONE:
        page.get_by_role("button", name="菜单").click()
        page.locator("#nj-nav.show").wait_for()
        page.wait_for_timeout(400)  # the collapse animation
    # then no label breaks inside, the bell is drawn, and nothing overflows
    for btn in page.locator(".nj-navbar .btn").all():  # 退出, 简体中文, English: one line each
        assert btn.bounding_box()["height"] < 40
    heights = page.eval_on_selector_all(".nj-navbar .nav-link", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and max(heights) < 48, heights
    bell = page.get_by_test_id("nav-bell").locator("svg")
    assert bell.bounding_box()["width"] >= 16
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"nav-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_evidence_search_works_every_time(live_server, duty, tree, personas, open_page, viewport):
    # given two people she may link
    for name in ("王芳", "李梅"):
        people.person_create(actor=personas.east, unit=tree.east, name=name)
    duty.exec_a.roles = ["executive", "cadre"]
    duty.exec_a.save()
    page = open_page(viewport)
    log_in(page, live_server.url, "exec_a")
    page.goto(f"{live_server.url}/duties/")
    shot(page, f"duties-checklist-{viewport['width']}")
    assert page.get_by_test_id("evidence-list-link").first.is_visible()
    card = page.locator(f"#item-{duty.a.id}-{duty.items['contact_delegate'].id}")
    card.get_by_role("link", name="记录").click()
    form = card.get_by_role("form", name="记录：经常联系妇女代表")
    form.locator("summary").click()
    box = form.get_by_label("搜索人员或组织")
    # when she searches, then searches again for someone else
    box.fill("王芳")
    form.get_by_text("人员：王芳").wait_for()
    box.fill("李梅")
    form.get_by_text("人员：李梅").wait_for()
    # then the second answer replaced the first, with no htmx error
    assert form.get_by_text("人员：王芳").count() == 0
    assert page.errors == []
    shot(page, f"duties-search-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_public_entry_login_and_outbox_pages(live_server, duty, open_page, viewport):
    page = open_page(viewport)
    page.goto(f"{live_server.url}/login/")
    shot(page, f"login-{viewport['width']}")
    page.get_by_test_id("public-entry").click()
    page.wait_for_url("**/p/")
    assert page.locator('a[href="tel:110"]').first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"public-{viewport['width']}")
    log_in(page, live_server.url, "exec_a")
    page.goto(f"{live_server.url}/outbox/")
    page.get_by_text("没有待发送的记录。").wait_for()
    shot(page, f"outbox-{viewport['width']}")
    assert page.errors == []
