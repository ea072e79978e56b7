"""`niangjia bench_partitions` at a tiny size: each size in a database of its own, kept, and measured again alone
(`--measure-only`) without building anything, both sizes side by side in one report."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from niangjia.stats.management.commands.bench import _conninfo, bench_url, drop_database

pytestmark = pytest.mark.pg

ROOT = Path(__file__).resolve().parent.parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "niangjia.cli", "bench_partitions", *args], cwd=ROOT,
                          env=dict(os.environ), capture_output=True, text=True, timeout=900)


def test_sizes_are_built_once_then_measured_again_alone(tmp_path):
    import psycopg

    prefix = f"niangjia_bp_test_{uuid.uuid4().hex[:8]}"
    url = bench_url(prefix)
    try:
        psycopg.connect(**_conninfo(url, "postgres"), autocommit=True).close()
    except Exception as exc:  # noqa: BLE001 - no server: nothing to measure
        pytest.skip(f"PostgreSQL is not reachable ({exc})")
    common = ["--sizes", "3000:1,6000:2", "--units", "300", "--repeat", "2", "--rounds", "1", "--budget", "2",
              "--database", prefix]
    try:
        # given nothing built, a measurement alone is refused
        refused = _run(*common, "--measure-only", "--output", str(tmp_path / "none.md"))
        assert refused.returncode != 0 and "--build-only" in refused.stderr
        # when both sizes are built, then measured again alone
        built = _run(*common, "--build-only")
        assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
        out = tmp_path / "partitions.md"
        again = _run(*common, "--measure-only", "--output", str(out))
        # then the second run reused both databases and reported both sizes side by side
        assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
        assert again.stdout.count("Reusing") == 2 and "Generating" not in again.stdout
        text = out.read_text(encoding="utf-8")
        header = next(line for line in text.splitlines() if line.startswith("| question |"))
        assert "platform 0.003M" in header and "platform 0.006M" in header and "floor 0.006M" in header
        rows = [line for line in text.splitlines() if line.startswith(("| list |", "| dashboard |"))]
        assert len(rows) == 4 and all(line.count("×") == 1 for line in rows)
        assert "partitions in the plan" in text
    finally:
        for size in ("3k", "6k"):
            drop_database(url, f"{prefix}_{size}")
