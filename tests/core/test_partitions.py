"""On PostgreSQL the activity log and the audit table are partitioned by year (core.partitions); the
audit stays append-only in every partition, the application role gets nothing on a partition, and the
periodic job makes next years' partitions, taking out of the DEFAULT partition any rows it caught."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from niangjia.core import audit, db_roles, partitions
from niangjia.core.models import AuditEntry
from niangjia.stats import queries as stats_queries
from niangjia.stats import services as stats
from niangjia.stats.models import ActivityLog


@audit.declare
class PartitionTestAction(audit.AuditAction):
    WRITE = "test.write"


pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="declarative partitioning: PostgreSQL")


def _partitions(table: str) -> dict[str, str]:
    with connection.cursor() as cur:
        cur.execute("""SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
                       JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass""", [table])
        return dict(cur.fetchall())


def _where(table: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_activities_and_audit_rows_land_in_their_year(tree, personas):
    # when an activity is logged (and audited)
    act = stats.activity_log(actor=personas.east, unit=tree.east, day=date(2025, 6, 1), category="visit",
                             title="走访", women_reached=3)
    entry = AuditEntry.objects.filter(action="activity.create").latest("id")
    # then each row sits in its year's partition, and reads through the table as before
    assert _where("stats_activitylog", act.pk) == "stats_activitylog_y2025"
    assert _where("core_auditentry", entry.pk) == f"core_auditentry_y{entry.at.year}"
    assert list(stats_queries.activities_for(personas.east).values_list("pk", flat=True)) == [act.pk]
    # and the tables keep their indexes (the national list's) and the audit its chain columns
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'stats_activitylog'")
        names = {r[0] for r in cur.fetchall()}
    assert {"act_l1_day", "act_day", "act_l4_day", "act_unit_day"} <= names
    assert entry.seq and entry.hash


@pytest.mark.parametrize("sql", ["UPDATE {t} SET summary = 'x' WHERE id = %s", "DELETE FROM {t} WHERE id = %s"])
@pytest.mark.parametrize("through", ["parent", "partition"])
def test_the_audit_refuses_update_and_delete_in_every_partition(tree, sql, through):
    entry = AuditEntry.objects.latest("id")
    table = "core_auditentry" if through == "parent" else f"core_auditentry_y{entry.at.year}"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql.format(t=table), [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).summary == entry.summary


def test_the_app_role_is_granted_the_tables_not_their_partitions(db):
    # given an application role as docs/operations.md makes it
    with connection.cursor() as cur:
        cur.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nj_app_test') "
                    "THEN CREATE ROLE nj_app_test LOGIN; END IF; END $$")
    statements = db_roles.grant_statements("nj_app_test")
    text = "\n".join(statements)
    # then the audit table keeps insert-and-read (plus the move's ancestor columns), and no partition is named
    assert 'GRANT SELECT, INSERT ON "core_auditentry" TO "nj_app_test"' in text
    assert "core_auditentry_y" not in text and "stats_activitylog_y" not in text
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
        cur.execute("SELECT has_table_privilege('nj_app_test', 'core_auditentry', 'DELETE'), "
                    "has_table_privilege('nj_app_test', %s, 'SELECT')",
                    [f"core_auditentry_y{date.today().year}"])
        assert cur.fetchone() == (False, False)


def test_the_job_makes_partitions_ahead_and_empties_the_default(tree, personas):
    # given an activity dated past the partitions made so far: it lands in the DEFAULT partition
    far = date.today().year + 10
    act = stats.activity_log(actor=personas.east, unit=tree.east, day=date(far, 3, 1), category="visit",
                             title="远期活动")
    assert _where("stats_activitylog", act.pk) == "stats_activitylog_default"
    # when the periodic job runs in that year
    with transaction.atomic(), connection.cursor() as cur:
        made = partitions.make_ahead(cur, today=date(far, 1, 1))
    # then the year and the next two have partitions, the row moved into its own, and nothing is lost
    assert {f"stats_activitylog_y{far + k}" for k in range(3)} <= set(made)
    assert _where("stats_activitylog", act.pk) == f"stats_activitylog_y{far}"
    assert ActivityLog.objects.filter(pk=act.pk).exists()
    # and run again it makes nothing (safe to run twice), through the command too
    call_command("partitions_ahead")
    with transaction.atomic(), connection.cursor() as cur:
        assert partitions.make_ahead(cur, today=date(far, 1, 1)) == []


def test_the_audit_chain_verifies_across_years(tree, personas):
    with transaction.atomic():
        audit.record(personas.east, PartitionTestAction.WRITE, tree.east)
    assert audit.audit_chain.verify()[0] == []
    assert set(_partitions("core_auditentry")) >= {f"core_auditentry_y{date.today().year}", "core_auditentry_default"}
