"""A county cadre on her phone: logs in, opens the tree, expands it, opens a federation and its composition."""

import os
from datetime import date
from pathlib import Path

import pytest

from niangjia.org import services as org
from niangjia.people import services as people
from niangjia.stats import services as stats
from tests.conftest import DESKTOP, PHONE, log_in


@pytest.fixture
def shots(tmp_path):
    """Save a screenshot; also into $NIANGJIA_SHOTS (e.g. /tmp/shots) when set, to look at them."""
    out = Path(os.environ.get("NIANGJIA_SHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def open_page(browser):
    """A new page of the given viewport that records console errors (CSP violations included)."""
    contexts = []

    def make(viewport=PHONE, **kw):
        ctx = browser.new_context(viewport=viewport, locale="zh-CN", **kw)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for ctx in contexts:
        ctx.close()

PASSWORD = "Browser-Test-2026!"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def township_with_people(tree, personas):
    """东镇: a standing committee of 4 (2 grassroots front-line), an executive committee of 5 (1), a site."""
    actor = personas.east
    actor.set_password(PASSWORD)
    actor.save(update_fields=["password"])
    for i in range(4):
        p = people.person_create(actor=actor, unit=tree.east_town, name=f"常委{i}", grassroots_frontline=i < 2)
        people.post_create(actor=actor, person=p, unit=tree.east_town, body="standing", title="常委")
    for i in range(5):
        p = people.person_create(actor=actor, unit=tree.east_town, name=f"执委{i}", grassroots_frontline=i < 1)
        people.post_create(actor=actor, person=p, unit=tree.east_town, body="executive", title="执委")
    org.site_create(actor=actor, unit=tree.east_town, kind="womens_home", name="东镇妇女之家")
    stats.activity_log(actor=actor, unit=tree.east_village, day=date.today(), category="visit", title="入户走访",
                       women_reached=15)
    return tree.east_town


def test_phone_login_tree_federation_composition(live_server, personas, township_with_people, open_page, shots):
    page = open_page(PHONE)
    # given the east county cadre on a 375-px phone
    page.goto(f"{live_server.url}/login/")
    shots(page, "phone-01-login")
    log_in(page, live_server.url, "east", PASSWORD)
    page.locator(".nj-chart canvas").first.wait_for()
    shots(page, "phone-02-home")

    # when she opens the tree from the collapsed menu
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="组织体系").first.click()
    page.wait_for_url("**/org/tree/")
    assert page.get_by_role("link", name="东县妇联").is_visible()
    assert page.get_by_text("西县妇联").count() == 0

    # and expands her county, then collapses and expands it again
    page.get_by_role("button", name="展开 东县妇联").click()
    town = page.get_by_role("link", name="东镇妇联")
    town.wait_for()
    shots(page, "phone-03-tree-expanded")
    page.get_by_role("button", name="展开 东县妇联").click()
    town.wait_for(state="hidden")
    page.get_by_role("button", name="展开 东县妇联").click()
    town.wait_for()

    # and searches by pinyin initials
    page.get_by_placeholder("按名称").fill("dcfl")
    page.locator("#search-results").get_by_role("link", name="东村妇联").wait_for()
    shots(page, "phone-04-search")

    # and opens the township, then its composition tab
    town.click()
    page.wait_for_url(f"**/org/{township_with_people.id}/")
    assert page.get_by_role("heading", name="东镇妇联").is_visible()
    shots(page, "phone-05-federation")
    page.get_by_role("tab", name="组成结构").click()
    standing = page.locator('[data-rule="standing_grassroots"]')
    executive = page.locator('[data-rule="executive_grassroots"]')
    standing.wait_for()
    # then she sees each rule with its figures: 2/4 = 50% ≥ 30% met; 1/5 = 20% < 40% not met
    assert "达标" in standing.inner_text() and "2/4" in standing.inner_text() and "50.0%" in standing.inner_text()
    assert "未达标" in executive.inner_text() and "1/5" in executive.inner_text()
    assert "暂无成员" in page.locator('[data-rule="delegates_grassroots"]').inner_text()
    shots(page, "phone-06-composition")

    # and nothing overflows the phone's width
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a 375-px phone"
    assert page.console_errors == []


def test_desktop_pages_render_without_errors(live_server, personas, township_with_people, open_page, shots):
    page = open_page(DESKTOP)
    log_in(page, live_server.url, "east", PASSWORD)
    page.locator(".nj-chart canvas").first.wait_for()
    shots(page, "desktop-01-home")
    page.goto(f"{live_server.url}/org/tree/")
    page.get_by_role("button", name="展开 东县妇联").click()
    page.get_by_role("link", name="东镇妇联").wait_for()
    shots(page, "desktop-02-tree")
    page.goto(f"{live_server.url}/org/{township_with_people.id}/#composition")
    page.locator('[data-rule="standing_grassroots"]').wait_for()
    shots(page, "desktop-03-composition")
    page.goto(f"{live_server.url}/stats/")
    page.locator(".nj-chart canvas").first.wait_for()
    shots(page, "desktop-04-stats")
    page.goto(f"{live_server.url}/org/sites/")
    shots(page, "desktop-05-sites")
    assert page.console_errors == []


def test_phone_forms_and_stats(live_server, personas, township_with_people, open_page, shots):
    page = open_page(PHONE)
    log_in(page, live_server.url, "east", PASSWORD)
    page.goto(f"{live_server.url}/org/{township_with_people.id}/sites/new/")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("请填写名称").wait_for()
    shots(page, "phone-07-form-errors")
    page.goto(f"{live_server.url}/stats/")
    page.locator(".nj-chart canvas").first.wait_for()
    shots(page, "phone-08-stats")
    page.goto(f"{live_server.url}/org/sites/")
    shots(page, "phone-09-sites")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # the refused form answers 400 on purpose; nothing else may complain
    assert [e for e in page.console_errors if "status of 400" not in e] == []
