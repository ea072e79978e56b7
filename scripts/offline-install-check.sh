#!/usr/bin/env bash
# CI: the offline install of docs/operations.md, exercised. Builds (or refreshes) the wheelhouse in
# ~/.cache/niangjia/wheelhouse, then installs into a fresh venv with no index at all and checks
# that the installed platform starts (version, system checks, migrate on a scratch SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
wh=${NIANGJIA_WHEELHOUSE:-$HOME/.cache/niangjia/wheelhouse}
timeout 300 bash scripts/wheelhouse.sh "$wh" 2> >(grep -v '^WARNING: Location' >&2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
# No index, no machine-wide pip configuration: only the wheelhouse.
offline=(env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null)
"${offline[@]}" "$tmp/venv/bin/pip" install -q --no-index --find-links "$wh" --require-hashes -r "$wh/requirements.lock"
"${offline[@]}" "$tmp/venv/bin/pip" install -q --no-index --find-links "$wh" --no-deps niangjia
cd "$tmp"
export DATABASE_URL="sqlite:///$tmp/offline.sqlite3" NIANGJIA_MEDIA_ROOT="$tmp/media"
mkdir -p "$tmp/media"
version=$("$tmp/venv/bin/niangjia" --version)
"$tmp/venv/bin/niangjia" check -v0
timeout 300 "$tmp/venv/bin/niangjia" migrate --noinput -v0
"$tmp/venv/bin/pip" check -q >/dev/null
echo "offline install: niangjia $version from $(ls "$wh"/*.whl | wc -l) wheels, checks pass, migrated"
