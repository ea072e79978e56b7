#!/usr/bin/env python3
"""The sha256 of every landed migration, in niangjia/migration_hashes.json.

`make migration-hashes` records migrations that are not listed yet (run it after adding one);
existing entries never change, so an edit to a landed migration fails
tests/ops/test_migration_hashes.py. When an edit is intended and reviewed (e.g. freezing a
migration's code so it no longer imports live modules), accept it explicitly:
`make migration-hashes ACCEPT="niangjia/core/migrations/0002_x.py ..."` (or `--accept-all`).
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "niangjia" / "migration_hashes.json"


def migration_files() -> dict[str, str]:
    files = sorted(p for p in ROOT.glob("niangjia/*/migrations/*.py") if p.name != "__init__.py")
    return {p.relative_to(ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def load() -> dict[str, str]:
    return json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accept", nargs="*", default=[], help="re-record these edited migrations")
    parser.add_argument("--accept-all", action="store_true", help="re-record every edited migration")
    args = parser.parse_args()
    recorded, now = load(), migration_files()
    added = [f for f in now if f not in recorded]
    accepted = [f for f in now if f in recorded and recorded[f] != now[f] and (args.accept_all or f in args.accept)]
    unknown = [f for f in args.accept if f not in now]
    if unknown:
        print(f"no such migration: {', '.join(unknown)}", file=sys.stderr)
        return 2
    manifest = {f: (now[f] if f in added or f in accepted else recorded[f]) for f in now}
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    for f in added:
        print(f"recorded {f}")
    for f in accepted:
        print(f"accepted edit of {f}")
    still = [f for f in now if manifest[f] != now[f]]
    for f in still:
        print(f"EDITED (not accepted): {f}", file=sys.stderr)
    return 1 if still else 0


if __name__ == "__main__":
    sys.exit(main())
