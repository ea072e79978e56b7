"""The ranking rule and its tie-break are stated to users: on the results page, the printable results,
the Excel sheet, the API and the public notice page; where a tie was broken, the row says by what."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from niangjia.awards import evaluation, rules, services
from niangjia.awards.rules import Tally
from tests.awards.conftest import org_nom, to_evaluation

pytestmark = pytest.mark.django_db

VOTE_RULE = "得票多者在前；票数相同时，参与评议人数多者在前；再相同时，推荐在先（推荐编号小）者在前。"


@pytest.fixture
def tied(tree, personas, city, rnd):
    """甲 and 乙 one vote each (甲 nominated first), 丙 two votes."""
    a = org_nom(personas.east, rnd, tree.east, "甲")
    b = org_nom(personas.west, rnd, tree.west, "乙")
    c = org_nom(personas.east, rnd, tree.east, "丙")
    to_evaluation(city, rnd, [a, b, c])
    links = evaluation.links_issue(actor=city, rnd=rnd, count=2)
    evaluation.ballot_by_link(token=links[0], marks={a.pk: 1, c.pk: 1})
    evaluation.ballot_by_link(token=links[1], marks={b.pk: 1, c.pk: 1})
    return a, b, c


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_rule_in_words_matches_the_rank_function():
    assert rules.rank_rule("votes") == VOTE_RULE
    assert rules.rank_rule("ratings").startswith("平均分高者在前（按精确分数比较")
    ranked = rules.rank("votes", [Tally(2, 1, 1), Tally(1, 1, 1), Tally(3, 2, 1)])
    assert [t.nomination_id for t in ranked] == [3, 1, 2]
    assert rules.tie_notes("votes", ranked) == {3: "与下一名票数相同，按“评议人数多者在前”排前",
                                                1: "与上一名票数相同，按“评议人数多者在前”排后；"
                                                   "与下一名票数相同，按“推荐在先者在前”排前",
                                                2: "与上一名票数相同，按“推荐在先者在前”排后"}


def test_tie_notes_compare_exact_means_not_the_rounded_ones():
    # 5/3 and 167/100 both show as 1.67 but are not equal: no tie, the exact mean decides
    shown_same = rules.rank("ratings", [Tally(1, 100, 167), Tally(2, 3, 5)])
    assert [t.nomination_id for t in shown_same] == [1, 2]
    assert {t.score("ratings") for t in shown_same} == {1.67} and rules.tie_notes("ratings", shown_same) == {}
    # 5/3 and 10/6 are equal: a tie, and the one more women rated goes first
    equal = rules.rank("ratings", [Tally(1, 3, 5), Tally(2, 6, 10)])
    assert [t.nomination_id for t in equal] == [2, 1]
    assert rules.tie_notes("ratings", equal) == {2: "与下一名平均分相同，按“评议人数多者在前”排前",
                                                 1: "与上一名平均分相同，按“评议人数多者在前”排后"}


def test_results_page_states_the_rule_and_the_tie(city, rnd, tied):
    html = _client(city).get(f"/awards/{rnd.pk}/results/").content.decode()
    assert f"排名规则：{VOTE_RULE}" in html
    assert "与上一名票数相同，按“推荐在先者在前”排后" in html


def test_printable_results(city, rnd, tied):
    html = _client(city).get(f"/awards/{rnd.pk}/results/print/").content.decode()
    assert f"排名规则：{VOTE_RULE}" in html and html.count('data-testid="result-row"') == 3
    assert html.index(">丙<") < html.index(">甲<") < html.index(">乙<")
    assert "data-nj-print" in html and "awards/print.js" in html and "打印人：city" in html


def test_excel_and_api_carry_the_rule(city, rnd, tied):
    c = _client(city)
    rows = list(load_workbook(io.BytesIO(c.get(f"/awards/{rnd.pk}/results/?export=xlsx").content)).active.values)
    assert rows[-1][1] == f"排名规则：{VOTE_RULE}" and rows[3][9] == "与上一名票数相同，按“推荐在先者在前”排后"
    api = c.get(f"/api/v1/awards/rounds/{rnd.pk}/results").json()
    assert api["rule"] == VOTE_RULE and [r["tie"] for r in api["results"]] == [
        "", "与下一名票数相同，按“推荐在先者在前”排前", "与上一名票数相同，按“推荐在先者在前”排后"]


def test_public_notice_states_the_rule(city, rnd, tied):
    services.phase_advance(actor=city, rnd=rnd, to="notice")
    html = Client().get(f"/p/awards/{rnd.code}/notice/").content.decode()
    assert f"评议排名规则：{VOTE_RULE}" in html
