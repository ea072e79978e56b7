"""Within one request each cached generation is read from the shared cache once (core.callers.one_request), and
a change this request makes is still seen at once (issue 16)."""

import pytest

from niangjia.core import callers


def _generation_reads(spy) -> int:
    return sum(1 for k in spy.reads if k.startswith("callers:gen:"))


def test_three_look_ups_of_one_caller_read_her_generations_once_in_a_request(counting):
    built = []
    with callers.one_request():
        for name in ("user", "units", "reach"):
            callers.remember(7, name, lambda n=name: built.append(n) or n)
    assert built == ["user", "units", "reach"]
    assert _generation_reads(counting) == 2  # hers and the tree's


def test_outside_a_request_each_look_up_reads_them_again(counting):
    for name in ("user", "units", "reach"):
        callers.remember(8, name, lambda n=name: n)
    assert _generation_reads(counting) == 6


@pytest.mark.django_db
def test_a_change_made_in_the_request_is_seen_by_its_next_look_up(counting):
    with callers.one_request():
        assert callers.remember(9, "units", lambda: ["east"]) == ["east"]
        assert callers.remember(9, "units", lambda: ["never built: cached"]) == ["east"]
        callers.forget_user(9)  # her scope changed, in this very request
        assert callers.remember(9, "units", lambda: ["west"]) == ["west"]
        callers.forget_all()  # the tree changed
        assert callers.remember(9, "units", lambda: ["north"]) == ["north"]


@pytest.mark.django_db
def test_a_change_made_before_the_next_request_is_seen_by_it():
    with callers.one_request():
        assert callers.remember(10, "units", lambda: ["east"]) == ["east"]
    callers.forget_user(10)  # another process, between two requests
    with callers.one_request():
        assert callers.remember(10, "units", lambda: ["west"]) == ["west"]
