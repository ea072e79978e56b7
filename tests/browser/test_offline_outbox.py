"""Offline capture: an executive member with no signal saves three records; they wait on her phone,
go out when the signal returns, and a forced double sync still leaves exactly three records."""

import pytest

from niangjia.duties.models import Evidence
from tests.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ctx(browser):
    c = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield c
    c.close()


def _until(page, js, timeout=15):
    """Poll a JS expression (wait_for_function evaluates strings, which our CSP forbids)."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(js):
        assert time.monotonic() < end, js
        page.wait_for_timeout(100)


def test_three_records_saved_offline_are_sent_once_each(live_server, duty, ctx):
    # given her record form, loaded while she had a signal
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server.url, "exec_a")
    page.goto(f"{live_server.url}/duties/a/{duty.a.id}/items/{duty.items['contact_delegate'].id}/record/")
    page.evaluate("navigator.serviceWorker.ready")

    # when the signal goes and she saves three records
    ctx.set_offline(True)
    for name in ("王芳", "李梅", "张兰"):
        page.get_by_label("做了什么").fill(f"走访代表{name}")
        page.get_by_role("button", name="保存").click()
        page.get_by_role("status").get_by_text("没有网络：已存在本机").wait_for()
        _until(page, "document.getElementById('id_what').value === ''")

    # then they wait on the phone, each with its own key, and nothing reached the server
    waiting = page.evaluate("njOutbox.all().then(i => i.map(x => [x.status, x.key]))")
    assert [s for s, _ in waiting] == ["waiting"] * 3 and len({k for _, k in waiting}) == 3
    assert page.locator("#nj-outbox-pill").inner_text() == "3 条待发送"
    assert Evidence.objects.filter(assignment=duty.a).count() == 0

    # when the signal returns and a double sync is forced, then resent once more from scratch
    ctx.set_offline(False)
    page.evaluate("Promise.all([njOutbox.sync(), njOutbox.sync()])")
    _until(page, "njOutbox.all().then(i => i.every(x => x.status === 'sent'))")
    page.evaluate("""njOutbox.all().then(items => Promise.all(items.map(i => {
        i.status = 'waiting'; return new Promise(r => { const q = indexedDB.open('niangjia');
        q.onsuccess = () => { const t = q.result.transaction('outbox', 'readwrite'); t.objectStore('outbox').put(i);
        t.oncomplete = r; }; }); }))).then(() => Promise.all([njOutbox.sync(), njOutbox.sync()]))""")
    _until(page, "njOutbox.all().then(i => i.every(x => x.status === 'sent'))")

    # then exactly three records exist, with what she typed
    assert sorted(Evidence.objects.filter(assignment=duty.a).values_list("what", flat=True)) == [
        "走访代表张兰", "走访代表李梅", "走访代表王芳"]

    # and the outbox page lists them as sent
    page.goto(f"{live_server.url}/outbox/")
    page.locator(".nj-outbox-item[data-status=sent]").nth(2).wait_for()
    assert page.locator(".nj-outbox-item").count() == 3
    assert errors == []


def test_a_refused_record_shows_the_reason_and_can_be_fixed_and_resent(live_server, duty, ctx):
    # given a record queued offline with a date the server refuses (in the future)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "exec_a")
    page.goto(f"{live_server.url}/duties/a/{duty.a.id}/items/{duty.items['contact_delegate'].id}/record/")
    ctx.set_offline(True)
    page.get_by_label("做了什么").fill("走访代表赵敏")
    page.get_by_label("日期").fill("2999-01-01")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("status").get_by_text("没有网络：已存在本机").wait_for()
    # when the signal returns
    ctx.set_offline(False)
    page.goto(f"{live_server.url}/outbox/")
    item = page.locator(".nj-outbox-item[data-status=refused]")
    item.wait_for()
    # then the reason is shown; she fixes the date and sends again
    assert item.get_by_role("alert").inner_text() != ""
    item.get_by_label("日期").fill(str(duty.year) + "-01-02")
    item.get_by_role("button", name="修改后重发").click()
    page.locator(".nj-outbox-item[data-status=sent]").wait_for()
    assert Evidence.objects.get(what="走访代表赵敏").day.isoformat() == f"{duty.year}-01-02"


def test_the_next_user_on_the_same_phone_never_sees_the_last_users_pages_offline(live_server, duty, ctx):
    # given exec_a's checklist and home kept on the phone while she had a signal
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "exec_a")
    page.evaluate("navigator.serviceWorker.ready")
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/duties/a/{duty.a.id}/")
    assert "执委甲" in page.content()
    # and her session lapses (no logout button pressed) and exec_b logs in on the same phone
    ctx.clear_cookies()
    log_in(page, live_server.url, "exec_b")
    page.goto(f"{live_server.url}/")
    # when the signal goes and she opens exec_a's checklist address, and her own home
    ctx.set_offline(True)
    page.goto(f"{live_server.url}/duties/a/{duty.a.id}/")
    # then the phone does not show exec_a's page, only that it is not on this phone
    assert "执委甲" not in page.content() and "这一页还没有存到本机" in page.content()
    page.goto(f"{live_server.url}/")
    assert page.locator("body").get_attribute("data-nj-user") == "exec_b"
    # and only exec_b's pages are left in the caches
    names = page.evaluate("caches.keys()")
    assert [n for n in names if "-pages-" in n] == [n for n in names if n.endswith("-pages-exec_b")] != []
    ctx.set_offline(False)
