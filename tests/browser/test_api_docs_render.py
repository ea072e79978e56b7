"""/api/docs renders in Chromium from local assets under our own CSP (no CDN, no violation)."""

import pytest

from tests.conftest import DESKTOP

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_the_operations_without_a_console_error(live_server, browser, db):
    # given
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors, outside = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: not r.url.startswith(live_server.url) and outside.append(r.url))
    # when
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-tag", timeout=90_000)
    # then
    assert page.locator(".info .title").inner_text().startswith("Niangjia API")
    assert page.locator(".opblock").count() > 50
    assert errors == [] and outside == []
    context.close()
