import pytest

from .helpers import build_records, make_user


@pytest.fixture
def records(tree, admin_user):
    return build_records(tree, admin_user)


@pytest.fixture
def east_admin(tree):
    """A user administrator (role admin) whose scope is 东县 only."""
    return make_user("east_admin", ["admin"], [tree.east])
