"""Entering the notice period from the round page: the shortlist is offered in evaluation order with
the top `places` ticked, and the federation may change who goes on 公示 (within the places)."""

import re

import pytest
from django.test import Client

from niangjia.awards import evaluation
from niangjia.awards.models import AwardRound
from tests.awards.conftest import org_nom, statuses, to_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(tree, personas, city, rnd):
    """places=2; votes: 乙 2, 丙 1, 甲 0."""
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    c = org_nom(personas.east, rnd, tree.east, "丙")
    to_evaluation(city, rnd, [a, b, c])
    links = evaluation.links_issue(actor=city, rnd=rnd, count=2)
    evaluation.ballot_by_link(token=links[0], marks={b.pk: 1, c.pk: 1})
    evaluation.ballot_by_link(token=links[1], marks={b.pk: 1})
    return a, b, c


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_round_page_offers_the_ranked_shortlist_with_the_top_places_ticked(city, rnd, evaluated):
    a, b, c = evaluated
    html = _client(city).get(f"/awards/{rnd.pk}/").content.decode()
    fieldset = html.split('id="proposed-choice"')[1].split("</fieldset>")[0]
    assert fieldset.index("乙") < fieldset.index("丙") < fieldset.index("甲")
    assert f'value="{b.pk}" id="proposed-{b.pk}" checked' in fieldset
    assert f'value="{c.pk}" id="proposed-{c.pk}" checked' in fieldset
    assert f'value="{a.pk}" id="proposed-{a.pk}">' in fieldset


def test_the_federation_chooses_who_goes_on_notice(city, rnd, evaluated):
    a, b, _ = evaluated
    r = _client(city).post(f"/awards/{rnd.pk}/phase/", {"to": "notice", "version": rnd.version, "choose": "1",
                                                          "proposed": [str(b.pk), str(a.pk)]})
    assert r.status_code == 302
    assert statuses(rnd) == {"甲": "proposed", "乙": "proposed", "丙": "not_selected"}
    assert AwardRound.objects.get(pk=rnd.pk).phase == "notice"


def test_the_default_choice_is_the_top_places(city, rnd, evaluated):
    # given the round page as the federation finds it; when it is submitted unchanged
    client = _client(city)
    html = client.get(f"/awards/{rnd.pk}/").content.decode()
    ticked = re.findall(r'name="proposed" value="(\d+)" id="proposed-\d+" checked', html)
    client.post(f"/awards/{rnd.pk}/phase/", {"to": "notice", "version": rnd.version, "choose": "1",
                                             "proposed": ticked})
    # then the evaluation's top two go on 公示
    assert statuses(rnd) == {"甲": "not_selected", "乙": "proposed", "丙": "proposed"}


def test_without_a_choice_the_top_places_go_on_notice(city, rnd, evaluated):
    # the API (and a form without the choice) leaves the choice to the evaluation's ranking
    r = _client(city).post(f"/api/v1/awards/rounds/{rnd.pk}/phase", {"to": "notice", "version": AwardRound.objects.get(pk=rnd.pk).version},
                           content_type="application/json")
    assert r.status_code == 200
    assert statuses(rnd) == {"甲": "not_selected", "乙": "proposed", "丙": "proposed"}


@pytest.mark.parametrize("pick, message", [
    ("all", "拟表彰对象不能超过表彰名额 2 名"),
    ("none", "没有拟表彰对象，不能进入公示"),
])
def test_a_bad_choice_is_refused_and_nothing_changes(city, rnd, evaluated, pick, message):
    ids = [str(n.pk) for n in evaluated] if pick == "all" else []
    r = _client(city).post(f"/awards/{rnd.pk}/phase/", {"to": "notice", "version": rnd.version, "choose": "1",
                                                          "proposed": ids}, follow=True)
    assert message in r.content.decode()
    assert AwardRound.objects.get(pk=rnd.pk).phase == "evaluation"
    assert set(statuses(rnd).values()) == {"shortlisted"}
