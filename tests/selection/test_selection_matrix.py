"""Permission matrix of every API path of the open selection: a county cadre (西县) against another
county's (东县) selection, candidate, part, scorer and score gets 404 and changes nothing; lists leave
them out and show her own. The last test asserts every documented path is in this matrix (or public)."""

from datetime import date

import pytest
from django.apps import apps
from scope_matrix import assert_list_keeps_to_each, assert_paths_covered, assert_refused, fill, fingerprint

from niangjia.core.models import AuditEntry, IdempotencyKey, OneTimeToken, OutboundMessage
from niangjia.people.models import Person, Post
from niangjia.selection.models import Score
from tests.selection.conftest import add_scorers, close_call, new_selection, submit

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/selection"
TODAY = str(date.today())
APPLICATION = {"name": "x", "phone": "13900000099", "project_title": "x", "project_need": "x", "project_plan": "x"}

NOT_FOUND = [
    ("POST", "/selections", {"unit": "{east}", "title": "x", "call_opens": TODAY, "call_closes": TODAY,
                             "posts": [{"body": "leadership", "title": "兼职副主席", "seats": 1}]}),
    ("GET", "/selections/{sel}", None),
    ("PATCH", "/selections/{sel}", {"version": 1, "title": "x"}),
    ("POST", "/selections/{sel}/config", {"version": 1, "weights": {"project": 40, "expert": 30, "jury": 30},
                                          "methods": {}, "tie_break": ["jury"], "trim_min": 3}),
    ("POST", "/selections/{sel}/close-call", {"version": 1}),
    ("POST", "/selections/{sel}/start-election", {"version": 1}),
    ("POST", "/selections/{sel}/finish", {"version": 1}),
    ("GET", "/selections/{sel}/posts", None),
    ("GET", "/selections/{sel}/parts", None),
    ("GET", "/selections/{sel}/ranking", None),
    ("GET", "/selections/{sel}/candidates", None),
    ("POST", "/selections/{sel}/candidates", APPLICATION),
    ("GET", "/candidates/{cand}", None),
    ("POST", "/candidates/{cand}/vetting", {"version": 1, "result": "passed", "note": "x"}),
    ("POST", "/candidates/{cand}/election", {"version": 1, "result": "not_elected"}),
    ("GET", "/parts/{part}/scorers", None),
    ("POST", "/parts/{part}/scorers", {"name": "x"}),
    ("POST", "/scorers/{scorer}/reissue", None),
    ("POST", "/parts/{part}/close", {"version": 1}),
    ("GET", "/parts/{part}/scores", None),
    ("POST", "/scores/{score}/correct", {"value": 1, "reason": "x"}),
    ("GET", "/policy?unit={east}", None),
]
LISTS = [("/selections", "sel", "w_sel")]
PUBLIC = {("GET", "/score/{}"), ("POST", "/score/{}"), ("GET", "/public/calls"), ("GET", "/public/calls/{}"),
          ("POST", "/public/calls/{}/applications")}


@pytest.fixture
def world(tree, personas, sel):
    """东县's selection in scoring, its jury part closed with one submitted scorer (and one who has not)."""
    close_call(personas.east, sel.selection)
    jury = sel.parts["jury"]
    (_, token), (waiting, _) = add_scorers(personas.east, jury, 2)
    submit(token, sel.candidates, [80, 81, 82, 83])
    w_sel = new_selection(personas.west, tree.west, title="西县公开选配")
    return {"east": tree.east.pk, "sel": sel.selection.pk, "cand": sel.candidates[0].pk, "part": jury.pk,
            "scorer": waiting.pk, "score": Score.objects.first().pk, "w_sel": w_sel.pk}


def snapshot():
    return fingerprint([*apps.get_app_config("selection").get_models(), Person, Post, AuditEntry, OneTimeToken,
                        OutboundMessage, IdempotencyKey])


@pytest.mark.parametrize("method, path, body", NOT_FOUND, ids=[f"{m} {p}" for m, p, _ in NOT_FOUND])
def test_another_county_gets_404_and_nothing_changes(personas, world, method, path, body):
    assert_refused(personas.west, method, PREFIX + fill(path, world), fill(body, world), snapshot)


@pytest.mark.parametrize("path, theirs, mine", LISTS)
def test_lists_leave_out_another_countys_records(personas, world, path, theirs, mine):
    assert_list_keeps_to_each(PREFIX + path, caller=personas.west, mine=world[mine], owner=personas.east,
                              theirs=world[theirs])


def test_every_documented_path_is_in_the_matrix(db):
    rows = [(m, p) for m, p, _ in NOT_FOUND] + [("GET", p) for p, _, _ in LISTS]
    assert_paths_covered(["selection"], rows, PUBLIC, under=PREFIX)
