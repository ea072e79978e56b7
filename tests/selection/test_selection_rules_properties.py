"""Generated (hypothesis) checks of the scoring rules where edge cases hide: the trimmed mean with 1
and 2 scorers (nothing is dropped, whatever the trim minimum), and the tie-break order — generated
ties resolve by the stated rule step by step, the order does not depend on the input order, and it
is a total order (every pair compared the same way, ranks 1..n distinct)."""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from niangjia.selection import rules

T0 = datetime(2026, 3, 1, 9, 0)
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
W = {"project": 40, "expert": 30, "jury": 30}  # expert and jury weigh the same: swapping them ties the total
ORDERS = [["jury", "expert", "project", "applied"], ["expert", "jury", "project", "applied"],
          ["project", "jury", "expert", "applied"], ["jury", "project", "expert", "applied"]]


# ---------------------------------------------------------------- the trimmed mean with 1 and 2 scorers


@given(st.lists(scores, min_size=1, max_size=2), st.integers(3, 50))
def test_trimmed_with_one_or_two_scorers_drops_nothing(values, trim_min):
    r = rules.part_result(values, "trimmed", trim_min)
    plain = rules.part_result(values, "mean", trim_min)
    assert not r.trimmed and r.dropped == () and r.kept == tuple(values)
    assert r.mean == plain.mean == sum(Fraction(v) for v in values) / len(values)
    assert min(values) <= r.mean <= max(values)
    assert r.note == f"仅 {len(values)} 个评分，未去掉最高最低分，取算术平均"


@given(scores)
def test_one_scorer_is_her_score(value):
    for method in rules.METHODS:
        assert rules.part_result([value], method).mean == Fraction(value)


@given(scores, scores)
def test_two_scorers_is_their_midpoint_in_any_order(a, b):
    assert rules.part_result([a, b], "trimmed").mean == rules.part_result([b, a], "trimmed").mean \
        == (Fraction(a) + Fraction(b)) / 2


@given(st.lists(scores, min_size=3, max_size=3))
def test_three_scorers_keep_the_middle_score(values):
    r = rules.part_result(values, "trimmed")
    assert r.trimmed and r.kept == (sorted(values)[1],) and r.mean == Fraction(sorted(values)[1])


# ---------------------------------------------------------------- tie-break order


def _precedes(a: rules.Entry, b: rules.Entry, steps: list[str]) -> bool:
    """The stated rule, written out independently: higher total first; then, step by step, the higher
    part mean (an unscored part counts lowest) or the earlier application; finally the lower id."""
    ta, tb = rules.weighted_total(a.means, W), rules.weighted_total(b.means, W)
    if ta != tb:
        return ta > tb
    for step in steps:
        if step == "applied":
            if a.applied_at != b.applied_at:
                return a.applied_at < b.applied_at
            continue
        ma, mb = a.means.get(step), b.means.get(step)
        ma, mb = (Fraction(-1) if ma is None else ma), (Fraction(-1) if mb is None else mb)
        if ma != mb:
            return ma > mb
    return a.candidate_id < b.candidate_id


@st.composite
def tied_field(draw):
    """Candidates built to tie: each base triple also enters with expert and jury swapped (same total
    under W), some twice with identical scores (tie down to the application time), some applying in
    the same minute (tie down to the id); a few parts left unscored."""
    base = draw(st.lists(st.tuples(scores, scores, scores), min_size=1, max_size=5))
    triples = []
    for p, e, j in base:
        triples += [(p, e, j), (p, j, e)] + ([(p, e, j)] if draw(st.booleans()) else [])
    minutes = draw(st.lists(st.integers(0, 3), min_size=len(triples), max_size=len(triples)))
    unscored = draw(st.sets(st.integers(0, len(triples) - 1), max_size=2))
    out = []
    for i, ((p, e, j), m) in enumerate(zip(triples, minutes, strict=True)):
        means = {"project": Fraction(p), "expert": Fraction(e), "jury": Fraction(j)}
        if i in unscored:
            means["project"] = None
        out.append(rules.Entry(i + 1, T0 + timedelta(minutes=m), means))
    return out


@given(tied_field(), st.sampled_from(ORDERS))
def test_generated_ties_resolve_by_the_stated_rule(entries, steps):
    ranked = rules.rank(entries, W, steps)
    by_id = {e.candidate_id: e for e in entries}
    order = [by_id[r.candidate_id] for r in ranked]
    # every earlier-ranked candidate precedes every later one under the stated rule (a total order)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            assert _precedes(a, b, steps) and not _precedes(b, a, steps)
    assert [r.rank for r in ranked] == list(range(1, len(entries) + 1))


@given(tied_field(), st.sampled_from(ORDERS), st.randoms(use_true_random=False))
def test_the_order_does_not_depend_on_the_input_order(entries, steps, rnd: random.Random):
    first = [r.candidate_id for r in rules.rank(entries, W, steps)]
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert [r.candidate_id for r in rules.rank(shuffled, W, steps)] == first


@given(tied_field(), st.sampled_from(ORDERS))
def test_each_tie_names_the_step_that_separated_the_pair(entries, steps):
    ranked = rules.rank(entries, W, steps)
    by_id = {e.candidate_id: e for e in entries}
    for above, below in zip(ranked, ranked[1:], strict=False):
        if above.total != below.total:
            assert all(t[0] != below.candidate_id for t in above.ties)
            continue
        step = next(t[1] for t in above.ties if t[0] == below.candidate_id and t[2] == "ahead")
        assert (above.candidate_id, step, "behind") in below.ties
        a, b = by_id[above.candidate_id], by_id[below.candidate_id]
        earlier = steps[:steps.index(step)]
        # every step before the named one could not separate them; the named one could (or ids did)
        for s in earlier:
            same = a.applied_at == b.applied_at if s == "applied" else a.means.get(s) == b.means.get(s)
            assert same, (s, step)


def test_a_worked_tie_example_reads_like_the_rule():
    # equal totals 77: 甲 (80, 80, 70) and 乙 (80, 70, 80); jury first → 乙 ahead
    a = rules.Entry(1, T0, {"project": Fraction(80), "expert": Fraction(80), "jury": Fraction(70)})
    b = rules.Entry(2, T0 + timedelta(minutes=5), {"project": Fraction(80), "expert": Fraction(70),
                                                    "jury": Fraction(80)})
    ranked = rules.rank([a, b], W, ORDERS[0])
    assert [r.candidate_id for r in ranked] == [2, 1] and ranked[0].total == Decimal(77)
