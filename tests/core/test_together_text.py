"""core.together.Statement puts a claimed record's id into text (an audit row's target, summary or detail) as
the database draws it: the token becomes the id, anything else stays the text it was."""

from niangjia.core import together
from niangjia.core.models import IdempotencyKey


def _statement_with_two_claims():
    st = together.Statement()
    return st, st.claim("test.a", "k1", IdempotencyKey), st.claim("test.b", "k2", IdempotencyKey)


def test_plain_text_is_one_parameter():
    st, *_ = _statement_with_two_claims()
    params = []
    assert st._text("来电登记", params) == "%s" and params == ["来电登记"]


def test_each_token_becomes_its_id_and_the_text_around_it_stays():
    st, a, b = _statement_with_two_claims()
    params = []
    sql = st._text(f'{{"record": "needs.Need:{b.token}", "message": {a.token}}}', params)
    assert sql == "(%s || g.id1::text || %s || g.id0::text || %s)"
    assert params == ['{"record": "needs.Need:', '", "message": ', "}"]


def test_a_text_that_is_only_a_token_is_only_the_id():
    st, a, _ = _statement_with_two_claims()
    params = []
    assert st._text(a.token, params) == "(g.id0::text)" and params == []


def test_a_look_alike_of_another_statement_or_an_unclaimed_number_stays_text():
    st, a, _ = _statement_with_two_claims()
    other = together.Statement()
    foreign = other.claim("test.c", "k3", IdempotencyKey).token
    unclaimed = f"\ue000{st.tag}7\ue000"
    params = []
    text = f"{foreign} {unclaimed} {a.token}"
    assert st._text(text, params) == "(%s || g.id0::text)"
    assert params == [f"{foreign} {unclaimed} "]
