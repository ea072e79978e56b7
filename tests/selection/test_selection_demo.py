"""The selection demo loader on the test tree (东县 stands in for 安吉县, 西县 for 德清县): a finished selection
with posts in the people register and a call still open; deterministic and fast."""

import time
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import transaction

from niangjia.demo.fake import Fake
from niangjia.people.models import Post
from niangjia.selection import demo, queries
from niangjia.selection.models import Candidate, Score, Selection

pytestmark = pytest.mark.django_db


def _ctx(tree, admin_user, seed=7):
    return SimpleNamespace(fake=Fake(seed, date(2026, 11, 22)), admin=admin_user,
                           by_name={"安吉县": SimpleNamespace(fed=tree.east), "德清县": SimpleNamespace(fed=tree.west)})


def test_demo_builds_a_finished_and_an_open_selection_quickly(tree, admin_user):
    started = time.monotonic()
    assert demo.load(_ctx(tree, admin_user)) == 11
    assert time.monotonic() - started < 3

    done = Selection.objects.get(unit=tree.east)
    assert done.status == "done"
    rows = queries.result_sheet(done)
    assert len(rows) == 8
    # the planted tie is resolved by the jury step and shown
    assert any("群众评审团得分高者在前" in t for r in rows for t in r.ties)
    assert Score.objects.filter(part__selection=done, supersedes__isnull=False).count() == 1
    assert Candidate.objects.filter(selection=done, vetting="failed").count() == 1
    elected = Candidate.objects.filter(selection=done, election="elected")
    assert elected.count() == 5
    posts = Post.objects.filter(unit=tree.east, tenure="part_time")
    assert sorted(posts.values_list("title", flat=True)) == ["兼职副主席"] * 3 + ["兼职常委"] * 2
    assert set(elected.values_list("post_id", flat=True)) == set(posts.values_list("id", flat=True))
    for c in elected:
        assert c.vetted_on < c.elected_on

    still_open = Selection.objects.get(unit=tree.west)
    assert still_open.status == "open" and still_open.candidates.count() == 3
    assert sorted(still_open.candidates.values_list("channel", flat=True)) == ["public", "public", "staff"]


class _Undo(Exception):
    pass


def _sheet_once(tree, admin_user) -> list:
    out = []
    try:
        with transaction.atomic():
            demo.load(_ctx(tree, admin_user))
            out = [(r.candidate.name, r.total) for r in queries.result_sheet(Selection.objects.get(unit=tree.east))]
            raise _Undo
    except _Undo:
        pass
    return out


def test_demo_is_deterministic(tree, admin_user):
    first, second = _sheet_once(tree, admin_user), _sheet_once(tree, admin_user)
    assert len(first) == 8 and first == second
    assert not Selection.objects.exists()
