"""`niangjia bench_partitions`: do the national dashboard and the first list page stay flat as the
partitioned activity log grows? (issue 16, part 5; `make bench-partitions`; docs/benchmarks-partitions.md)

Each size (default 10M facts over 5 years and 50M over 25: the same yearly volume, five times the
history) lives in its own database, `<database>_<size>` (niangjia_bench_partitions_10m, ..._50m),
built once with the main bench's generator (yearly partitions made first for the whole range) and
kept: a later run reuses every database whose data matches its size (`--rebuild` regenerates).
Then, in one run, it times through the platform's own code the national and a province user's
dashboard and first list page beside the hand-written floor on every size, side by side, and records
which partitions the list's plan touched and the table's size per partition. `--build-only` makes the
databases and stops (hours at 50M on 2 shared cores); `--measure-only` refuses to build and measures in
a few minutes.
"""

import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from niangjia.core import partitions

from .bench import bench_url, create_database, database_exists, drop_database, use_database

DEFAULT_DB = "niangjia_bench_partitions"
DEFAULT_SIZES = "10000000:5,50000000:25"
FACT = "stats_activitylog"


def size_label(facts: int) -> str:
    """10000000 -> '10m', 2500000 -> '2.5m', 200000 -> '200k': the suffix of a size's database."""
    if facts >= 1_000_000:
        return f"{facts / 1e6:g}m".replace(".", "_")
    return f"{facts / 1e3:g}k".replace(".", "_")


class Command(BaseCommand):
    help = "基准：分区后的工作活动表从 10M 增至 50M 条时，全国看板与列表首页是否持平（各规模一库，保留复用）。"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=DEFAULT_SIZES,
                            help=f"facts:years pairs, comma-separated (default {DEFAULT_SIZES})")
        parser.add_argument("--units", type=int, default=700_000)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--budget", type=float, default=20.0,
                            help="seconds one question may take in total before its repetitions are cut")
        parser.add_argument("--rounds", type=int, default=3,
                            help="measure every size this many times in turn, samples pooled (default 3)")
        parser.add_argument("--database", default=DEFAULT_DB,
                            help=f"prefix of the databases, one per size: <prefix>_10m, ... (default {DEFAULT_DB})")
        parser.add_argument("--output", default=None, help="default docs/benchmarks-partitions.md")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--build-only", action="store_true", help="build (or keep) every size's database, then stop")
        mode.add_argument("--measure-only", action="store_true",
                          help="measure the databases already built; refuse to build (a few minutes)")
        parser.add_argument("--rebuild", action="store_true", help="regenerate every size even when its data matches")

    def handle(self, *args, **opt):
        root = Path(settings.BASE_DIR)
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        # bench: optional and heavy, loaded only when this runs
        from bench import report

        try:
            sizes = [tuple(int(x) for x in pair.split(":")) for pair in opt["sizes"].split(",")]
        except ValueError as exc:
            raise CommandError("--sizes 形如 10000000:5,50000000:25") from exc

        def say(msg: str) -> None:
            self.stdout.write(msg)
            self.stdout.flush()

        built = {}
        for facts, years in sizes:
            url = bench_url(f"{opt['database']}_{size_label(facts)}")
            built[(facts, years)] = (url, self._ensure(url, facts, years, opt, say))
        if opt["build_only"]:
            return
        settings.DEBUG = False
        # bench: optional and heavy, loaded only when this runs
        from bench import measure

        runs = {size: {"facts": size[0], "years": size[1], "built_s": built_s, "meta": meta, "samples": {},
                       "load": [report.loadavg(), None]}
                for size, (_url, (meta, built_s)) in built.items()}
        for round_ in range(1, opt["rounds"] + 1):  # the sizes in turn, round after round: other load weighs alike
            for size, (url, _built) in built.items():
                run = runs[size]
                use_database(url)
                say(f"Round {round_}/{opt['rounds']}: {size[0]:,} facts ({urlsplit(url).path.lstrip('/')})")
                for key, variants in _measure(run["meta"], repeat=opt["repeat"], budget_s=opt["budget"],
                                              say=say).items():
                    for variant, timing in variants.items():
                        run["samples"].setdefault(key, {}).setdefault(variant, []).extend(timing.samples)
                if round_ == 1:
                    run.update(plan=_list_plan(run["meta"]), partitions=_partition_sizes(), machine=report.machine())
                run["load"][1] = report.loadavg()
                connection.close()
        for run in runs.values():
            run["timings"] = {key: {v: measure._timing(samples) for v, samples in variants.items()}
                              for key, variants in run["samples"].items()}
        output = Path(opt["output"]) if opt["output"] else root / "docs" / "benchmarks-partitions.md"
        output.write_text(_report(list(runs.values()), rounds=opt["rounds"]), encoding="utf-8")
        say(f"Wrote {output}")

    def _ensure(self, url: str, facts: int, years: int, opt: dict, say) -> tuple[dict, float]:
        """The size's database with its data, built unless it already holds exactly this size."""
        # bench: optional and heavy, loaded only when this runs
        from bench import generate

        name = urlsplit(url).path.lstrip("/")
        spec = generate.Spec(units=opt["units"], facts=facts, years=years)
        meta = None
        if database_exists(url, name) and not opt["rebuild"]:
            use_database(url)
            with connection.cursor() as cur:
                meta = generate.read_meta(cur)
            connection.close()
        if meta is not None and meta.get("key") == spec.key():
            say(f"Reusing {name}: built {meta['built_at']} in {meta['build_seconds']:.0f} s")
            return meta, meta["build_seconds"]
        if opt["measure_only"]:
            raise CommandError(f"{name} 中没有 {facts:,} 条的数据：先运行 --build-only")
        drop_database(url, name)
        create_database(url, name)
        use_database(url)
        call_command("migrate", interactive=False, verbosity=0)
        start, end = generate.date_range(years)
        with connection.cursor() as cur:
            partitions.cover_years(cur, FACT, start.year, end.year)
        say(f"Generating {spec.units:,} units and {facts:,} facts over {years} years in {name}")
        t0 = time.perf_counter()
        meta = generate.build(connection, spec, out=say)
        connection.close()
        return meta, time.perf_counter() - t0


