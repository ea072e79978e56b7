"""On PostgreSQL, the audit table becomes partitioned by year on `at` (core.partitions, docs/scaling.md):
rows, indexes, the append-only trigger, the hash chain's columns and the application role's grants carried
over; the primary key becomes (id, at) and seq's unique index a plain one (the chain's head row keeps seq
unique: one writer at a time holds it). SQLite: nothing."""

from django.db import migrations

from niangjia.core import partitions


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            partitions.convert(cur, "core_auditentry", "at")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            partitions.unconvert(cur, "core_auditentry", "at")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_merge_hash_chain_and_worker_heartbeat")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
