"""The rooms say what they hold (issue 12, item 5; STYLE.md habit 16), checked on the source itself.

- A room that outgrows one file becomes a package of the same name (services/, views/, api/): no
  `*_services.py`, `services_*.py`, `*_views.py`, `views_*.py` or `api_*.py` beside it in an app (public
  pages live in `views/public.py`, as no-login endpoints in `api/public.py`). core is exempt: its
  `api_params.py` and `api_schemas.py` are core's shared mechanisms for every app's API, not split rooms.
- Reads never lean on writes: no queries module imports a services module.
- A `_private` name stays in its module: no `from x import _name` from another module.
- No `import *` anywhere in niangjia/.
- An import inside a function says why on its line or the line above (a real cycle, a heavy optional
  package, apps.py before the models are ready); a run of such imports shares one comment.

Migrations are exempt from every rule: they are frozen history, hashed by scripts/migration_hashes.py and
never edited once landed.

Each rule is a small function over source text, so the negative checks at the end show it fails.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "niangjia"
SPLIT_SIBLING = re.compile(r"^(\w+_services|services_\w+|\w+_views|views_\w+|api_\w+)\.py$")


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:  # frozen history, hashed and never edited (see the docstring)
            continue
        yield path, ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)


def split_siblings(app_dir: Path) -> list[str]:
    return sorted(p.name for p in app_dir.glob("*.py") if SPLIT_SIBLING.match(p.name))


def _imported(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute name a `from ... import` reads from."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _room(module: str) -> str | None:
    """'queries' or 'services' when the module is (or is inside) that room."""
    parts = module.split(".")
    for room in ("queries", "services"):
        if room in parts[2:]:
            return room
    return None


def queries_importing_services(source: str, module: str, is_package: bool = False) -> list[str]:
    if _room(module) != "queries":
        return []
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = _imported(node, module, is_package)
            names = [base] + [f"{base}.{a.name}" for a in node.names]
            if any(_room(n) == "services" for n in names):
                out.append(f"{module}:{node.lineno}")
        elif isinstance(node, ast.Import) and any(_room(a.name) == "services" for a in node.names):
            out.append(f"{module}:{node.lineno}")
    return out


def private_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and _imported(node, module, is_package) != module:
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    out.append(f"{module}:{node.lineno} {a.name}")
    return out


def star_imports(source: str, module: str) -> list[str]:
    return [f"{module}:{n.lineno}" for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)]


def unexplained_function_imports(source: str, module: str) -> list[str]:
    lines = source.splitlines()
    tree = ast.parse(source)
    imports = sorted({n.lineno: n for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                      for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))}.items())
    explained_end = {}  # last line of an explained import -> True
    out = []
    for lineno, node in imports:
        first = lines[lineno - 1]
        above = lineno - 2
        while above >= 0 and not lines[above].strip():
            above -= 1
        ok = "#" in first or (0 <= lineno - 2 and lines[lineno - 2].strip().startswith("#")) \
            or explained_end.get(above + 1, False)
        if ok:
            explained_end[node.end_lineno] = True
        else:
            out.append(f"{module}:{lineno} {first.strip()}")
    return out


# ---------------------------------------------------------------- the rules over niangjia/


def test_no_split_siblings_beside_a_room():
    apps = [d for d in ROOT.iterdir() if (d / "apps.py").exists() and d.name != "core"]
    assert len(apps) >= 15
    found = {d.name: split_siblings(d) for d in apps if split_siblings(d)}
    assert found == {}, "make a package of the room instead (services/, views/, api/)"


def test_queries_never_import_services():
    found = [hit for path, mod in _modules()
             for hit in queries_importing_services(path.read_text(), mod, path.name == "__init__.py")]
    assert found == []


def test_no_private_name_imported_from_another_module():
    found = [hit for path, mod in _modules()
             for hit in private_imports(path.read_text(), mod, path.name == "__init__.py")]
    assert found == []


def test_no_import_star():
    found = [hit for path, mod in _modules() for hit in star_imports(path.read_text(), mod)]
    assert found == []


def test_every_import_inside_a_function_says_why():
    found = [hit for path, mod in _modules()
             for hit in unexplained_function_imports(path.read_text(), mod)]
    assert found == []


# ---------------------------------------------------------------- the checks catch what they should


def test_checks_catch_violations(tmp_path):
    (tmp_path / "views_box.py").write_text("")
    (tmp_path / "activity_services.py").write_text("")
    (tmp_path / "api_policies.py").write_text("")
    (tmp_path / "public_views.py").write_text("")
    (tmp_path / "record_views.py").write_text("")
    (tmp_path / "public_urls.py").write_text("")  # a second URL conf (the no-login pages) is not a split room
    assert split_siblings(tmp_path) == ["activity_services.py", "api_policies.py", "public_views.py",
                                        "record_views.py", "views_box.py"]

    assert queries_importing_services("from .services import x\n", "niangjia.a.queries") == ["niangjia.a.queries:1"]
    assert queries_importing_services("from . import services\n", "niangjia.a.queries") == ["niangjia.a.queries:1"]
    assert queries_importing_services("def f():\n    from niangjia.b.services.c import d\n", "niangjia.a.queries")
    assert queries_importing_services("from .services import x\n", "niangjia.a.views") == []
    assert queries_importing_services("from . import rules\n", "niangjia.a.queries") == []

    assert private_imports("from .views import _may\n", "niangjia.a.views.box") == ["niangjia.a.views.box:1 _may"]
    assert private_imports("from . import _may\n", "niangjia.a.views.box") == ["niangjia.a.views.box:1 _may"]
    assert private_imports("from .x import __version__, public\n", "niangjia.a.b") == []

    assert star_imports("from .catalogue import *\n", "niangjia.a.services") == ["niangjia.a.services:1"]

    bare = "def f():\n    from .x import y\n    return y\n"
    assert unexplained_function_imports(bare, "m") == ["m:2 from .x import y"]
    same_line = "def f():\n    from .x import y  # cycle: x imports this module\n"
    above = "def f():\n    # cycle: x imports this module\n    from .x import y\n\n    from .z import w\n"
    assert unexplained_function_imports(same_line, "m") == []
    assert unexplained_function_imports(above, "m") == []
    broken_run = "def f():\n    # heavy\n    import segno\n    x = 1\n    from .z import w\n"
    assert unexplained_function_imports(broken_run, "m") == ["m:5 from .z import w"]