def _measure(meta: dict, *, repeat: int, budget_s: float, say) -> dict:
    # bench: optional and heavy, loaded only when this runs
    from bench import measure

    units = measure.pick_units(meta)
    users = measure.ensure_users(units)
    window = measure.dashboard_window(meta)
    out = {}
    for key, _label, _role, level in measure.USERS[:2]:  # national, province
        calls = measure.variants_for(key, level, units[key], users[key], window)
        for question in ("list", "dashboard"):
            timed = measure.time_together({v: calls[question][v] for v in ("platform", "floor")},
                                          repeat=repeat, budget_s=budget_s)
            out[(question, key)] = {v: t for v, (t, _check) in timed.items()}
            for v, (t, _check) in timed.items():
                say(f"  {question:9} {key:8} {v:8} p50 {t.p50:8.2f} ms  p95 {t.p95:8.2f} ms (n={t.n})")
    return out


def _list_plan(meta: dict) -> str:
    """EXPLAIN ANALYZE of the national list's first page: which partitions it read."""

    # bench: optional and heavy, loaded only when this runs
    from bench import measure

    units = measure.pick_units(meta)
    users = measure.ensure_users(units)
    calls = measure.variants_for("national", 1, units["national"], users["national"], measure.dashboard_window(meta))
    return measure.explain_platform(calls["list"]["platform"])


def _partition_sizes() -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute("""SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid)
                       FROM pg_partition_tree(%s) t JOIN pg_class c ON c.oid = t.relid
                       WHERE t.isleaf ORDER BY c.relname""", [FACT])
        return cur.fetchall()


