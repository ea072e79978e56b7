"""`niangjia rollup --rebuild [--metric activity]`: recompute summary rows from the fact rows."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from niangjia.core import audit
from niangjia.stats import rollup
from niangjia.stats.audit_actions import Action


class Command(BaseCommand):
    help = "Rebuild summary rows (core.SummaryCount) from fact rows, in one transaction (bulk loads, repair)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="delete and recompute the summary rows")
        parser.add_argument("--metric", action="append", choices=sorted(rollup.SOURCES),
                            help="only this metric (repeatable); default: every metric with a known source")

    def handle(self, *args, rebuild=False, metric=None, **options):
        if not rebuild:
            for name, src in sorted(rollup.SOURCES.items()):
                self.stdout.write(f"{name}: {src.model}.{src.date_field}")
            self.stdout.write("Add --rebuild to recompute these metrics from their facts.")
            return
        try:
            with transaction.atomic():
                rows = rollup.rebuild_all(metric)
                audit.record(None, Action.ROLLUP_REBUILD, None, summary="重建汇总数据", detail={"rows": rows})
        except KeyError as exc:
            raise CommandError(str(exc)) from exc
        for name, n in rows.items():
            self.stdout.write(f"{name}: {n} summary rows rebuilt")
