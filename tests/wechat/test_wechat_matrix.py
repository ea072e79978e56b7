"""Scope on every WeChat API path: a 东县 cadre (org.edit) against 西县's account (see tests/scope_matrix.py
and tests/cases/matrix_world.py); and every documented WeChat path is in the matrix. The callback
(/p/wechat/…) is not in the API: it answers by the account's signature (test_wechat_callback.py)."""

import pytest
from scope_matrix import Endpoint, assert_paths_covered, version_of

from tests.cases.matrix_world import build_world, run

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    Endpoint("GET", "/wechat/accounts?limit=200", "account", "list"),
    Endpoint("GET", "/wechat/accounts/{account_id}", "account", "detail"),
    Endpoint("GET", "/wechat/accounts/{account_id}/messages", "account", "detail"),
    Endpoint("POST", "/wechat/accounts", "fed", "write", body=lambda w, t: {
        "unit": t.pk, "name": "越界", "slug": "m-new", "app_id": "wx2c2769f8efd9abc2", "token": "matrixtoken",
        "mode": "plaintext"}),
    Endpoint("PATCH", "/wechat/accounts/{account_id}", "account", "write",
             body=lambda w, t: {"version": version_of(t), "name": "改名"}),
]


@pytest.fixture
def world(tree, personas, admin_user):
    return build_world(tree, personas, admin_user)


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_a_county_cadre_reaches_no_account_of_the_other_county(world, ep):
    run(world, ep)


def test_every_documented_wechat_path_is_in_the_matrix(db):
    assert_paths_covered(["wechat"], ENDPOINTS, exact_names=True)
