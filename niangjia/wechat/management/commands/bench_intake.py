"""`niangjia bench_intake`: intake requests per second through gunicorn, on any migrated database."""

import platform
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from niangjia.core.databases import use_database
from niangjia.wechat import bench

DEFAULT_OUTPUT = bench.ROOT / "docs" / "benchmarks-intake.md"


class Command(BaseCommand):
    help = ("Measure intake throughput (hotline API, WeChat callback in plaintext and safe mode) against "
            "/healthz through a real gunicorn, on the given database (it needs at least one federation; "
            "it adds a bench user, two bench WeChat accounts and one record per request). Writes "
            "docs/benchmarks-intake.md.")

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="", help="postgres://… or sqlite:///… (default: DATABASE_URL)")
        parser.add_argument("--seconds", type=float, default=10, help="measured seconds per endpoint (default 10)")
        parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients (default 8)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
        parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="report file (markdown)")

    def handle(self, *args, **opt):
        if opt["database_url"]:
            use_database(opt["database_url"])
        if opt["seconds"] <= 0 or opt["clients"] < 1:
            raise CommandError("--seconds and --clients must be positive")
        try:
            lines = bench.measure(seconds=opt["seconds"], clients=opt["clients"], workers=opt["workers"],
                                  threads=opt["threads"], say=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        out = Path(opt["output"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(self._head() + lines) + "\n", encoding="utf-8")
        self.stdout.write("\n".join(bench.table_only(lines)))
        self.stdout.write(self.style.SUCCESS(f"Wrote {out}"))

    @staticmethod
    def _head() -> list[str]:
        version = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SHOW server_version")
                version = f"PostgreSQL {cur.fetchone()[0]}"
        else:
            version = f"SQLite {connection.Database.sqlite_version}"
        return ["# Intake throughput", "",
                "Written by `niangjia bench_intake` (also a section of `make bench`'s docs/benchmarks.md). "
                "Intake requests per second through the real HTTP stack, with the ratio to the trivial "
                "/healthz endpoint on the same server.", "",
                f"Machine: Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
                f"{bench.cores()} cores; database {version}.", ""]
