"""Scope on every needs API path: a 东县 cadre (needs.view/handle/manage) against 西县's records (see
tests/scope_matrix.py and tests/cases/matrix_world.py); and every documented needs path is in the matrix."""

import pytest
from scope_matrix import Endpoint, assert_paths_covered, version_of

from niangjia.needs.models import Need, ServiceOrder
from tests.cases.matrix_world import build_world, run

pytestmark = pytest.mark.django_db


def _v(w, t):
    return {"version": version_of(t)}


def _own_total(w, body) -> bool:
    """东县's needs and orders only (西县 has as many of each)."""
    east = w.fed["east"].pk
    return (body["total"] == Need.objects.filter(l4=east).count() < Need.objects.count()
            and body["orders"]["total"] == ServiceOrder.objects.filter(l4=east).count() == 1)


ENDPOINTS = [
    # lists leave 西县 out and show 东县's own
    Endpoint("GET", "/needs?limit=200", "need", "list"),
    Endpoint("GET", "/services?limit=200", "service", "list"),
    Endpoint("GET", "/services/providers?limit=200", "provider", "list"),
    Endpoint("GET", "/service-orders?limit=200", "order", "list"),
    Endpoint("GET", "/needs/counts", "need", "counts", counts=_own_total),
    # details and lists filtered by 西县: 404
    Endpoint("GET", "/needs/{id}", "need", "detail"),
    Endpoint("GET", "/needs/{id}/orders", "need", "detail"),
    Endpoint("GET", "/needs?unit={id}", "fed", "detail"),
    Endpoint("GET", "/needs/counts?unit={id}", "fed", "detail"),
    Endpoint("GET", "/services/{id}", "service", "detail"),
    Endpoint("GET", "/services?unit={id}", "fed", "detail"),
    Endpoint("GET", "/services/available?unit={id}", "fed", "detail"),
    Endpoint("GET", "/services/providers/{id}", "provider", "detail"),
    Endpoint("GET", "/services/providers?unit={id}", "fed", "detail"),
    Endpoint("GET", "/service-orders/{id}", "order", "detail"),
    Endpoint("GET", "/service-orders?provider={id}", "provider", "detail"),
    Endpoint("GET", "/service-orders?unit={id}", "fed", "detail"),
    # writes: 404, nothing changes
    Endpoint("POST", "/needs", "village", "write", body=lambda w, t: {
        "unit": t.pk, "category": "legal", "channel": "walk_in", "description": "越界登记"}),
    Endpoint("PATCH", "/needs/{id}", "need", "write", body=lambda w, t: {"version": version_of(t), "category": "rights"}),
    Endpoint("PATCH", "/needs/{id}", "village", "write", note="hidden unit", own=lambda w: w.need["east"].pk,
             body=lambda w, t: {"version": version_of(w.need["east"]), "unit": t.pk}),
    Endpoint("POST", "/needs/{id}/assign", "need", "write",
             body=lambda w, t: {"version": version_of(t), "assignee": w.users["cadre"].pk}),
    Endpoint("POST", "/needs/{id}/start", "need", "write", body=_v),
    Endpoint("POST", "/needs/{id}/resolve", "need", "write", body=lambda w, t: {**_v(w, t), "resolution": "x"}),
    Endpoint("POST", "/needs/{id}/refer", "need", "write", body=lambda w, t: {**_v(w, t), "target": "x"}),
    Endpoint("POST", "/needs/{id}/close", "need", "write", body=lambda w, t: {**_v(w, t), "reason": "x"}),
    Endpoint("POST", "/needs/{id}/rating", "need", "write", body=lambda w, t: {"rating": 5}),
    Endpoint("POST", "/needs/{id}/contact", "need", "write"),
    Endpoint("POST", "/services", "fed", "write", body=lambda w, t: {"unit": t.pk, "name": "越界服务", "category": "legal"}),
    Endpoint("PATCH", "/services/{id}", "service", "write", body=lambda w, t: {**_v(w, t), "name": "改名"}),
    Endpoint("POST", "/services/providers", "org", "write", body=lambda w, t: {
        "organisation": t.pk, "services": [w.service["east"].pk], "areas": [w.fed["east"].pk]}),
    Endpoint("POST", "/services/providers", "fed", "write", note="hidden area", body=lambda w, t: {
        "organisation": w.police["east"].pk, "services": [w.service["east"].pk], "areas": [t.pk]}),
    Endpoint("PATCH", "/services/providers/{id}", "provider", "write", body=lambda w, t: {**_v(w, t), "note": "改"}),
    Endpoint("POST", "/service-orders", "need", "write", body=lambda w, t: {
        "need": t.pk, "service": w.service["west"].pk, "provider": w.provider["west"].pk, **_v(w, t)}),
    Endpoint("POST", "/service-orders/{id}/accept", "order", "write", body=_v),
    Endpoint("POST", "/service-orders/{id}/deliver", "order", "write", body=lambda w, t: {**_v(w, t), "outcome": "x"}),
    Endpoint("POST", "/service-orders/{id}/decline", "order", "write", body=lambda w, t: {**_v(w, t), "reason": "x"}),
    Endpoint("POST", "/service-orders/{id}/cancel", "order", "write", body=lambda w, t: {**_v(w, t), "reason": "x"}),
    Endpoint("POST", "/service-orders/{id}/rating", "order", "write", body=lambda w, t: {"rating": 5}),
]

# No account and no scope behind them: they answer by village id or tracking code, which anyone may hold
# (tests/needs/test_needs_public_api.py shows they reveal nothing personal).
PUBLIC = {("GET", "/needs/public/villages"), ("GET", "/needs/public/villages/{village}/services"),
          ("POST", "/needs/public/needs"), ("GET", "/needs/public/track/{code}"),
          ("POST", "/needs/public/track/{code}/rating")}


@pytest.fixture
def world(tree, personas, admin_user):
    return build_world(tree, personas, admin_user)


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_a_county_cadre_reaches_nothing_of_the_other_county(world, ep):
    run(world, ep)


def test_every_documented_needs_path_is_in_the_matrix(db):
    assert_paths_covered(["needs", "services", "service-orders"], ENDPOINTS, PUBLIC, exact_names=True)
