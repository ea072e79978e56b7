"""Extension points so domain apps plug into shared pages without editing them.

- Home panels: `register_home_panel(order, fn)` in an AppConfig.ready(); `fn(request)` returns
  rendered HTML (a card) or "" — the home page shows them in order under the greeting.
- Demo loaders: `register_demo_loader(order, fn)`; `fn(ctx)` runs inside the demo's transaction
  after the foundation data, where `ctx` is a DemoContext (see niangjia/demo/generator.py).
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
