"""`niangjia bench` at a tiny size: it builds its own PostgreSQL database, measures, reports, drops it."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from niangjia.stats.management.commands.bench import _conninfo, bench_url, drop_database

pytestmark = pytest.mark.pg

ROOT = Path(__file__).resolve().parent.parent
USERS = ("national (全国)", "province (省)", "county (县)", "village (村)")


def _postgres_or_skip(url: str) -> None:
    import psycopg

    try:
        psycopg.connect(**_conninfo(url, "postgres"), autocommit=True).close()
    except Exception as exc:
        pytest.skip(f"PostgreSQL is not reachable at {url.rsplit('/', 1)[0]} ({exc}); the benchmark needs it")


def _rows(text: str, heading: str) -> dict[str, list[str]]:
    """The table rows under a heading, by first cell."""
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and cells[0] in USERS:
            rows[cells[0]] = cells
    return rows


def _p50_p95(cell: str) -> tuple[float, float]:
    p50, p95 = (float(x.replace(",", "")) for x in cell.split(" / "))
    return p50, p95


def test_bench_at_a_tiny_size_writes_a_complete_plausible_report(tmp_path):
    # given a reachable PostgreSQL server and a database name nobody else uses
    name = f"niangjia_bench_smoke_{uuid.uuid4().hex[:8]}"
    _postgres_or_skip(bench_url(name))
    output = tmp_path / "benchmarks.md"

    try:
        _a_tiny_bench_then_one_section_again(name, output)
    finally:
        drop_database(bench_url(name), name)


def _a_tiny_bench_then_one_section_again(name: str, output: Path) -> None:
    # when the benchmark runs at a tiny size and keeps its database
    done = subprocess.run(
        [sys.executable, "-m", "niangjia.cli", "bench", "--units", "800", "--facts", "30000", "--repeat", "3",
         "--budget", "2", "--database", name, "--keep", "--output", str(output)],
        # with the intake section (gunicorn and wrk, ~1 minute more) and a 2,000-row persons import
        cwd=ROOT, env={**os.environ, "NIANGJIA_BENCH_IMPORT_ROWS": "2000"}, capture_output=True, text=True, timeout=600,
    )

    # then it succeeded and the report has every section, user and variant
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = output.read_text(encoding="utf-8")
    # the persons import ran as its own section: every row written with its audit row, the chain intact
    section = text.split("## Persons import", 1)[1].split("\n## ", 1)[0]
    row = next((line for line in section.splitlines() if line.startswith("| 2,000 |")), None)
    assert row is not None, section[:1500]
    cells = [c.strip() for c in row.strip("|").split("|")]
    # one audit row per person and post, and the job's upload and commit
    assert cells[9] == "2,000" and cells[11] == f"{2000 + 667 + 2:,}" and cells[12].startswith("intact"), row
    for heading in ("## Machine and run", "## Sizes", "## Question 1", "## Question 2", "## Goals",
                    "## Hand-written SQL"):
        assert heading in text
    assert "PostgreSQL 1" in text and "cores" in text
    assert "| **total** | **8" in text or "| **total** | **7" in text  # about 800 units
    assert "**30,000**" in text  # fact rows
    assert re.search(r"Summary rows .*\*\*[1-9][\d,]*\*\*", text)
    for level in ("1 national", "2 province", "3 city", "4 county", "5 township", "6 village"):
        assert f"| {level} |" in text

    lists, dashboards = _rows(text, "## Question 1"), _rows(text, "## Question 2")
    assert set(lists) == set(USERS) and set(dashboards) == set(USERS)
    for cells in lists.values():  # user, platform, floor, naive, ratios, n, agree
        for cell in cells[1:4]:
            p50, p95 = _p50_p95(cell)
            assert 0 < p50 <= p95 < 60_000
        assert cells[-1] == "yes"
    for cells in dashboards.values():  # user, platform, floor, raw, naive, ratios, n, agree
        for cell in cells[1:5]:
            p50, p95 = _p50_p95(cell)
            assert 0 < p50 <= p95 < 60_000
        assert cells[-1] == "yes"
    assert "same totals): **yes**" in text

    goals = [line for line in text.split("## Goals", 1)[1].split("\n## ", 1)[0].splitlines() if line.startswith("| ") and "goal |" not in line]
    assert len(goals) == 18  # issue 16's figures: 2 dashboard p95, 8 within-the-floor, 4 naive, 4 list p95
    assert all(line.rstrip().endswith(("| PASS |", "| **FAIL** |")) for line in goals)

    # and the cadre-work section (duties/bench.py, via core.extensions.register_bench) times the duty-progress
    # and field-days dashboards for a national, a provincial and a city reach, from summary rows
    cadre = text.split("## Cadre work dashboards", 1)[1].split("\n## ", 1)[0]
    timed = [[c.strip() for c in line.strip().strip("|").split("|")] for line in cadre.splitlines()
             if line.startswith("| duty progress |") or line.startswith("| field days by month |")]
    assert [(c[0], c[1].split()[0]) for c in timed] == [
        (dash, reach) for dash in ("duty progress", "field days by month") for reach in ("national", "province", "city")]
    for cells in timed:
        p50, p95 = float(cells[2]), float(cells[3])
        assert 0 < p50 <= p95 < 60_000
    assert all("from summary" in c[4] for c in timed[:3])
    assert all(int(c[4].split(" members")[0].replace(",", "")) > 0 for c in timed[:3])
    assert all("12 months" in c[4] for c in timed[3:])
    assert re.search(r"\d[\d,]* duty-progress rows", cadre) and re.search(r"\d[\d,]* field-day rows", cadre)

    # and the figures section (stats/bench.py) times the overview at three reaches and the by-child tables
    figs = text.split("## Figures overview", 1)[1].split("\n## ", 1)[0]
    timed = [[c.strip() for c in line.strip().strip("|").split("|")] for line in figs.splitlines()
             if line.startswith(("| overview |", "| by child"))]
    assert [(c[0].split(" (")[0], c[1].split()[0]) for c in timed] == [
        ("overview", "national"), ("overview", "province"), ("overview", "city"), ("by child", "national"),
        ("by child", "province")]
    for cells in timed:
        assert 0 < float(cells[2]) <= float(cells[3]) < 60_000
    assert int(timed[0][4].split(" metrics")[0]) >= 3  # activity plus the seeded duty and field-day rows

    # and the intake section (wechat/intake_load.py) drives every door and its floor with wrk, when installed
    intake = text.split("## Intake at 50 clients against its floor", 1)[1].split("\n## ", 1)[0]
    if "wrk` is not installed" not in intake:
        rows = {line.split("|")[1].strip(): line for line in intake.splitlines() if line.startswith("| ")}
        assert "POST /bench/floor (one durable INSERT)" in rows and "POST /api/v1/intake/hotline-calls" in rows
        assert "| 1 + 0 = 1 |" in rows["POST /api/v1/intake/hotline-calls"]  # key, call, audit: one statement

    # and one section measured again (`--only`) replaces just that section, on the kept data, then drops it
    title = "## Figures overview (各项工作汇总)\n"
    before, rest = text.split(title, 1)
    after = rest.partition("\n## ")[2]  # the sections that follow it ('' when it is the last)
    output.write_text(before + title + "\nOLD FIGURES\n" + ("\n## " + after if after else ""), encoding="utf-8")
    again = subprocess.run(
        [sys.executable, "-m", "niangjia.cli", "bench", "--units", "800", "--facts", "30000", "--repeat", "3",
         "--budget", "2", "--database", name, "--drop", "--only", "Figures overview", "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "Reusing data built" in again.stdout + again.stderr
    redone_before, redone_rest = output.read_text(encoding="utf-8").split(title, 1)
    section, _, redone_after = redone_rest.partition("\n## ")
    assert "OLD FIGURES" not in section and "| overview |" in section
    assert (redone_before, redone_after) == (before, after)  # every other section as it was measured

    # and the benchmark database is gone
    import psycopg

    with psycopg.connect(**_conninfo(bench_url(name), "postgres"), autocommit=True) as conn:
        assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None


def test_bench_on_a_real_tree_imports_it_and_reports_its_load_goals(tmp_path):
    # given small division-code files and a database name nobody else uses
    from tests.org.divisionfiles import YEAR_2023, write_npm

    name = f"niangjia_bench_smoke_{uuid.uuid4().hex[:8]}"
    _postgres_or_skip(bench_url(name))
    files = write_npm(tmp_path / "codes", YEAR_2023)
    output = tmp_path / "benchmarks-real-tree.md"
    (tmp_path / "benchmarks.json").write_text('{"list": {"national": [1.5, 2.0]}}', encoding="utf-8")

    # when the benchmark runs on the real tree
    done = subprocess.run(
        [sys.executable, "-m", "niangjia.cli", "bench", "--tree", "real", "--tree-files", str(files), "--facts",
         "3000", "--repeat", "2", "--budget", "2", "--database", name, "--drop", "--no-sections", "--output",
         str(output)],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=180,
    )

    # then the imported tree was measured, its load goals reported beside the synthetic figures
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = output.read_text(encoding="utf-8")
    assert "| **total** | **13** |" in text
    assert re.search(r"\| real tree \(13 units\) loads in under 10 minutes \| [\d,]+ s \| PASS \|", text)
    assert re.search(r"\| real tree load: peak memory under 1 GB \| [\d,]+ MB \| PASS \|", text)
    assert re.search(r"\| list, national \| [\d.]+ / [\d.]+ ms \| 1.5 / 2.0 ms \|", text)
    assert (tmp_path / "benchmarks-real-tree.json").exists()
