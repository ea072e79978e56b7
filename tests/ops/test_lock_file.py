"""requirements.lock (the offline install's pins, with hashes) follows pyproject.toml: every runtime
dependency is locked at the version pyproject pins, with at least one hash. `make lock` re-pins."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n\s+--hash=sha256:", text, re.M)}


def test_every_runtime_dependency_is_locked_at_its_pinned_version():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    locked = _locked()
    wrong = []
    for requirement in declared:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", requirement).groups()
        if locked.get(name.lower().replace("_", "-")) != version:
            wrong.append(requirement)
    assert wrong == [], "run `make lock` after changing pyproject.toml"
