"""A woman on a 375-px phone answers a consultation by phone check code, without an account;
a second try with the same phone is refused; a cadre sees the answer in the results."""

import re

import pytest

from niangjia.core.sms import last_sent_to
from niangjia.participation.models import Response
from tests.participation.conftest import make_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_sheet(page):
    page.get_by_label("下午").check()
    page.get_by_label("托管").check()
    page.get_by_label("讲座").check()
    page.locator("label.btn", has_text="4").click()
    page.locator("textarea").fill("希望提供午饭")


def test_woman_answers_on_her_phone(live_server, tree, personas, phone):
    # given an open consultation that counts one answer per phone
    c = make_consultation(personas.east, tree.east, identity="phone")
    page = phone
    page.goto(f"{live_server.url}/p/participation/c/{c.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling

    # when she asks for a code, fills the sheet and submits
    page.get_by_label("手机号").fill("13800138000")
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("验证码已发送").wait_for()
    code = re.search(r"(\d{6})", last_sent_to("+8613800138000", "participation.check_code").body).group(1)
    page.get_by_label("验证码").fill(code)
    fill_sheet(page)
    page.get_by_role("button", name="提交").click()

    # then she is thanked and one answer is stored
    page.get_by_text("提交成功，谢谢您！").wait_for()
    assert Response.objects.filter(consultation=c).count() == 1

    # and the same phone cannot answer again
    page.goto(f"{live_server.url}/p/participation/c/{c.pk}/")
    page.get_by_label("手机号").fill("138 0013 8000")
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("此手机号已经提交过答卷，每人只能提交一份").wait_for()
    assert Response.objects.filter(consultation=c).count() == 1
    assert page.console_errors == []


def test_missing_required_answer_is_named(live_server, tree, personas, phone):
    c = make_consultation(personas.east, tree.east)
    page = phone
    page.goto(f"{live_server.url}/p/participation/c/{c.pk}/")
    page.get_by_label("下午").check()
    page.get_by_role("button", name="提交").click()
    page.get_by_text("第2题：此题为必答题").wait_for()
    assert page.get_by_label("下午").is_checked()  # what she chose is kept
    assert Response.objects.count() == 0
