#!/usr/bin/env bash
# make stack-test: the documented deployment on loopback (tests/ops/test_deployment.py): the database
# roles, then nginx (TLS) → gunicorn (2 workers) → PostgreSQL as the app role, and the task worker.
# CI runs the same file inside `make test-pg`; this runs it alone. Needs PostgreSQL and nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-nginx.sh
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
exec timeout 600 .venv/bin/pytest tests/ops/test_deployment.py -n 0 -q
