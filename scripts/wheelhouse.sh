#!/usr/bin/env bash
# make wheelhouse: every wheel an air-gapped machine needs (docs/operations.md, "Offline install").
# The dependencies' wheels are PyPI's own files, checked against the hashes in requirements.lock,
# so the offline `pip install --require-hashes` accepts them; niangjia's own wheel is built here.
# Files already present are kept, so a rerun only fetches what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-var/wheelhouse}
pip=${PIP:-.venv/bin/pip}
mkdir -p "$dest"
"$pip" download -q --only-binary=:all: --no-deps --require-hashes -r requirements.lock -d "$dest"
rm -f "$dest"/niangjia-*.whl
"$pip" wheel -q --no-deps -w "$dest" . 2>/dev/null
cp requirements.lock "$dest/"
echo "wheelhouse: $dest ($(ls "$dest"/*.whl | wc -l) wheels)"
