"""`niangjia partitions_ahead`: make next years' partitions of the partitioned fact tables (daily; safe to
run twice). Runs as the tables' owner (`niangjia-env --owner`): only the owner may add a partition."""

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niangjia.core import partitions
from niangjia.core.i18n import TranslatedCommand


class Command(TranslatedCommand):
    help = (gettext_lazy("为按年分区的大表（工作活动、审计日志）预建今后几年的分区。"
            " Make this year's and the next years' partitions of the activity log and the audit table."))

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=partitions.YEARS_AHEAD,
                            help=f"years ahead of this one (default {partitions.YEARS_AHEAD})")

    def handle(self, *args, years: int, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(_("SQLite：不分区 / no partitions on SQLite"))
            return
        with transaction.atomic(), connection.cursor() as cur:
            made = partitions.make_ahead(cur, years=years)
        self.stdout.write((_("已建分区 / made: ") + ", ".join(made)) if made else _("分区已齐 / partitions in place"))
