"""URL resolution that tries only the routes a path can match (issue 16).

Django tries an include's patterns in order until one matches. The API is one flat include of ~330 routes,
so a call to a late route (the hotline's is the 174th) ran ~170 failing matches, and recorded each in the
match's `tried` list twice over. `indexed()` turns such an include into a resolver that, for each path,
tries only the patterns whose literal start (the route before its first converter) the path begins with,
in their declared order. A route can only match a path that begins with its literal start, so the first
match, the view, its arguments, the route and the names are exactly what Django's full scan finds; only
the `tried` list of a 404 is shorter (it names the routes that could have matched).

The candidates are kept per path head (its first two segments); a head's list is a superset of those of
every path it begins. At most `_HEADS` heads are kept, so random paths cannot grow it without bound (past
that, a head's candidates are worked out for each request).
"""

import copy

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern

_HEADS = 2_000


def literal_start(pattern) -> str:
    """The text every path a pattern can match begins with: a route's text before its first converter; ''
    for anything else (a regex, a nested include with a regex), which every path may match."""
    p = getattr(pattern, "pattern", None)
    if isinstance(p, RoutePattern):
        return str(p._route).split("<", 1)[0]
    return ""


def head(path: str) -> str:
    """The path up to and including its second '/' (all of it when it has fewer)."""
    first = path.find("/")
    if first < 0:
        return path
    second = path.find("/", first + 1)
    return path if second < 0 else path[: second + 1]


def could_match(start: str, key: str) -> bool:
    """A pattern starting `start` may match some path whose head is `key`."""
    if key.startswith(start):
        return True
    # a longer literal start can only be met by a path that goes on past a full two-segment head
    return key.endswith("/") and key.count("/") == 2 and start.startswith(key)


class IndexedResolver(URLResolver):
    """A URLResolver that resolves against the candidates of the path's head: a copy of itself whose
    `url_patterns` are those candidates, so the matching itself is Django's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._views: dict[str, URLResolver] = {}  # two threads may build one head's view: either copy serves

    def resolve(self, path):
        match = self.pattern.match(str(path))
        if not match:
            return super().resolve(path)  # Django's own 404 for a path outside this include
        return URLResolver.resolve(self._view(head(match[0])), path)

    def _view(self, key: str) -> URLResolver:
        view = self._views.get(key)
        if view is not None:
            return view
        patterns = self.url_patterns
        candidates = [p for p in patterns if could_match(literal_start(p), key)]
        view = copy.copy(self)
        view.__dict__["url_patterns"] = candidates  # url_patterns is a cached_property: the copy's own list
        view.__class__ = URLResolver  # the copy resolves as Django's resolver does, over the candidates
        if len(self._views) < _HEADS:
            self._views[key] = view
        return view


def indexed(resolver: URLResolver) -> IndexedResolver:
    """`path("api/", api.urls)` made an IndexedResolver (same pattern, patterns, names and namespace)."""
    return IndexedResolver(resolver.pattern, resolver.urlconf_name, resolver.default_kwargs,
                           resolver.app_name, resolver.namespace)
