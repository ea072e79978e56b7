"""The API's URL resolver tries only the routes a path can match, and finds what Django's full scan finds
(issue 16: the hotline's route was the 174th of ~330 tried in order)."""

import re

import pytest
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from niangjia.core import routing
from niangjia.core.routing import IndexedResolver, could_match, head, literal_start

SAMPLE = {"int": "7", "str": "abc", "slug": "a-b", "uuid": "12345678-1234-5678-1234-567812345678", "path": "x/y"}


def _api() -> IndexedResolver:
    found = [p for p in get_resolver().url_patterns if isinstance(p, IndexedResolver)]
    assert len(found) == 1, "the API include is indexed"
    return found[0]


def _plain(indexed: IndexedResolver) -> URLResolver:
    return URLResolver(indexed.pattern, indexed.urlconf_name, indexed.default_kwargs, indexed.app_name,
                       indexed.namespace)


def _sample_path(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


def _same(a, b) -> None:
    assert (a.func, a.args, a.kwargs, a.url_name, a.route, a.namespaces, a.app_names) == \
           (b.func, b.args, b.kwargs, b.url_name, b.route, b.namespaces, b.app_names)


@pytest.mark.parametrize("path, expected", [
    ("v1/intake/hotline-calls", "v1/intake/"), ("v1/users", "v1/users"), ("v1/users/7/roles", "v1/users/"),
    ("openapi.json", "openapi.json"), ("v1/", "v1/"), ("", ""),
])
def test_head_is_the_first_two_segments(path, expected):
    assert head(path) == expected


@pytest.mark.parametrize("start, key, expected", [
    ("v1/users", "v1/users", True),          # the exact route
    ("v1/users/", "v1/users", False),        # a longer route cannot match the shorter path
    ("v1/users/", "v1/users/", True),
    ("v1/users/import", "v1/users/", True),  # the path may go on: v1/users/import
    ("v1/cases/", "v1/users/", False),
    ("v1/", "v1/users/", True),              # v1/<int:id>/…
    ("", "anything/at/all", True),           # a regex or a route starting with a converter
    ("v1/users/x", "v1/", False),            # 'v1/' is a whole path: nothing longer can match it
])
def test_could_match(start, key, expected):
    assert could_match(start, key) is expected


def test_literal_start_is_the_route_before_its_first_converter():
    api = _api()
    starts = {str(p.pattern): literal_start(p) for p in api.url_patterns}
    assert starts["v1/users/<int:id>"] == "v1/users/"
    assert starts["v1/intake/hotline-calls"] == "v1/intake/hotline-calls"


def test_every_api_route_resolves_as_a_full_scan_does():
    api = _api()
    plain = _plain(api)
    assert len(api.url_patterns) > 200
    for pattern in api.url_patterns:
        path = "api/" + _sample_path(str(pattern.pattern))
        _same(api.resolve(path), plain.resolve(path))


def test_the_hotline_route_is_found_after_trying_a_handful_not_half_the_api():
    match = resolve("/api/v1/intake/hotline-calls")
    assert match.url_name == "hotline_receive"
    assert match.route == "api/v1/intake/hotline-calls"
    assert len(match.tried) < 10  # Django's scan tried 170+


@pytest.mark.parametrize("path", ["api/v1/no-such-thing", "api/v1/users/abc", "api/v2/users", "api/v1/users/7/x",
                                  "api/v1", "api/v1/", "api/", "api/openapi.json/x"])
def test_any_other_path_gets_what_a_full_scan_gives_a_404_included(path):
    try:
        expected = _plain(_api()).resolve(path)
    except Resolver404:
        with pytest.raises(Resolver404):
            _api().resolve(path)
    else:
        _same(_api().resolve(path), expected)


def test_past_the_kept_heads_a_path_still_resolves(monkeypatch):
    api = IndexedResolver(RoutePattern("api/"), _api().urlconf_name, {}, _api().app_name, _api().namespace)
    monkeypatch.setattr(routing, "_HEADS", 1)
    for k in range(5):  # random heads fill the one place; later ones are worked out each time
        with pytest.raises(Resolver404):
            api.resolve(f"api/junk{k}/x")
    assert len(api._views) == 1
    _same(api.resolve("api/v1/intake/hotline-calls"), _plain(api).resolve("api/v1/intake/hotline-calls"))


def test_a_route_starting_with_a_converter_is_a_candidate_for_every_head():
    def view(request):
        return None

    from django.urls import path

    resolver = IndexedResolver(RoutePattern("x/"), [path("fixed/a", view, name="fixed"),
                                                    path("<slug:s>/a", view, name="any")])
    assert resolver.resolve("x/other/a").url_name == "any"
    assert resolver.resolve("x/fixed/a").url_name == "fixed"  # declared first: it wins, as in a full scan