def _plan_summary(plan: str) -> str:
    """How many partitions the plan read and what planning and execution took (from EXPLAIN ANALYZE)."""
    partitions = len(set(re.findall(r" on (stats_activitylog_\w+)", plan)))
    times = dict(re.findall(r"(Planning|Execution) Time: ([0-9.]+) ms", plan))
    return (f"{partitions} partitions in the plan, planned in {times.get('Planning', '?')} ms, "
            f"run in {times.get('Execution', '?')} ms")


def _report(runs: list[dict], *, rounds: int = 1) -> str:
    m = runs[0]["machine"]
    first, last = runs[0], runs[-1]
    sizes = " against ".join(f"{r['facts'] / 1e6:g}M facts over {r['years']} years" for r in runs)
    lines = ["# Benchmarks: the partitioned activity log as it grows", "",
             f"Written by `niangjia bench_partitions` (`make bench-partitions`): {sizes}, side by side in one run.",
             "Each size has its own database (`niangjia_bench_partitions_<size>`), built once with the main bench's",
             "generator (700,000 units; the same yearly volume of facts, more years of history) into a partitioned",
             "`stats_activitylog` (one partition per year, core.partitions) and kept; "
             "`niangjia bench_partitions --measure-only` measures them again in a few minutes. The national and a",
             "province user's dashboard and first list page are timed through the platform's own code (warm; p50 / p95",
             f"in ms) beside the hand-written floor, the sizes in turn for {rounds} round(s), each size's samples pooled.",
             "", "**Goal (issue 16): the national dashboard and the first list page stay flat from 10M to 50M facts.**",
             "",
             f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram']};"
             f" PostgreSQL {m['pg']} ({m['pg_settings']}).", ""]
    for r in runs:
        lines.append(f"- {r['facts']:,} facts over {r['years']} years: built in {r['built_s']:.0f} s; "
                     f"1-minute load {r['load'][0]} → {r['load'][1]} on {m['cores']} cores while measuring; "
                     f"national list's first page: {_plan_summary(r['plan'])}.")
    ratio = f"p50 {last['facts'] / 1e6:g}M ÷ {first['facts'] / 1e6:g}M"
    lines += ["", "| question | user | " + " | ".join(f"platform {r['facts'] / 1e6:g}M" for r in runs)
              + f" | {ratio} (platform) | " + " | ".join(f"floor {r['facts'] / 1e6:g}M" for r in runs) + " |",
              "|---|---|" + "---:|" * (2 * len(runs) + 1)]
    for key in runs[0]["timings"]:
        cells = [f"{r['timings'][key]['platform'].p50:.2f} / {r['timings'][key]['platform'].p95:.2f}" for r in runs]
        cells.append(f"{last['timings'][key]['platform'].p50 / first['timings'][key]['platform'].p50:.2f}×")
        cells += [f"{r['timings'][key]['floor'].p50:.2f} / {r['timings'][key]['floor'].p95:.2f}" for r in runs]
        lines.append(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")
    lines += ["", "The platform's list pages of this time-partitioned table ask the last year first (core.pagination,",
              "`ActivityLog.partition_field`), so PostgreSQL plans only that year's partitions however long the history;",
              "the hand-written floor has no such bound and plans every partition (its time grows with the years)."]
    for r in runs:
        total = sum(size for _n, _rows, size in r["partitions"])
        lines += ["", f"## {r['facts']:,} facts: partitions ({total / 2**30:.1f} GiB with indexes)", "",
                  "| partition | rows (estimate) | size with indexes |", "|---|---:|---:|"]
        lines += [f"| `{n}` | {rows:,} | {size / 2**20:,.0f} MB |" for n, rows, size in r["partitions"]
                  if size > 256 * 1024]
        lines += ["", "National list, first page (EXPLAIN ANALYZE):", "", "```", r["plan"], "```"]
    return "\n".join(lines) + "\n"
