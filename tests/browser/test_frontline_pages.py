"""Issue 15 pages at 375 and 1280 px (screenshots into $NIANGJIA_SHOTS when set): the navbar fits with a
visible bell, the evidence form's search works again and again, the public entry and the outbox."""

import os
from pathlib import Path

import pytest

from niangjia.core.roles import ROLES
from niangjia.people import services as people
from tests.conftest import DESKTOP, PHONE, log_in, make_user

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


@pytest.fixture
def everything_user(tree):
    """The user with the most modules: a superuser (every permission) at the province, with a long name."""
    return make_user("everything", list(ROLES), [tree.province], superuser=True)


def _choose_language(page, base, language):
    if language == "en":
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == language


CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = getComputedStyle(document.querySelector('.nj-navbar')).backgroundColor;
  const fg = [...document.querySelectorAll('.nj-navbar .navbar-nav > .nav-item > .nav-link, .nj-navbar .nj-bell, .nj-navbar .nj-user .nav-link')]
    .filter(e => e.getBoundingClientRect().width > 0).map(e => getComputedStyle(e).color);
  return Math.min(...fg.map(c => { const [a, b] = [lum(c), lum(bg)].sort((x, y) => y - x); return (a + 0.05) / (b + 0.05); }));
}"""


def _bell_and_contrast(page):
    bell = page.get_by_test_id("nav-bell").locator("svg")
    assert bell.is_visible() and bell.bounding_box()["width"] >= 16
    assert page.evaluate(CONTRAST) >= 4.5


NAV_BOX = """() => {
  const r = e => e.getBoundingClientRect();
  const shown = e => r(e).width > 0;
  const bar = document.querySelector('.nj-navbar');
  const parts = [bar.querySelector('.navbar-brand'), ...bar.querySelectorAll('#nj-nav > .navbar-nav > .nav-item'),
                 bar.querySelector('.nj-bell'), bar.querySelector('.nj-user'), bar.querySelector('.nj-lang')].filter(shown);
  const links = [...bar.querySelectorAll('#nj-nav > .navbar-nav > .nav-item > .nav-link')].filter(shown);
  return {bar: r(bar).height, link: Math.max(...links.map(e => r(e).height)), n: links.length,
          tops: parts.map(e => Math.round(r(e).top + r(e).height / 2)),
          wraps: links.filter(e => e.getClientRects().length > 1 || r(e).height > 1.6 * parseFloat(getComputedStyle(e).lineHeight)
                              + parseFloat(getComputedStyle(e).paddingTop) + parseFloat(getComputedStyle(e).paddingBottom))
                      .map(e => e.textContent)};
}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("viewport", [LAPTOP, DESKTOP, WIDE], ids=["1024", "1280", "1440"])
def test_the_navbar_is_one_row_for_the_user_with_every_module(live_server, everything_user, open_page, viewport,
                                                               language):
    # given the user who sees every module, reading in either language on a laptop or desktop screen
    page = open_page(viewport)
    log_in(page, live_server.url, everything_user.username)
    _choose_language(page, live_server.url, language)
    # then the bar is one row: every part sits on the same line, no label wraps, nothing overflows
    box = page.evaluate(NAV_BOX)
    assert box["n"] >= 5, box
    assert max(box["tops"]) - min(box["tops"]) <= 4, box
    assert box["bar"] < 2 * box["link"], box
    assert box["wraps"] == [], box
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    _bell_and_contrast(page)
    # and the less-used modules are one click away under 更多 / More, each label on one line
    page.get_by_test_id("nav-more").click()
    more = page.locator(".nj-navbar .dropdown-menu.show .dropdown-item")
    assert more.count() >= 5
    assert max(b["height"] for b in (more.nth(i).bounding_box() for i in range(more.count()))) < 40
    page.locator(".nj-navbar .dropdown-menu.show").get_by_role("link", name="审计" if language == "zh-hans" else "Audit").click()
    page.wait_for_url("**/audit/")
    shot(page, f"nav-{language}-{viewport['width']}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_phone_menu_opens_and_reaches_every_module(live_server, everything_user, open_page, language):
    # given the same user on a 375 px phone
    page = open_page(PHONE)
    log_in(page, live_server.url, everything_user.username)
    _choose_language(page, live_server.url, language)
    assert page.locator("#nj-nav .nav-link").first.is_visible() is False
    # when she opens the menu
    page.get_by_role("button", name="菜单" if language == "zh-hans" else "Menu").click()
    page.locator("#nj-nav.show").wait_for()
    page.wait_for_timeout(400)  # the collapse animation
    # then the modules are listed one per line, inside the screen, and 更多 opens the rest
    links = page.locator("#nj-nav > .navbar-nav > .nav-item > .nav-link")
    assert all(links.nth(i).is_visible() and links.nth(i).bounding_box()["height"] < 48 for i in range(links.count()))
    _bell_and_contrast(page)
    page.get_by_test_id("nav-more").click()
    page.locator(".nj-navbar .dropdown-menu.show").get_by_role("link", name="用户" if language == "zh-hans" else "Users").click()
    page.wait_for_url("**/users/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


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
