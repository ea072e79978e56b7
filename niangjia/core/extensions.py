"""Extension points so domain apps plug into shared pages without editing them.

- Home panels: `register_home_panel(order, fn)` in an AppConfig.ready(); `fn(request)` returns
  rendered HTML (a card) or "" — the home page shows them in order under the greeting.
- Home dashboard: `register_home_dashboard(fn)`; `home_dashboard(user)` merges the dicts each
  `fn(user)` returns into the home page's context (stats: the reach's counts and the year's chart).
- Demo loaders: `register_demo_loader(order, fn)`; `fn(ctx)` runs inside the demo's transaction
  after the foundation data, where `ctx` is a DemoContext (see niangjia/demo/generator.py).
- Navigation: `register_nav_item(order, label, url, perms, more=False)`; shown to users holding any of
  `perms` (every user when empty); `label` is a lazy `pgettext_lazy("nav", …)` (short words that fit the bar); `more=True` puts a
  less-used module under 更多 when the user has more items than fit one row (`nav_rows`).
- CLI exports: `register_export(name, title, perm, fn)`; `niangjia export <name>` calls
  `fn(user, unit)` → (headers, rows), scoped as that user sees it (unit: a subtree or None).
- Units by code: `register_unit_finder(fn)` (org); `find_unit(user, code)` → the federation with that
  code inside the user's reach, or None (core's commands take a unit code without importing org).
- Federation page: `register_unit_context(fn)`; `unit_context(user, unit)` merges the dicts each
  `fn(user, unit)` returns into the federation page's context (people: its posts by body and the
  composition report), so org's page shows them without importing the app above it.
- Intake doors: `register_intake(name, fn)`; `intake(name)` → the function that files what a woman
  sent through another app's door (participation's "suggestion" for wechat), without the door's
  app importing its peer.
- Works: `register_work(key, label, model, list_for, perms)` (fieldwork: reports, proposals, diaries);
  `works()` → {key: Work}: what a duty checklist may link to, without duties importing fieldwork.
  `register_work_filed(fn)`; `work_filed(**kw)` tells the listeners (duties: evidence on her
  checklist) that a work was filed, in the filer's transaction, and returns the first answer.
- Benchmarks: `register_bench(order, name, fn)`; `niangjia bench` calls `fn(ctx)` after its own
  measurements (ctx: BenchContext in niangjia/stats/management/commands/bench.py) and appends the
  markdown lines it returns to docs/benchmarks.md as a section titled `name`.
"""

from collections.abc import Callable
from dataclasses import dataclass

_home_panels: list[tuple[int, Callable]] = []
_demo_loaders: list[tuple[int, str, Callable]] = []


def register_home_panel(order: int, fn: Callable) -> None:
    if all(f is not fn for _, f in _home_panels):
        _home_panels.append((order, fn))


def home_panels(request) -> list[str]:
    return [html for _, fn in sorted(_home_panels, key=lambda p: p[0]) if (html := fn(request))]


def register_demo_loader(order: int, name: str, fn: Callable) -> None:
    if all(n != name for _, n, _ in _demo_loaders):
        _demo_loaders.append((order, name, fn))


def demo_loaders() -> list[tuple[str, Callable]]:
    return [(name, fn) for _, name, fn in sorted(_demo_loaders, key=lambda p: p[0])]


_nav_items: list[tuple[int, str, str, tuple[str, ...], bool]] = []
# how many entries fit one row of the desktop navbar at 1024 px in either language (tests/browser checks it)
NAV_ROW_MAX = 8
_benches: list[tuple[int, str, Callable]] = []


def register_nav_item(order: int, label, url: str, perms: tuple[str, ...], *, more: bool = False) -> None:
    if all(i[2] != url for i in _nav_items):
        _nav_items.append((order, label, url, tuple(perms), more))


