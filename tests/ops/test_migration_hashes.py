"""A migration that has landed is never edited: its sha256 is in niangjia/migration_hashes.json
(scripts/migration_hashes.py; `make migration-hashes` records new ones, ACCEPT=... a reviewed edit)."""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `make migration-hashes` to record a new migration; an intended edit needs ACCEPT=<file>"


def _now() -> dict[str, str]:
    files = sorted(p for p in ROOT.glob("niangjia/*/migrations/*.py") if p.name != "__init__.py")
    return {p.relative_to(ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_no_landed_migration_was_edited_or_removed():
    recorded = json.loads((ROOT / "niangjia" / "migration_hashes.json").read_text())
    now = _now()
    assert [f for f in recorded if f in now and now[f] != recorded[f]] == [], FIX
    assert [f for f in recorded if f not in now] == [], "a landed migration was removed or renamed; " + FIX


def test_every_migration_is_recorded():
    recorded = json.loads((ROOT / "niangjia" / "migration_hashes.json").read_text())
    assert [f for f in _now() if f not in recorded] == [], FIX
