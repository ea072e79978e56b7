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


# Writes on an existing record (a path with {…}) that name no version, each with why it needs none.
CHILD = "adds a new child record; the parent is not changed"
READ = "an audited read of sealed values (POST so the values never sit in a URL); changes nothing"
PUBLIC = "public (no login): a woman's own one-time code or link, idempotent on her submission key"
ONCE = "takes effect once: a conditional UPDATE (… WHERE not yet done), a second answers 409/400"
GUARDED = "status-guarded under a row lock or a conditional UPDATE: of parallel requests one applies"
SET = "sets an absolute state that does not depend on what the caller read (a repeat changes nothing)"
NO_VERSION = {
    ("post", "/api/v1/federations/{id}/quotas"): "adds a dated quota row (one per unit and day, a second is refused); "
                                                 "the unit's current quota follows the row in force today",
    ("post", "/api/v1/awards/ballots/{id}/void"): GUARDED,
    ("post", "/api/v1/awards/nominations/{id}/consent"): SET,
    ("post", "/api/v1/awards/nominations/{id}/consent-link"): SET,
    ("post", "/api/v1/awards/nominations/{id}/shortlist"): GUARDED,
    ("post", "/api/v1/awards/nominations/{id}/withdraw"): GUARDED,
    ("post", "/api/v1/awards/public/{code}/ballots"): PUBLIC,
    ("post", "/api/v1/awards/public/{code}/check-code"): PUBLIC,
    ("post", "/api/v1/awards/public/{code}/nominations"): PUBLIC,
    ("post", "/api/v1/awards/public/{code}/objections"): PUBLIC,
    ("post", "/api/v1/awards/rounds/{id}/evaluation-links"): CHILD,
    ("post", "/api/v1/awards/rounds/{id}/nominations"): CHILD,
    ("post", "/api/v1/awards/rounds/{id}/quotas"): SET,
    ("post", "/api/v1/cases/hotline-calls/{id}/reveal"): READ,
    ("post", "/api/v1/cases/{case_id}/approvals"): CHILD,
    ("post", "/api/v1/cases/{case_id}/consent"): CHILD,
    ("post", "/api/v1/cases/{case_id}/follow-ups"): CHILD,
    ("post", "/api/v1/cases/{case_id}/override"): CHILD,
    ("post", "/api/v1/cases/{case_id}/referrals"): CHILD,
    ("post", "/api/v1/contacts/plans/{id}/targets"): CHILD,
    ("post", "/api/v1/contacts/targets/{id}/events"): CHILD,
    ("post", "/api/v1/contacts/targets/{id}/reveal"): READ,
    ("post", "/api/v1/duties/assignments/{id}/evidence"): CHILD,
    ("post", "/api/v1/duties/templates/{id}/items"): CHILD,
    ("post", "/api/v1/fieldwork/diaries/{pk}/needs"): CHILD,
    ("post", "/api/v1/needs/public/track/{code}/rating"): PUBLIC,
    ("post", "/api/v1/needs/{id}/contact"): READ,
    ("post", "/api/v1/needs/{id}/rating"): ONCE,
    ("post", "/api/v1/participation/activities/{pk}/co-designers"): CHILD,
    ("delete", "/api/v1/participation/activities/{pk}/co-designers/{did}"): SET,
    ("post", "/api/v1/participation/activities/{pk}/registrations"): CHILD,
    ("post", "/api/v1/participation/answers/{pk}/idea"): ONCE,
    ("post", "/api/v1/participation/answers/{pk}/need"): ONCE,
    ("post", "/api/v1/participation/consultations/{pk}/links"): CHILD,
    ("post", "/api/v1/participation/consultations/{pk}/questions"): CHILD,
    ("post", "/api/v1/participation/consultations/{pk}/responses"): CHILD,
    ("post", "/api/v1/participation/public/activities/{pk}/registrations"): PUBLIC,
    ("post", "/api/v1/participation/public/consultations/{pk}/check-code"): PUBLIC,
    ("post", "/api/v1/participation/public/consultations/{pk}/responses"): PUBLIC,
    ("post", "/api/v1/participation/public/registrations/{code}/cancel"): PUBLIC,
    ("post", "/api/v1/participation/public/registrations/{code}/rating"): PUBLIC,
    ("post", "/api/v1/participation/registrations/{pk}/attendance"): GUARDED,
    ("post", "/api/v1/participation/registrations/{pk}/cancel"): GUARDED,
    ("post", "/api/v1/participation/responses/{pk}/correct"): GUARDED,
    ("post", "/api/v1/participation/responses/{pk}/void"): GUARDED,
    ("post", "/api/v1/participation/suggestions/{pk}/need"): ONCE,
    ("post", "/api/v1/persons/{id}/reveal"): READ,
    ("post", "/api/v1/reform/measures/{pk}/entries"): CHILD,
    ("post", "/api/v1/reports/forms/{pk}/submissions"): CHILD,
    ("post", "/api/v1/selection/parts/{id}/scorers"): CHILD,
    ("post", "/api/v1/selection/public/calls/{id}/applications"): PUBLIC,
    ("post", "/api/v1/selection/score/{token}"): PUBLIC,
    ("post", "/api/v1/selection/scorers/{id}/reissue"): SET,
    ("post", "/api/v1/selection/scores/{id}/correct"): GUARDED,
    ("post", "/api/v1/selection/selections/{id}/candidates"): CHILD,
    ("post", "/api/v1/service-orders/{id}/rating"): ONCE,
    ("post", "/api/v1/users/{id}/disable"): SET,
    ("post", "/api/v1/users/{id}/enable"): SET,
    ("post", "/api/v1/users/{id}/unlock"): SET,
    ("post", "/api/v1/users/{id}/password"): SET,
}
WRITES = ("post", "put", "patch", "delete")


def _write_operations(schema):
    """(method, path, body schema or {}, {query parameter: required}) of every write operation."""
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method not in WRITES:
                continue
            content = op.get("requestBody", {}).get("content", {})
            body = _resolve(schema, next(iter(content.values()))["schema"]) if content else {}
            query = {p["name"]: p.get("required", False) for p in op.get("parameters", []) if p["in"] == "query"}
            yield method, path, body, query


def test_no_write_body_takes_its_version_as_optional():
    # given every write body of the published contract
    optional = []
    for method, path, body, _query in _write_operations(_schema()):
        required = set(body.get("required", []))
        # then a version it carries (version, need_version…) is required: a missing one answers 400, never a blind write
        optional += [f"{method.upper()} {path}: {name}" for name in body.get("properties", {})
                     if (name == "version" or name.endswith("_version")) and name not in required]
    assert optional == []


def test_every_write_to_an_existing_record_requires_its_version_or_says_why_not():
    # given every write on a path naming an existing record
    unversioned, seen = [], set()
    for method, path, body, query in _write_operations(_schema()):
        if "{" not in path:
            continue
        seen.add((method, path))
        required = set(body.get("required", []))
        names_version = any(n == "version" or n.endswith("_version") for n in required) or query.get("version")
        # then it requires the version the caller read, or it is listed above with the reason it needs none
        if not names_version and (method, path) not in NO_VERSION:
            unversioned.append(f"{method.upper()} {path}")
    assert unversioned == []
    # and the list names only operations that exist and need no version
    assert set(NO_VERSION) <= seen
    versioned = {(m, p) for m, p, b, q in _write_operations(_schema()) if "version" in b.get("required", [])}
    assert set(NO_VERSION) & versioned == set()
