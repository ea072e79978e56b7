"""A new selection starts from the shipped posts preset: 3 part-time vice-chairs and 2 part-time standing
committee members (policy selection.posts, which a federation may change)."""

from niangjia.core import policies
from niangjia.selection import rules


def test_the_preset_is_three_vice_chairs_and_two_standing_members():
    assert rules.preset_posts(policies.resolve(rules.POSTS_POLICY)) == [
        {"body": "leadership", "title": "兼职副主席", "seats": 3}, {"body": "standing", "title": "兼职常委", "seats": 2}]


def test_a_federation_that_sets_no_standing_members_gets_only_vice_chairs():
    assert rules.preset_posts({"vice_chairs": 2, "standing_members": 0}) == [
        {"body": "leadership", "title": "兼职副主席", "seats": 2}]
