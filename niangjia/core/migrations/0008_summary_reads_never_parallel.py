"""Summary reads never take a parallel plan (issue 16).

Every dashboard above the county sums a few hundred to a few thousand rows of core_summarycount
through an index; once several metrics share the table, PostgreSQL judged it big enough for a
parallel scan of the national dashboard, which on two cores added 4-6 ms to a 3 ms answer. The
table's own storage parameter takes it out of parallel plans for every query that reads it (the
bench's floor reads the same table, so it is measured alike); nothing else changes. PostgreSQL only.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_summarycount SET (parallel_workers = 0)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_summarycount RESET (parallel_workers)")


class Migration(migrations.Migration):

    dependencies = [("core", "0007_audit_partitioned_by_year")]

    operations = [migrations.RunPython(forwards, backwards)]
