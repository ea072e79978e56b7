"""Generated (hypothesis) checks of the awards ranking and its stated tie-break: votes (or the exact
mean rating), then more ballots, then the earlier nomination — the same order whatever the input
order, and a total order."""

import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from niangjia.awards import rules
from niangjia.awards.rules import Tally


@st.composite
def tallies(draw, mode):
    """Up to 12 nominees with few distinct figures, so ties on votes/means and on ballots are common."""
    ids = draw(st.lists(st.integers(1, 500), min_size=1, max_size=12, unique=True))
    out = []
    for i in ids:
        ballots = draw(st.integers(0, 4))
        points = ballots if mode == rules.VOTES else draw(st.integers(ballots, 5 * ballots)) if ballots else 0
        out.append(Tally(i, ballots, points))
    return out


def _precedes(mode, a: Tally, b: Tally) -> bool:
    """The stated rule, written out: more votes (or a higher mean, compared exactly), then more
    ballots, then the earlier nomination (lower id)."""
    if mode == rules.VOTES:
        ka, kb = a.points, b.points
    else:
        ka = Fraction(a.points, a.ballots) if a.ballots else Fraction(0)
        kb = Fraction(b.points, b.ballots) if b.ballots else Fraction(0)
    if ka != kb:
        return ka > kb
    if a.ballots != b.ballots:
        return a.ballots > b.ballots
    return a.nomination_id < b.nomination_id


@given(st.sampled_from([rules.VOTES, rules.RATINGS]).flatmap(lambda m: st.tuples(st.just(m), tallies(m))))
def test_ranking_follows_the_stated_rule_as_a_total_order(case):
    mode, ts = case
    ranked = rules.rank(mode, ts)
    assert sorted(t.nomination_id for t in ranked) == sorted(t.nomination_id for t in ts)
    for i, a in enumerate(ranked):
        for b in ranked[i + 1:]:
            assert _precedes(mode, a, b) and not _precedes(mode, b, a)


@given(st.sampled_from([rules.VOTES, rules.RATINGS]).flatmap(lambda m: st.tuples(st.just(m), tallies(m))),
       st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_the_input_order(case, rnd: random.Random):
    mode, ts = case
    shuffled = list(ts)
    rnd.shuffle(shuffled)
    assert [t.nomination_id for t in rules.rank(mode, shuffled)] == [t.nomination_id for t in rules.rank(mode, ts)]


@given(st.integers(1, 5), st.integers(1, 5))
def test_equal_means_from_different_counts_go_to_more_ballots(k, m):
    # a mean of 4 from k ballots and from k + m ballots: the one more women rated ranks first
    few, many = Tally(1, k, 4 * k), Tally(2, k + m, 4 * (k + m))
    assert [t.nomination_id for t in rules.rank(rules.RATINGS, [few, many])] == [2, 1]
