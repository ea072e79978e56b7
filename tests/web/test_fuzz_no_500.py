"""No 500 from input: out-of-range and malformed values sent to every API operation (walking the published
OpenAPI) and to every HTML page and form (walking the URL patterns) answer a refusal, never a 5xx.

The values are the ones that broke the system before: a NUL byte, a 20-digit id, years 10000 and -1,
dates 0001-01-01 and 9999-12-31, `version=abc`, a number where text belongs and text where a number does.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from niangjia.api import api

pytestmark = pytest.mark.django_db

BAD_QUERY = ["a\x00b", "abc", "-1", "99999999999999999999", "10000", "0001-01-01"]
BAD_BODY = ["a\x00b", "abc", "9999-12-31", 10**20, -1, 10000, None, [], {}]
SKIP_WEB = ("django-admin/", "api/", "i18n/", "static/", "logout", "password")


def _login(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _operations():
    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield schema, path, method, op


def _body_fields(schema, op) -> list[str]:
    content = op.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema")
    if not body:
        return []
    while "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    return list(body.get("properties", {}))


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _call(client, method, url, body=None, query=None):
    if method == "get":
        return client.get(url, query or {})
    return getattr(client, method)(url, json.dumps(body if body is not None else {}), content_type="application/json")


def test_no_api_operation_answers_5xx_to_malformed_values(tree, personas, admin_user, settings):
    # given an administrator and a record of each kind
    from tests.api.helpers import build_records

    build_records(tree, admin_user)
    client = _login(admin_user)
    failures, sent = [], 0
    # when every operation gets out-of-range ids in its path, and bad values in each query parameter and body field
    for schema, path, method, op in _operations():
        for path_value in ("1", "99999999999999999999", "-1", "0"):
            url = _fill(path, path_value)
            attempts = [(None, None)]
            for param in op.get("parameters", []) if path_value == "1" else []:
                if param["in"] == "query":
                    attempts += [(None, {param["name"]: v}) for v in BAD_QUERY]
            if path_value == "1":
                for field in _body_fields(schema, op):
                    attempts += [({field: v}, None) for v in BAD_BODY]
            for body, query in attempts:
                sent += 1
                r = _call(client, method, url, body, query)
                if r.status_code >= 500:
                    failures.append(f"{method.upper()} {url} body={body!r} query={query!r} → {r.status_code}")
    # then none answered 5xx
    print(f"API fuzz: {sent} requests")
    assert failures == []


def _web_routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _web_routes(p.url_patterns, prefix + route)
        elif isinstance(p, URLPattern):
            yield prefix + route


def _web_url(route: str, value: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None
    url = re.sub(r"<int:[^>]+>", value, route)
    url = re.sub(r"<(?:str|slug|path|uuid):?[^>]*>", "abc", url)
    url = re.sub(r"<[^>]+>", "abc", url)
    return "/" + url


def _form_fields(html: str) -> set[str]:
    names = set()
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, flags=re.S | re.I):
        names.update(re.findall(r"name=\"([^\"]+)\"", form))
    return names - {"csrfmiddlewaretoken"}


def test_no_page_or_form_answers_5xx_to_malformed_values(tree, personas, admin_user, settings):
    # given an administrator and a record of each kind
    from tests.api.helpers import build_records

    build_records(tree, admin_user)
    client = _login(admin_user)
    failures, sent = [], 0
    # when every page is opened with real and impossible ids, and each of its forms is posted garbage
    for route in sorted(set(_web_routes())):
        if any(skip in route for skip in SKIP_WEB):
            continue
        for value in ("1", "99999999999999999999"):
            url = _web_url(route, value)
            if url is None:
                continue
            sent += 1
            page = client.get(url, {"year": "10000", "page": "abc", "unit": "99999999999999999999"})
            if page.status_code >= 500:
                failures.append(f"GET {url} → {page.status_code}")
            if value != "1":
                continue
            page = client.get(url)
            fields = _form_fields(page.content.decode(errors="replace")) if page.status_code == 200 and not page.streaming else set()
            for bad in ("abc", "-1", "99999999999999999999", "0001-01-01", "a\x00b"):
                sent += 1
                r = client.post(url, {name: bad for name in fields | {"version"}})
                if r.status_code >= 500:
                    failures.append(f"POST {url} {bad!r} → {r.status_code}")
    # then none answered 5xx
    print(f"web fuzz: {sent} requests")
    assert failures == []


def test_the_thanks_page_of_a_made_up_consultation_is_404(db):
    # found by the page fuzz: a draft or made-up consultation's thanks page was a 500
    client = Client(raise_request_exception=False)
    assert client.get("/p/participation/c/99999/thanks/").status_code == 404
    assert client.post("/p/participation/c/99999/thanks/", {"version": "abc"}).status_code == 404
