#!/usr/bin/env python3
"""The sha256 of every landed migration, in niangjia/migration_hashes.json.

`make migration-hashes` records migrations that are not listed yet (run it after adding one);
existing entries never change, so an edit to a landed migration fails
tests/ops/test_migration_hashes.py. When an edit is intended and reviewed (e.g. freezing a
migration's code so it no longer imports live modules), accept it explicitly:
`make migration-hashes ACCEPT="niangjia/core/migrations/0002_x.py ..."` (or `--accept-all`); a
removed or renamed migration is dropped from the manifest the same way.
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
    parser.add_argument("--accept", nargs="*", default=[], help="re-record these edited (or drop these removed) migrations")
    parser.add_argument("--accept-all", action="store_true", help="re-record every edited and drop every removed migration")
    args = parser.parse_args()
    recorded, now = load(), migration_files()
    unknown = [f for f in args.accept if f not in now and f not in recorded]
    if unknown:
        print(f"no such migration: {', '.join(unknown)}", file=sys.stderr)
        return 2
    accepted = set(args.accept) | (set(now) | set(recorded) if args.accept_all else set())
    manifest = {}
    for f in sorted(set(now) | set(recorded)):
        if f not in recorded:
            manifest[f] = now[f]
            print(f"recorded {f}")
        elif f not in now:
            if f in accepted:
                print(f"dropped removed {f}")
            else:
                manifest[f] = recorded[f]
                print(f"REMOVED (not accepted): {f}", file=sys.stderr)
        elif recorded[f] != now[f] and f in accepted:
            manifest[f] = now[f]
            print(f"accepted edit of {f}")
        else:
            manifest[f] = recorded[f]
            if recorded[f] != now[f]:
                print(f"EDITED (not accepted): {f}", file=sys.stderr)
    MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return 0 if all(now.get(f) == h for f, h in manifest.items()) and set(manifest) == set(now) else 1


if __name__ == "__main__":
    sys.exit(main())
