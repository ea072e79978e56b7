"""The harness every scope (permission) matrix shares.

A matrix calls every API path of some apps as a user of one place against a record she must not reach
(another county's, or her township's) and asserts:
- a detail, a list filtered by the hidden unit and every write answer 404 in the error shape
  (`assert_not_found`), and afterwards nothing has changed (`fingerprint` before and after);
- a list leaves the hidden record out and shows the caller's own, so the check is not vacuous
  (`assert_list_leaves_out`);
- every documented path of its apps is one of its rows, and every row is documented
  (`assert_paths_covered`): a new endpoint cannot go untested, and a stale row (which would 404
  for everyone and so pass) cannot stay.

Rows come in two forms: `Endpoint`s checked by `run_row` (tests/test_permission_matrix.py,
tests/duties/test_cadre_work_permission_matrix.py, tests/cases/matrix_world.py), or (method, path, body)
tuples whose "{name}" placeholders `fill` replaces by ids, checked by `assert_refused` and
`assert_list_keeps_to_each` (participation, selection, awards).

Imported as `from scope_matrix import ...` (tests/ is on sys.path); not a conftest.
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from api.helpers import error_of, ids_of
from django.test import Client

BASE = "/api/v1"


@dataclass(frozen=True)
class Endpoint:
    method: str
    url: str  # after /api/v1; its "{...}" are filled with the hidden record's id (see each matrix)
    family: str  # which records of the matrix's world the row aims at
    kind: str  # "list" (hidden left out, own shown), "detail" or "write" (404, nothing changes), "counts"
    body: Callable | None = None  # (the matrix's world, the hidden record, ...) -> the request's body
    ids: Callable = field(default=ids_of)  # the ids a list's answer shows
    persona: str = ""  # who calls, where not the matrix's usual caller(s)
    note: str = ""  # tells apart two rows with the same method and URL
    multipart: bool = False  # the body is a form (with files), not JSON
    own_shown: bool = True  # False where the caller's own record may rightly be absent from the list
    counts: Callable | None = None  # kind "counts": (world, answer) -> True when the hidden records are left out
    own: Callable | None = None  # (world) -> the id in the URL when the hidden record travels in the body

    def __str__(self) -> str:
        return " ".join(filter(None, [self.method, self.url, self.note]))


def fill(value, ids: dict):
    """'/rounds/{rnd}' with ids {'rnd': 7} is '/rounds/7'; in a body, a value that is exactly '{rnd}' is 7."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: (ids[v[1:-1]] if isinstance(v, str) and v[1:-1] in ids else v) for k, v in value.items()}
    return value


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def call(client: Client, method: str, url: str, body=None, *, multipart: bool = False):
    """`method url`: a GET sends no body; a write sends `body` (none: {}) as JSON, or as a form if `multipart`."""
    if method == "GET":
        return client.get(url)
    if multipart:
        return getattr(client, method.lower())(url, body or {})
    return getattr(client, method.lower())(url, json.dumps(body or {}), content_type="application/json")


def fingerprint(models: Iterable) -> dict:
    """Every row of these models (hidden ones too), to prove a refused request changed nothing."""
    return {m.__name__: list(m._base_manager.order_by("pk").values()) for m in models}


def version_of(obj) -> int:
    """The record's version as stored now (for a body that must pass the version check)."""
    return type(obj)._base_manager.values_list("version", flat=True).get(pk=obj.pk)


def assert_not_found(r) -> None:
    assert r.status_code == 404, (r.status_code, r.content)
    assert error_of(r)["code"] == "not_found"


def assert_list_leaves_out(r, hidden: int, own: int | None, ids: Callable = ids_of) -> None:
    """The list answers, without `hidden` and (unless `own` is None) with the caller's `own` record."""
    assert r.status_code == 200, r.content
    seen = ids(r.json())
    assert hidden not in seen
    if own is not None:
        assert own in seen, "the list does not even show the caller's own record"


def assert_refused(user, method: str, url: str, body, snapshot: Callable) -> None:
    """`user` gets 404 for `method url` and afterwards `snapshot()` is as before."""
    before = snapshot()
    assert_not_found(call(client_of(user), method, url, body))
    assert snapshot() == before


def assert_list_keeps_to_each(url: str, *, caller, mine: int, owner, theirs: int) -> None:
    """`caller`'s list shows `mine` and leaves out `theirs`, which its `owner`'s list does show."""
    assert_list_leaves_out(client_of(caller).get(url), theirs, mine)
    assert theirs in ids_of(client_of(owner).get(url).json())


def run_row(client: Client, ep: Endpoint, url: str, body, *, hidden: int, own: int | None, snapshot: Callable,
            counts: Callable | None = None) -> None:
    """Call the row `ep` (url after /api/v1), check what `client` gets by its kind, and that nothing changed.

    counts: for kind "counts", (answer) -> True when the hidden records are left out of the totals."""
    before = snapshot()
    r = call(client, ep.method, BASE + url, body, multipart=ep.multipart)
    if ep.kind == "list":
        assert_list_leaves_out(r, hidden, own if ep.own_shown else None, ep.ids)
    elif ep.kind == "counts":
        assert r.status_code == 200, r.content
        assert counts(r.json()), r.json()
    else:
        assert ep.kind in ("detail", "write"), ep.kind
        assert_not_found(r)
    assert snapshot() == before


def generic(path: str) -> str:
    """'/consultations/{c}/results' and '/consultations/{pk}/results' compare equal."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def assert_paths_covered(apps: Iterable[str], rows: Iterable, public: Iterable[tuple[str, str]] = (), *,
                         under: str = BASE, exact_names: bool = False) -> None:
    """The documented operations under /api/v1/<app>/ for these apps are exactly `rows` and `public`.

    rows: Endpoints, or (method, url after `under`); public: (method, url after `under`) left out of the
    matrix, with the reason where they are named. A query string is ignored, and so are path parameters'
    names unless `exact_names`."""
    from niangjia.api import api

    shape = (lambda p: p) if exact_names else generic
    apps = set(apps)
    documented = {(method.upper(), shape(path)) for path, ops in api.get_openapi_schema()["paths"].items()
                  if path.split("/")[3] in apps for method in ops}
    rows = [(row.method, row.url) if isinstance(row, Endpoint) else row for row in rows]
    expected = {(method, shape(under + url.split("?")[0])) for method, url in [*rows, *public]}
    assert documented == expected, sorted(documented ^ expected)
