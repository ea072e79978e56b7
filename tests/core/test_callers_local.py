"""Each web process keeps its own copies of caller-cache entries, stamped like the shared ones: a warm call reads
only the generations from the shared cache, never the entry again, and a change anywhere still counts at once
(issue 16: each entry read from the file cache was a file opened, read and unpickled)."""

import pytest
from django.core.cache import cache

from niangjia.core import callers


def _entry_reads(spy) -> list[str]:
    return [k for k in spy.reads if not k.startswith("callers:gen:")]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    tick = Clock()
    monkeypatch.setattr(callers.time, "monotonic", tick)
    return tick


def test_a_warm_look_up_reads_the_generations_but_not_the_entry_again(counting):
    built = []
    for _ in range(3):
        assert callers.remember_for("things", "a", lambda: built.append(1) or {"n": 1}) == {"n": 1}
    assert built == [1]
    assert _entry_reads(counting) == ["callers:things:a"]  # the first look-up only
    assert sum(1 for k in counting.reads if k.startswith("callers:gen:")) >= 6  # every look-up checks them


def test_each_look_up_gets_its_own_copy_of_a_mutable_value():
    first = callers.remember_for("things", "b", lambda: {"tags": ["x"]})
    first["tags"].append("changed by one request")
    assert callers.remember_for("things", "b", lambda: {"tags": ["never built"]}) == {"tags": ["x"]}


def test_an_immutable_value_is_the_same_object_for_every_request():
    first = callers.remember(5, "reach", lambda: ("east",), local=True)
    assert callers.remember(5, "reach", lambda: ("never built",), local=True) is first


@pytest.mark.django_db
def test_a_change_forgets_this_process_copy_at_once():
    assert callers.remember_for("things", "c", lambda: "old") == "old"
    callers.forget("things")
    assert callers.remember_for("things", "c", lambda: "new") == "new"


def test_a_change_made_by_another_process_forgets_it_too():
    assert callers.remember(6, "units", lambda: ["east"]) == ["east"]
    cache.set(callers._user_key(6), "a generation another process started", None)
    assert callers.remember(6, "units", lambda: ["west"]) == ["west"]


def test_a_copy_is_kept_no_longer_than_the_shared_entry(counting, clock, settings):
    settings.CALLER_CACHE_SECONDS = 300
    callers.remember_for("things", "d", lambda: "v")
    clock.now += 299
    callers.remember_for("things", "d", lambda: "v")
    assert _entry_reads(counting) == ["callers:things:d"]
    clock.now += 2  # past its time: the shared cache is asked again
    callers.remember_for("things", "d", lambda: "v")
    assert _entry_reads(counting) == ["callers:things:d"] * 2


def test_a_looked_up_entry_is_kept_and_still_checked_against_her_generation(counting):
    gen = callers.generation(11)
    callers.put("callers:token:abc", (gen, {"user": 11}))
    for _ in range(3):
        assert callers.lookup("callers:token:abc", lambda e: e["user"]) == {"user": 11}
    assert _entry_reads(counting) == ["callers:token:abc"]
    cache.set(callers._user_key(11), "her account changed", None)  # in any process
    assert callers.lookup("callers:token:abc", lambda e: e["user"]) is None


def test_add_asks_the_shared_cache_once_per_period_in_a_process(counting, clock):
    assert callers.add("callers:token-used:1", 1, 60) is True
    assert callers.add("callers:token-used:1", 1, 60) is False
    assert counting.adds == 1  # the second was answered from what this process saw
    clock.now += 61
    cache.delete("callers:token-used:1")  # expired in the shared cache too
    assert callers.add("callers:token-used:1", 1, 60) is True
    assert counting.adds == 2


def test_add_seen_set_by_another_process_is_not_asked_again_within_the_period(counting, clock):
    cache.add("callers:token-used:2", 1, 60)  # another process wrote her last use
    assert callers.add("callers:token-used:2", 1, 60) is False
    assert callers.add("callers:token-used:2", 1, 60) is False
    assert counting.adds == 1


def test_past_the_limit_a_process_drops_its_copies_and_reads_the_shared_cache_again(counting, monkeypatch):
    monkeypatch.setattr(callers, "_LOCAL_MAX", 2)
    for name in ("a", "b"):
        callers.remember_for("things", name, lambda n=name: n)
    callers.remember_for("things", "c", lambda: "c")  # the third: the process's copies are dropped first
    assert len(callers._local) == 1
    assert callers.remember_for("things", "a", lambda: "never built: shared") == "a"
    assert _entry_reads(counting) == ["callers:things:a", "callers:things:b", "callers:things:c", "callers:things:a"]
    for n in range(3):  # and the keys `add` saw set are bounded the same way
        callers.add(f"callers:token-used:{n}", 1, 60)
    assert len(callers._added) == 1
