"""The published OpenAPI is the behaviour: one name per schema, one list envelope, JSON errors."""

import collections
import typing

from pydantic import BaseModel

from niangjia.api import api

NINJA_WRAPPERS = {"BodyParams", "QueryParams", "PathParams", "FormParams", "FileParams", "HeaderParams",
                  "CookieParams", "NinjaResponseSchema"}


def api_operations():
    """(method, path, operation) for every operation mounted on the API."""
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                for method in op.methods:
                    yield method.lower(), "/api" + (prefix + path).replace("//", "/"), op


def _models_in(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _models_in(arg, found)


def documented_models() -> set[type[BaseModel]]:
    found: set = set()
    for _method, _path, op in api_operations():
        for model in list(op.models) + list(op.response_models.values()):
            _models_in(model, found)
    return {m for m in found if m.__name__ not in NINJA_WRAPPERS}


def test_every_schema_name_names_one_class():
    # given every schema class reachable from an operation's parameters, body or answers
    by_name = collections.defaultdict(set)
    for model in documented_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    # then no two classes share a name (OpenAPI keeps one of them and documents it for both)
    assert {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1} == {}


def _schema():
    return api.get_openapi_schema()


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_every_list_answers_the_one_envelope():
    # given every GET operation of the published contract
    schema = _schema()
    bare = []
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if not op:
            continue
        ok = op["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        body = _resolve(schema, ok)
        # then none answers a bare array; the lists answer {items, next_cursor}
        if body.get("type") == "array":
            bare.append(path)
        elif "items" in body.get("properties", {}) and body["properties"]["items"].get("type") == "array":
            assert set(body["properties"]) == {"items", "next_cursor"}, path
    assert bare == []


def test_the_documented_bodies_are_the_ones_the_code_reads():
    # given the two bodies the issue found documented from another app
    schema = _schema()

    def body_of(method, path):
        op = schema["paths"][path][method]
        return _resolve(schema, op["requestBody"]["content"]["application/json"]["schema"])

    # then each documents its own fields
    assert "assignee" in body_of("post", "/api/v1/needs/{id}/assign")["properties"]
    assert "operator" not in body_of("post", "/api/v1/needs/{id}/assign")["properties"]
    assert "kind" in body_of("post", "/api/v1/cases/{case_id}/consent")["required"]


def test_a_hotline_call_path_names_its_row_id():
    # then the row id is {id}; call_id is only the telephone system's number in the intake body
    paths = [p for p in _schema()["paths"] if p.startswith("/api/v1/cases/hotline-calls/")]
    assert paths and all("{call_id}" not in p for p in paths)


def test_the_openapi_document_is_built_once_per_process(client):
    # when it is read twice
    first = client.get("/api/openapi.json")
    second = client.get("/api/openapi.json")
    # then the same document is served, and the schema object is the cached one
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first["Content-Type"].startswith("application/json")
    assert api.get_openapi_schema() is api.get_openapi_schema()


def _error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]


def test_an_unknown_api_path_answers_json_404(client, db):
    for url in ("/api/v1/no-such-thing", "/api/nothing/here", "/api/v1/needs/1/no-such-action"):
        r = client.get(url)
        assert r.status_code == 404
        assert _error_of(r)["code"] == "not_found"


def test_a_method_a_path_does_not_take_answers_json_405(client, db):
    r = client.delete("/api/v1/auth/token")
    assert r.status_code == 405
    assert _error_of(r)["code"] == "method_not_allowed"
    assert r["Allow"] == "POST"


def test_an_unhandled_error_answers_json_500_with_a_request_id_and_no_traceback(client, db, monkeypatch):
    # given an endpoint that fails inside
    from niangjia.accounts import services

    def broken(*a, **kw):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "token_user", broken)
    # when it is called
    r = client.get("/api/v1/federations", headers={"Authorization": "Bearer x"})
    # then the answer is the error shape, names the request id, and shows nothing of the failure
    assert r.status_code == 500
    error = _error_of(r)
    assert error["code"] == "server_error" and error["fields"]["request_id"] == r["X-Request-ID"]
    assert r["X-Request-ID"] in error["message"]
    assert b"secret internals" not in r.content and b"Traceback" not in r.content


def test_an_unknown_filter_answers_400_naming_it(personas):
    from .helpers import Api

    # when a list is asked for with filters it does not have
    r = Api(personas.east).get("/federations", has_hotline="true", form="x", level=4)
    # then it says which ones, and lists nothing
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"form", "has_hotline"}
    assert "has_hotline" in error["message"]
    # and the documented filters still work
    assert Api(personas.east).get("/federations", level=4).status_code == 200
