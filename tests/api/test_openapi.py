"""The OpenAPI document loads, lists every endpoint, and describes each in Chinese with typed schemas."""

import re

import pytest
from django.test import Client

EXPECTED = {
    ("post", "/api/v1/auth/token"), ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/federations"), ("post", "/api/v1/federations"), ("get", "/api/v1/federations/tree"),
    ("get", "/api/v1/federations/search"), ("get", "/api/v1/federations/{id}"),
    ("patch", "/api/v1/federations/{id}"), ("get", "/api/v1/federations/{id}/subtree"),
    ("post", "/api/v1/federations/{id}/deactivate"), ("post", "/api/v1/federations/{id}/activate"),
    ("get", "/api/v1/federations/{id}/composition"),
    ("get", "/api/v1/sites"), ("post", "/api/v1/sites"), ("get", "/api/v1/sites/{id}"),
    ("patch", "/api/v1/sites/{id}"), ("post", "/api/v1/sites/{id}/deactivate"), ("post", "/api/v1/sites/{id}/activate"),
    ("get", "/api/v1/organisations"), ("post", "/api/v1/organisations"), ("get", "/api/v1/organisations/{id}"),
    ("patch", "/api/v1/organisations/{id}"), ("post", "/api/v1/organisations/{id}/deactivate"),
    ("post", "/api/v1/organisations/{id}/activate"),
    ("get", "/api/v1/conversions"), ("post", "/api/v1/conversions"),
    ("get", "/api/v1/regionalisations"), ("post", "/api/v1/regionalisations"),
    ("get", "/api/v1/persons"), ("post", "/api/v1/persons"), ("get", "/api/v1/persons/{id}"),
    ("patch", "/api/v1/persons/{id}"), ("post", "/api/v1/persons/{id}/reveal"), ("get", "/api/v1/persons/duplicates"),
    ("post", "/api/v1/persons/merge"), ("post", "/api/v1/persons/{id}/deactivate"),
    ("post", "/api/v1/persons/{id}/activate"),
    ("get", "/api/v1/posts"), ("post", "/api/v1/posts"), ("get", "/api/v1/posts/{id}"), ("patch", "/api/v1/posts/{id}"),
    ("post", "/api/v1/posts/{id}/end"),
    ("get", "/api/v1/users"), ("post", "/api/v1/users"), ("get", "/api/v1/users/{id}"), ("patch", "/api/v1/users/{id}"),
    ("post", "/api/v1/users/{id}/disable"), ("post", "/api/v1/users/{id}/enable"), ("post", "/api/v1/users/{id}/unlock"),
    ("post", "/api/v1/users/{id}/password"), ("get", "/api/v1/roles"), ("get", "/api/v1/audit"),
    ("get", "/api/v1/stats/activities/summary"), ("get", "/api/v1/stats/activities"), ("post", "/api/v1/stats/activities"),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def schema(db):
    r = Client().get("/api/openapi.json")
    assert r.status_code == 200
    return r.json()


def _operations(schema):
    return {(method, path): op for path, ops in schema["paths"].items() for method, op in ops.items()}


def test_every_endpoint_is_documented(schema):
    assert schema["openapi"].startswith("3.")
    assert EXPECTED <= set(_operations(schema))


def test_every_operation_has_a_chinese_summary_and_a_typed_success_response(schema):
    for key, op in _operations(schema).items():
        if key not in EXPECTED:
            continue  # other apps' endpoints are theirs to describe
        assert CJK.search(op.get("summary", "")), key
        ok = next(code for code in op["responses"] if code.startswith("2"))
        assert "schema" in op["responses"][ok]["content"]["application/json"], key


def test_lists_document_their_page_shape_and_refusals(schema):
    op = _operations(schema)[("get", "/api/v1/persons")]
    params = {p["name"] for p in op["parameters"]}
    assert {"q", "unit", "tag", "body", "active", "limit", "cursor"} <= params
    page = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"items", "next_cursor"}
    assert {"401", "403", "404"} <= set(op["responses"])
    patch = _operations(schema)[("patch", "/api/v1/persons/{id}")]
    assert "409" in patch["responses"]


def test_error_shape_is_a_schema(schema):
    error = schema["components"]["schemas"]["ErrorBody"]
    assert set(error["properties"]) == {"code", "message", "fields"}
