"""Personas in two branches of a small tree, built through the real services.

    全国妇联 (national)
      └ 甲省 (province)
          └ 甲一市 (city)
              ├ 东县 (county)  ── 东镇 (township) ── 东村 (village), 东二村
              └ 西县 (county)  ── 西镇 (township) ── 西村 (village)

Who sees what: `province` (leader) sees everything under 甲省; `east` (cadre, 东县) sees
东县 only and never 西县; `west` is her mirror; `township` (cadre, 东镇) sees 东镇 and its
villages; `village` (executive, 东村) sees only 东村, not her township.
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from niangjia.accounts.models import User, UserScope
from niangjia.org import services as org

PASSWORD = "Niangjia-Test-2026!"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Personas are many and hash strength is not under test: MD5 hashes new passwords, the only place the
    suite sets it. PBKDF2 stays readable for the hashes the account import and the demo write directly."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher",
                                             "django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English (a user who chose it) leaves English
    active on the worker's thread, and a later test calling a service or command directly would read it."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _fresh_caller_cache():
    """Each test starts with an empty cache: core.callers' entries are keyed by user id, and ids are reused
    after a rolled-back test on SQLite."""
    from django.core.cache import cache

    from niangjia.core import callers

    cache.clear()
    callers.clear_local()
    yield


class Tree:
    pass


def make_user(username, roles, units, *, superuser=False):
    user = User.objects.create_user(username=username, password=PASSWORD, roles=roles, is_superuser=superuser,
                                    is_staff=superuser, first_name=username)
    for unit in units:
        UserScope.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin", ["admin"], [], superuser=True)


@pytest.fixture
def tree(db, admin_user):
    t = Tree()
    a = admin_user
    t.nation = org.federation_create(actor=a, parent=None, name="全国妇联", code="100000000000")
    t.province = org.federation_create(actor=a, parent=t.nation, name="甲省妇联", code="110000000000", has_hotline=True)
    t.city = org.federation_create(actor=a, parent=t.province, name="甲一市妇联", code="110100000000")
    t.east = org.federation_create(actor=a, parent=t.city, name="东县妇联", code="110101000000", staffing_quota=8)
    t.west = org.federation_create(actor=a, parent=t.city, name="西县妇联", code="110102000000")
    t.east_town = org.federation_create(actor=a, parent=t.east, name="东镇妇联", code="110101001000")
    t.west_town = org.federation_create(actor=a, parent=t.west, name="西镇妇联", code="110102001000")
    t.east_village = org.federation_create(actor=a, parent=t.east_town, name="东村妇联", code="110101001001")
    t.east_village2 = org.federation_create(actor=a, parent=t.east_town, name="东二村妇联", code="110101001002")
    t.west_village = org.federation_create(actor=a, parent=t.west_town, name="西村妇联", code="110102001001")
    return t


@pytest.fixture
def personas(tree):
    p = Tree()
    p.province = make_user("province", ["leader"], [tree.province])
    p.east = make_user("east", ["cadre"], [tree.east])
    p.west = make_user("west", ["cadre"], [tree.west])
    p.township = make_user("township", ["cadre"], [tree.east_town])
    p.village = make_user("village", ["executive"], [tree.east_village])
    p.statistician = make_user("stats", ["statistician"], [tree.east])
    return p


# ---- hypothesis ------------------------------------------------------------------------------
# Property tests check rules, not speed: on a loaded 2-core machine one draw can take seconds, and
# hypothesis's timing checks (deadline, too_slow) would then fail a correct rule. Speed goals live
# in `make bench`.
hypothesis_settings.register_profile("niangjia", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("niangjia")


# ---- what runs in which pass ---------------------------------------------------------------
# CI runs the suite twice (SQLite, then PostgreSQL) within its time budget. Two groups test what
# does not depend on the database engine and are slow, so each runs in one pass only:
# the browser tests (Playwright) in the SQLite pass — the pages are the same on either database;
# schemathesis over the whole API in the PostgreSQL pass — the production database; and the tests
# marked `pg` (they need PostgreSQL: the benchmark smoke run, concurrency) in the PostgreSQL pass,
# instead of running them from the SQLite pass against the same server a second time.
# NIANGJIA_TEST_ALL=1 runs every group in any pass.
ONE_PASS_ONLY = {"browser": "sqlite3", "schemathesis": "postgresql", "pg": "postgresql"}


def _engine() -> str:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def pytest_collection_modifyitems(config, items):
    if os.environ.get("NIANGJIA_TEST_ALL") == "1":
        return
    engine = _engine()
    keep, drop = [], []
    for item in items:
        passes = {ONE_PASS_ONLY[m.name] for m in item.iter_markers() if m.name in ONE_PASS_ONLY}
        (drop if passes and engine not in passes else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_report_header(config):
    engine = _engine()
    others = sorted(m for m, e in ONE_PASS_ONLY.items() if e != engine)
    return f"database: {engine}; {', '.join(others)} tests run in the other pass (NIANGJIA_TEST_ALL=1 runs all)"


# ---- browser tests -------------------------------------------------------------------------
# One Chromium per test process: Playwright's sync API runs an event loop in this thread, so a
# second sync_playwright() in the same process (two browser modules on one xdist worker) fails.
# That loop also makes Django think it is in async code; the live server and the tests' ORM
# calls are synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/ensure-chromium.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    """A page 375 px wide (zh-CN) that keeps its console errors and uncaught page errors in
    `page.console_errors`, for a test to assert there are none; `page.page_errors` keeps the uncaught
    errors alone, for a test that provokes a refused request (which the console reports) on purpose."""
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.console_errors, page.page_errors = [], []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)) or page.page_errors.append(str(e)))
    yield page
    ctx.close()


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form at `base` (the live server's URL) and wait for the home page."""
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
