"""Extension points so domain apps plug into shared pages without editing them.

- Home panels: `register_home_panel(order, fn)` in an AppConfig.ready(); `fn(request)` returns
  rendered HTML (a card) or "" — the home page shows them in order under the greeting.
- Demo loaders: `register_demo_loader(order, fn)`; `fn(ctx)` runs inside the demo's transaction
  after the foundation data, where `ctx` is a DemoContext (see niangjia/demo/generator.py).
- Navigation: `register_nav_item(order, label, url, perms)`; shown to users holding any of `perms`.
- CLI exports: `register_export(name, title, perm, fn)`; `niangjia export <name>` calls
  `fn(user, unit)` → (headers, rows), scoped as that user sees it (unit: a subtree or None).
- Benchmarks: `register_bench(order, name, fn)`; `niangjia bench` calls `fn(ctx)` after its own
  measurements (ctx: BenchContext in niangjia/stats/management/commands/bench.py) and appends the
  markdown lines it returns to docs/benchmarks.md as a section titled `name`.
"""

from collections.abc import Callable

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


_nav_items: list[tuple[int, str, str, tuple[str, ...]]] = []
_benches: list[tuple[int, str, Callable]] = []


def register_nav_item(order: int, label: str, url: str, perms: tuple[str, ...]) -> None:
    if all(u != url for _, _, u, _ in _nav_items):
        _nav_items.append((order, label, url, tuple(perms)))


def nav_items(has) -> list[dict]:
    """The registered items whose permissions `has(perm)` grants, in order."""
    return [{"label": label, "url": url} for _, label, url, perms in sorted(_nav_items, key=lambda i: i[0])
            if any(has(p) for p in perms)]


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
