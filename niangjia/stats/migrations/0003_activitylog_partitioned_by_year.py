"""On PostgreSQL, the activity log becomes partitioned by year on `day` (core.partitions, docs/scaling.md):
rows, indexes, foreign keys and grants carried over; the primary key becomes (id, day). SQLite: nothing."""

from django.db import migrations

from niangjia.core import partitions


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            partitions.convert(cur, "stats_activitylog", "day")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            partitions.unconvert(cur, "stats_activitylog", "day")


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_activity_national_list_indexes")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
