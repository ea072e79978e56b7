"""Ballots are immutable: on PostgreSQL a trigger refuses UPDATE and DELETE of ballots, their marks
and voids (a subtree move may still rewrite l1..l6); a fraudulent ballot is voided by a new,
audited record that tallies leave out, never changed or deleted."""

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from niangjia.awards import evaluation, queries, services
from niangjia.awards.models import Ballot, BallotMark, BallotVoid
from niangjia.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from niangjia.core.models import AuditEntry
from tests.awards.conftest import org_nom, to_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(tree, personas, city, rnd):
    """Votes: 甲 2 (ballots 1 and 2), 乙 1 (ballot 3)."""
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    to_evaluation(city, rnd, [a, b])
    links = evaluation.links_issue(actor=city, rnd=rnd, count=3)
    ballots = [evaluation.ballot_by_link(token=t, marks=m)[0]
               for t, m in zip(links, [{a.pk: 1}, {a.pk: 1}, {b.pk: 1}], strict=True)]
    return a, b, ballots


def _points(rnd):
    return {t.nomination_id: t.points for t in queries.tallies(rnd)}


def test_voiding_a_ballot_adds_a_record_and_drops_it_from_the_tally(city, rnd, voted):
    a, b, ballots = voted
    assert _points(rnd) == {a.pk: 2, b.pk: 1}
    void = evaluation.ballot_void(actor=city, ballot=ballots[0], reason="同一人用两个号码投票")
    # the ballot and its mark are untouched; a void record says who, when and why
    assert Ballot.objects.count() == 3 and BallotMark.objects.count() == 3
    assert (void.ballot_id, void.voided_by, void.reason) == (ballots[0].pk, city, "同一人用两个号码投票")
    assert _points(rnd) == {a.pk: 1, b.pk: 1} and queries.ballot_count(rnd) == 2
    entry = AuditEntry.objects.get(action="awards.ballot.void")
    assert entry.detail["reason"] == "同一人用两个号码投票" and entry.actor_id == city.pk
    with pytest.raises(Conflict, match="已作废"):
        evaluation.ballot_void(actor=city, ballot=ballots[0], reason="再次")
    assert BallotVoid.objects.count() == 1


def test_void_needs_a_reason_the_manager_and_the_evaluation_phase(personas, city, rnd, voted):
    _, _, ballots = voted
    with pytest.raises(ValidationFailed):
        evaluation.ballot_void(actor=city, ballot=ballots[0], reason=" ")
    with pytest.raises(NotFound):  # a county that only takes part in the city's round
        evaluation.ballot_void(actor=personas.east, ballot=ballots[0], reason="越权")
    with pytest.raises(Forbidden):  # an executive member without awards.manage
        evaluation.ballot_void(actor=personas.village, ballot=ballots[0], reason="无权")
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    with pytest.raises(Conflict, match="只有群众评议阶段"):
        evaluation.ballot_void(actor=city, ballot=ballots[0], reason="太晚")
    assert BallotVoid.objects.count() == 0


def test_models_refuse_to_change_a_void(city, rnd, voted):
    void = evaluation.ballot_void(actor=city, ballot=voted[2][0], reason="x")
    void.reason = "改"
    with pytest.raises(ValueError):
        void.save()


def test_ballots_page_and_void_form(city, rnd, voted):
    _, _, ballots = voted
    c = Client()
    c.force_login(city)
    page = c.get(f"/awards/{rnd.pk}/ballots/").content.decode()
    assert page.count('id="ballot-') == 3 and "作废此票" in page and "评议链接" in page
    r = c.post(f"/awards/ballots/{ballots[1].pk}/void/", {"reason": "刷票"})
    assert r.status_code == 302 and BallotVoid.objects.get().ballot_id == ballots[1].pk
    page = c.get(f"/awards/{rnd.pk}/ballots/", {"voided": "1"}).content.decode()
    assert page.count('id="ballot-') == 1 and "已作废：刷票" in page
    assert c.post(f"/awards/ballots/{ballots[2].pk}/void/", {"reason": ""}).status_code == 302
    assert BallotVoid.objects.count() == 1


def test_ballots_api_and_void(personas, city, rnd, voted):
    _, _, ballots = voted
    c = Client()
    c.force_login(city)
    r = c.post(f"/api/v1/awards/ballots/{ballots[0].pk}/void", json.dumps({"reason": "冒名"}),
               content_type="application/json")
    assert r.status_code == 200 and r.json()["voided"] is True and r.json()["void_reason"] == "冒名"
    listed = c.get(f"/api/v1/awards/rounds/{rnd.pk}/ballots", {"voided": "false"}).json()
    assert [b["id"] for b in listed["items"]] == [ballots[1].pk, ballots[2].pk]
    east = Client()
    east.force_login(personas.east)
    assert east.post(f"/api/v1/awards/ballots/{ballots[1].pk}/void", json.dumps({"reason": "x"}),
                     content_type="application/json").status_code == 404
    assert east.get(f"/api/v1/awards/rounds/{rnd.pk}/ballots").status_code == 403


def test_sqlite_has_no_ballot_trigger():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'awards_%'")
        assert cur.fetchall() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
@pytest.mark.parametrize("sql", [
    "UPDATE awards_ballot SET voter_mask = 'tampered'",
    "DELETE FROM awards_ballotmark",
    "UPDATE awards_ballotmark SET score = 5",
    "DELETE FROM awards_ballot",
])
def test_postgresql_refuses_changes_to_ballots(voted, sql):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert Ballot.objects.count() == 3 and BallotMark.objects.count() == 3
    assert not Ballot.objects.filter(voter_mask="tampered").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_postgresql_lets_ballots_follow_a_real_move_of_their_unit(tree, admin_user, city, rnd, voted):
    from niangjia.org import services as org

    # given a void, and a second province
    evaluation.ballot_void(actor=city, ballot=voted[2][0], reason="x")
    other = org.federation_create(actor=admin_user, parent=tree.nation, name="乙省妇联", code="120000000000")
    # when the round's city moves under it
    org.federation_move(actor=admin_user, federation=tree.city, new_parent=other)
    # then its ballots and the void follow, and nothing else of them changed
    assert set(Ballot.objects.values_list("l2", flat=True)) == {other.pk}
    assert set(BallotVoid.objects.values_list("l2", flat=True)) == {other.pk}
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        BallotVoid.objects.update(reason="改")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
@pytest.mark.parametrize("table", ["awards_ballot", "awards_ballotvoid"])
def test_postgresql_refuses_to_rescope_a_ballot_or_void_anywhere_else(tree, city, rnd, voted, table):
    # given the ballots of the city's round and one void
    evaluation.ballot_void(actor=city, ballot=voted[2][0], reason="x")
    # when someone rewrites only their ancestor columns, to another branch or to nothing
    for sql, params in (("UPDATE {} SET l3 = %s", [tree.east.pk]), ("UPDATE {} SET l2 = NULL, l3 = NULL", [])):
        with pytest.raises(DatabaseError, match="may only follow a move"), transaction.atomic(), \
                connection.cursor() as cur:
            cur.execute(sql.format(table), params)
    # then every row is still in the city's subtree
    assert set(Ballot.objects.values_list("l3", flat=True)) == {tree.city.pk}
    assert set(BallotVoid.objects.values_list("l3", flat=True)) == {tree.city.pk}
