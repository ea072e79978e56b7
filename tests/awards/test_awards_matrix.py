"""Permission matrix of every API path of awards: a county cadre (西县) against a round run by another
county (东县) and its nomination, ballot and objection gets 404 and changes nothing; lists leave them
out and show her own. The last test asserts every documented path is in this matrix (or public)."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from scope_matrix import assert_list_keeps_to_each, assert_paths_covered, assert_refused, fill, fingerprint

from niangjia.awards import evaluation, services
from niangjia.core.models import AuditEntry, IdempotencyKey, OneTimeToken, OutboundMessage

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/awards"
TODAY = str(date.today())

NOT_FOUND = [
    ("POST", "/rounds", {"unit": "{east}", "name": "x", "award": "x", "nomination_ends": TODAY,
                         "evaluation_ends": TODAY}),
    ("GET", "/rounds/{rnd}", None),
    ("PATCH", "/rounds/{rnd}", {"version": 1, "name": "x"}),
    ("GET", "/rounds/{rnd}/quotas", None),
    ("POST", "/rounds/{rnd}/quotas", {"unit": "{town}", "org_quota": 1}),
    ("POST", "/rounds/{rnd}/phase", {"to": "final", "version": 1}),
    ("POST", "/rounds/{rnd}/finalize", {"version": 1}),
    ("GET", "/rounds/{rnd}/nominations", None),
    ("POST", "/rounds/{rnd}/nominations", {"unit": "{town}", "nominee_name": "x", "nominee_place": "x",
                                           "deeds": "x"}),
    ("GET", "/nominations/{nom}", None),
    ("POST", "/nominations/{nom}/consent", {"given": False}),
    ("POST", "/nominations/{nom}/consent-link", {}),
    ("POST", "/nominations/{nom}/shortlist", {"on": False}),
    ("POST", "/nominations/{nom}/withdraw", {"reason": "x"}),
    ("GET", "/rounds/{rnd}/results", None),
    ("POST", "/rounds/{rnd}/evaluation-links", {"count": 1}),
    ("GET", "/rounds/{rnd}/objections", None),
    ("GET", "/rounds/{rnd}/ballots", None),
    ("POST", "/ballots/{ballot}/void", {"reason": "x"}),
    ("POST", "/objections/{obj}/answer", {"outcome": "dismissed", "answer": "x", "version": 1}),
]
LISTS = [("/rounds", "rnd", "w_rnd")]
PUBLIC = {("GET", "/public/{}"), ("GET", "/public/{}/notice"), ("POST", "/public/{}/nominations"),
          ("POST", "/consent"), ("POST", "/public/{}/check-code"), ("POST", "/public/{}/ballots"),
          ("POST", "/public/{}/objections"), ("GET", "/public/track/{}")}


@pytest.fixture
def world(tree, personas):
    """东县 runs a round for its townships, now in its notice period with a ballot and an objection."""
    today = date.today()
    rnd = services.round_create(actor=personas.east, unit=tree.east, name="东县三八红旗手", award="三八红旗手",
                                nomination_ends=today + timedelta(days=5), evaluation_ends=today + timedelta(days=9),
                                places=1)
    nom = services.nomination_create_org(actor=personas.east, rnd=rnd, unit=tree.east_town, nominee_name="王芳",
                                         nominee_place="东村", deeds="事迹", consent_in_person=True)
    services.shortlist_set(actor=personas.east, nomination=nom, on=True)
    services.phase_advance(actor=personas.east, rnd=rnd, to="evaluation")
    token = evaluation.links_issue(actor=personas.east, rnd=rnd, count=1)[0]
    ballot, _ = evaluation.ballot_by_link(token=token, marks={nom.pk: 1})
    services.phase_advance(actor=personas.east, rnd=rnd, to="notice")
    obj, _ = services.objection_file(rnd=rnd, nomination_id=nom.pk, text="异议")
    w_rnd = services.round_create(actor=personas.west, unit=tree.west, name="西县三八红旗手", award="三八红旗手",
                                  nomination_ends=today, evaluation_ends=today)
    return {"east": tree.east.pk, "town": tree.east_town.pk, "rnd": rnd.pk, "nom": nom.pk, "ballot": ballot.pk,
            "obj": obj.pk, "w_rnd": w_rnd.pk}


def snapshot():
    return fingerprint([*apps.get_app_config("awards").get_models(), AuditEntry, OneTimeToken, OutboundMessage,
                        IdempotencyKey])


@pytest.mark.parametrize("method, path, body", NOT_FOUND, ids=[f"{m} {p}" for m, p, _ in NOT_FOUND])
def test_another_county_gets_404_and_nothing_changes(personas, world, method, path, body):
    assert_refused(personas.west, method, PREFIX + fill(path, world), fill(body, world), snapshot)


@pytest.mark.parametrize("path, theirs, mine", LISTS)
def test_lists_leave_out_another_countys_records(personas, world, path, theirs, mine):
    assert_list_keeps_to_each(PREFIX + path, caller=personas.west, mine=world[mine], owner=personas.east,
                              theirs=world[theirs])


def test_every_documented_path_is_in_the_matrix(db):
    rows = [(m, p) for m, p, _ in NOT_FOUND] + [("GET", p) for p, _, _ in LISTS]
    assert_paths_covered(["awards"], rows, PUBLIC, under=PREFIX)
