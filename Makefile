# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-sqlite test-pg bench bench-partitions lint demo install clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: migrate an SQLite database, load the demo federation (only if empty), serve on :8000
run: $(STAMP)
	mkdir -p var
	$(BIN)/niangjia migrate --noinput -v0
	$(BIN)/niangjia demo --if-empty
	$(BIN)/niangjia runserver 127.0.0.1:8000 --noreload

## make test: the whole suite on SQLite (and on PostgreSQL when DATABASE_URL points to one)
test: $(STAMP)
	bash scripts/ensure-chromium.sh
	$(BIN)/pytest -n 2 --dist loadfile

test-sqlite: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile

test-pg: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest -n 2 --dist loadfile

## make bench: national-size benchmark on PostgreSQL; writes docs/benchmarks.md
bench: $(STAMP)
	$(BIN)/niangjia bench

## make bench-partitions: the partitioned activity log at 10M and 50M facts, side by side (docs/benchmarks-partitions.md; databases kept: add --measure-only to re-measure)
bench-partitions: $(STAMP)
	$(BIN)/niangjia bench_partitions

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --config .importlinter

clean:
	rm -rf $(VENV) var

# ---------------------------------------------------------------- operations (docs/operations.md)
.PHONY: lock wheelhouse offline-check migration-hashes stack-test
WHEELHOUSE ?= var/wheelhouse

## make lock: pin every runtime dependency with its hashes in requirements.lock (after editing pyproject.toml)
lock: $(STAMP)
	$(BIN)/pip install -q pip-tools==7.7.0
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

## make wheelhouse: every wheel for an offline install into $(WHEELHOUSE)
wheelhouse: $(STAMP)
	bash scripts/wheelhouse.sh $(WHEELHOUSE)

## make offline-check: install from the wheelhouse (cached in ~/.cache/niangjia) with no index, as CI does
offline-check: $(STAMP)
	bash scripts/offline-install-check.sh

## make migration-hashes: record new migrations in niangjia/migration_hashes.json (ACCEPT="file ..." for a reviewed edit)
migration-hashes:
	$(PY) scripts/migration_hashes.py $(if $(ACCEPT),--accept $(ACCEPT))

## make stack-test: nginx + TLS + gunicorn + PostgreSQL + worker on loopback (scripts/stack-test.sh)
stack-test: $(STAMP)
	bash scripts/stack-test.sh
