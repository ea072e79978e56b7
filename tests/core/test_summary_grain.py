"""Which reaches the city-grain summary rows can answer for (core.summaries.covers)."""

import pytest

from niangjia.core.scope import Reach, Subtree
from niangjia.core.summaries import GRAIN_LEVEL, covers


@pytest.mark.parametrize(("reach", "group_level", "answer"), [
    (Reach(unrestricted=True), 0, True),
    (Reach((Subtree(2, 1),)), 0, True),
    (Reach((Subtree(3, 1),)), 0, True),  # a city: the last level the rows keep
    (Reach((Subtree(4, 1),)), 0, False),  # a county reads facts
    (Reach((Subtree(3, 1), Subtree(4, 2))), 0, False),  # one county among the subtrees is enough to refuse
    (Reach((Subtree(2, 1),)), 3, True),  # a province split by cities
    (Reach((Subtree(3, 1),)), 4, False),  # a city split by counties needs facts
    (Reach(unrestricted=True), 4, False),
])
def test_covers(reach, group_level, answer):
    assert covers(reach, group_level) is answer
    assert GRAIN_LEVEL == 3
