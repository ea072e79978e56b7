"""Fixtures the core tests borrow, by name, from the folders that own them: the parallel transitions
run one step of each pipeline (awards, cases, needs, selection), the file and no-store checks need a
field-work report and a person; and a spy on the caller cache's shared cache."""

import pytest
from django.core.cache import cache

from tests.awards.conftest import city, rnd, today  # noqa: F401
from tests.cases.conftest import staff  # noqa: F401
from tests.fieldwork.conftest import fw_people  # noqa: F401
from tests.needs.conftest import catalogue  # noqa: F401
from tests.people.conftest import folks  # noqa: F401
from tests.selection.conftest import sel  # noqa: F401


class CountingCache:
    """The shared cache as core.callers sees it, counting the keys read and the adds asked."""

    def __init__(self, real):
        self.real, self.reads, self.adds = real, [], 0

    def get_many(self, keys):
        self.reads += list(keys)
        return self.real.get_many(keys)

    def get(self, key, default=None):
        self.reads.append(key)
        return self.real.get(key, default)

    def add(self, *args):
        self.adds += 1
        return self.real.add(*args)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def counting(monkeypatch):
    from niangjia.core import callers

    spy = CountingCache(cache)
    monkeypatch.setattr(callers, "cache", spy)
    return spy
