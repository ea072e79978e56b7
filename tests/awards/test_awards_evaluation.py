"""Women's evaluation: one ballot per person (phone check code or one-time link), retry-safe, immutable."""


import pytest
from django.db import connection

from niangjia.awards import evaluation, services
from niangjia.awards.models import AwardRound, Ballot, BallotMark, CheckCode, Nomination
from niangjia.core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from niangjia.core.sms import last_sent_to
from tests.awards.conftest import PHONE_A, PHONE_B, org_nom, public_nom, to_evaluation
from tests.checks import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlisted(tree, personas, city, rnd):
    noms = [org_nom(personas.east, rnd, tree.east, "甲"), org_nom(personas.west, rnd, tree.west, "乙"),
            org_nom(personas.east, rnd, tree.east, "丙")]
    to_evaluation(city, rnd, noms)
    return noms


def code_for(rnd, phone):
    evaluation.code_send(rnd=rnd, phone=phone)
    return last_sent_to("+86" + phone, purpose="awards.check_code").body.split("验证码是 ")[1][:6]


def test_one_ballot_per_phone(rnd, shortlisted):
    a, b, _ = shortlisted
    ballot, created = evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=code_for(rnd, PHONE_A),
                                                marks={a.pk: 1, b.pk: 1})
    assert created and ballot.voter_mask == "138****8001" and ballot.channel == "sms"
    # a second ballot by the same phone is refused, already when asking for a code
    with pytest.raises(Conflict, match="每人只能评议一次"):
        evaluation.code_send(rnd=rnd, phone=PHONE_A)
    assert Ballot.objects.count() == 1


def test_same_phone_written_differently_is_the_same_person(rnd, shortlisted):
    a, *_ = shortlisted
    evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=code_for(rnd, PHONE_A), marks={a.pk: 1})
    with pytest.raises(Conflict):
        evaluation.code_send(rnd=rnd, phone="+86 138 0013 8001")


def test_a_wrong_code_is_refused_and_writes_nothing(rnd, shortlisted):
    a, *_ = shortlisted
    code = code_for(rnd, PHONE_A)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationFailed, match="验证码不正确"):
        evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=wrong, marks={a.pk: 1})
    assert Ballot.objects.count() == 0 and CheckCode.objects.get().attempts == 1


def test_a_code_is_used_up_by_its_ballot(rnd, shortlisted):
    a, b, _ = shortlisted
    code = code_for(rnd, PHONE_A)
    evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=code, marks={a.pk: 1})
    with pytest.raises(Conflict):
        evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=code, marks={b.pk: 1})


def test_retry_with_the_same_form_key_returns_the_first_ballot(rnd, shortlisted):
    a, *_ = shortlisted
    code = code_for(rnd, PHONE_A)
    first, c1 = evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=code, marks={a.pk: 1}, form_key="fk")
    again, c2 = evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=code, marks={a.pk: 1}, form_key="fk")
    assert first.pk == again.pk and (c1, c2) == (True, False)


def test_code_requests_are_rate_limited_per_phone(rnd, shortlisted):
    for _ in range(3):
        evaluation.code_send(rnd=rnd, phone=PHONE_B)
    with pytest.raises(RateLimited, match="10 分钟"):
        evaluation.code_send(rnd=rnd, phone=PHONE_B)


def test_one_time_link_is_one_ballot(city, rnd, shortlisted):
    a, b, _ = shortlisted
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    evaluation.ballot_by_link(token=token, marks={a.pk: 1})
    with pytest.raises(Conflict, match="已经使用过"):
        evaluation.ballot_by_link(token=token, marks={b.pk: 1})
    with pytest.raises(NotFound):
        evaluation.ballot_by_link(token="made-up", marks={b.pk: 1})


def test_links_sent_by_sms(city, rnd, shortlisted):
    assert evaluation.links_issue(actor=city, rnd=rnd, phones=[PHONE_B]) == []
    assert "/p/awards/evaluate/" in last_sent_to("+86" + PHONE_B, purpose="awards.evaluate").body
    with pytest.raises(ValidationFailed, match="第 1 个手机号无效"):
        evaluation.links_issue(actor=city, rnd=rnd, phones=["12"])


def test_votes_are_capped_at_max_choices(city, rnd, shortlisted):
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    with pytest.raises(ValidationFailed, match="最多选 2 位"):
        evaluation.ballot_by_link(token=token, marks={n.pk: 1 for n in shortlisted})
    # nothing used up: the link still works for a valid ballot
    evaluation.ballot_by_link(token=token, marks={shortlisted[0].pk: 1})


def test_only_the_shortlist_can_be_marked(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east, "甲")
    other = public_nom(rnd, tree.east, "未入围")
    to_evaluation(city, rnd, [a])
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]
    with pytest.raises(ValidationFailed, match="只能评议入围人选"):
        evaluation.ballot_by_link(token=token, marks={other.pk: 1})


def test_ratings_mode(tree, personas, city, rnd):
    AwardRound.objects.filter(pk=rnd.pk).update(mode="ratings")
    rnd.refresh_from_db()
    a = org_nom(personas.east, rnd, tree.east, "甲")
    to_evaluation(city, rnd, [a])
    t1, t2 = evaluation.links_issue(actor=city, rnd=rnd, count=2)
    with pytest.raises(ValidationFailed, match="1–5"):
        evaluation.ballot_by_link(token=t1, marks={a.pk: 6})
    evaluation.ballot_by_link(token=t1, marks={a.pk: 5})
    evaluation.ballot_by_link(token=t2, marks={a.pk: 4})
    from niangjia.awards import queries

    assert queries.results(rnd)[0]["score"] == 4.5


def test_a_ballot_is_immutable(rnd, shortlisted):
    a, *_ = shortlisted
    ballot, _ = evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=code_for(rnd, PHONE_A), marks={a.pk: 1})
    ballot.voter_mask = "改"
    with pytest.raises(ValueError, match="不能修改"):
        ballot.save()
    mark = BallotMark.objects.get(ballot=ballot)
    mark.score = 5
    with pytest.raises(ValueError, match="不能修改"):
        mark.save()


def test_no_ballots_outside_the_evaluation_phase(tree, personas, city, rnd):
    a = org_nom(personas.east, rnd, tree.east)
    with pytest.raises(Conflict, match="不在群众评议阶段"):
        evaluation.code_send(rnd=rnd, phone=PHONE_A)
    services.shortlist_set(actor=city, nomination=a, on=True)
    token = evaluation.links_issue(actor=city, rnd=rnd, count=1)[0]  # handed out before evaluation opens
    with pytest.raises(Conflict, match="不在群众评议阶段"):
        evaluation.ballot_by_link(token=token, marks={a.pk: 1})
    assert Nomination.objects.get(pk=a.pk).status == "shortlisted"


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_ballots_by_one_phone_make_one(rnd, shortlisted):
    a, *_ = shortlisted
    codes = [code_for(rnd, PHONE_A)]
    results, _, errors = race(lambda n: evaluation.ballot_by_code(rnd=rnd, phone=PHONE_A, code=codes[0],
                                                                  marks={a.pk: 1}, form_key=f"k{n}"), 4)
    assert len(results) == 1 and all(isinstance(e, Conflict | ValidationFailed) for e in errors)
    assert Ballot.objects.filter(round=rnd).count() == 1