def nav_items(has) -> list[dict]:
    """The registered items whose permissions `has(perm)` grants, in order; labels as text of the active language."""
    return [{"label": str(label), "url": url, "more": more}
            for _, label, url, perms, more in sorted(_nav_items, key=lambda i: i[0])
            if not perms or any(has(p) for p in perms)]


def nav_rows(has) -> tuple[list[dict], list[dict]]:
    """(the bar's items, the items under 更多): all on the bar when they fit one row, else the less-used ones
    (registered with more=True) go under 更多."""
    items = nav_items(has)
    if len(items) <= NAV_ROW_MAX:
        return items, []
    return [i for i in items if not i["more"]], [i for i in items if i["more"]]


def register_bench(order: int, name: str, fn: Callable) -> None:
    if all(n != name for _, n, _ in _benches):
        _benches.append((order, name, fn))


def benches() -> list[tuple[str, Callable]]:
    return [(name, fn) for _, name, fn in sorted(_benches, key=lambda b: b[0])]


_exports: dict[str, tuple[str, str, Callable]] = {}


def register_export(name: str, title: str, perm: str, fn: Callable) -> None:
    """A list `niangjia export <name>` can write; `fn(user, unit)` returns (headers, rows)."""
    _exports.setdefault(name, (title, perm, fn))


def exports() -> dict[str, tuple[str, str, Callable]]:
    return dict(_exports)


_unit_finders: list[Callable] = []


def register_unit_finder(fn: Callable) -> None:
    if fn not in _unit_finders:
        _unit_finders.append(fn)


def find_unit(user, code: str):
    """The unit with `code` inside `user`'s reach (None when missing, out of reach or no finder)."""
    for fn in _unit_finders:
        if (unit := fn(user, code)) is not None:
            return unit
    return None


_unit_lookup: dict[str, Callable] = {}


def register_unit_lookup(*, get: Callable, roots: Callable) -> None:
    """org's `get(user, pk)` (a unit inside the user's reach, else NotFound) and `roots(user)` (her top
    units), so core.web.unit_of can read a page's unit filter without core importing org."""
    _unit_lookup.update(get=get, roots=roots)


def unit_lookup() -> dict[str, Callable]:
    return _unit_lookup


@dataclass(frozen=True)
class Work:
    """A kind of work another app may link to: `list_for(user, person=, start=, end=)` is a queryset of
    that person's works the user may see; `perms`: any of them lets the user list them."""

    key: str
    label: str
    model: type
    list_for: Callable
    perms: tuple[str, ...]


_works: dict[str, Work] = {}
_work_filed: list[Callable] = []


def register_work(key: str, label: str, model: type, list_for: Callable, perms: tuple[str, ...]) -> None:
    _works.setdefault(key, Work(key, label, model, list_for, tuple(perms)))


def works() -> dict[str, Work]:
    return dict(_works)


def register_work_filed(fn: Callable) -> None:
    if fn not in _work_filed:
        _work_filed.append(fn)


def work_filed(**kw):
    """Tell every listener that a work was filed; the first answer that is not None (or None)."""
    for fn in _work_filed:
        if (answer := fn(**kw)) is not None:
            return answer
    return None


_unit_contexts: list[Callable] = []


def register_unit_context(fn: Callable) -> None:
    if fn not in _unit_contexts:
        _unit_contexts.append(fn)


def unit_context(user, unit) -> dict:
    out: dict = {}
    for fn in _unit_contexts:
        out.update(fn(user, unit))
    return out


_intakes: dict[str, Callable] = {}


def register_intake(name: str, fn: Callable) -> None:
    _intakes.setdefault(name, fn)


def intake(name: str) -> Callable:
    """The registered intake `name` (KeyError when no installed app offers it)."""
    return _intakes[name]


_home_dashboards: list[Callable] = []


def register_home_dashboard(fn: Callable) -> None:
    if fn not in _home_dashboards:
        _home_dashboards.append(fn)


def home_dashboard(user) -> dict:
    out: dict = {}
    for fn in _home_dashboards:
        out.update(fn(user))
    return out
