"""On PostgreSQL, the audit table refuses UPDATE, DELETE and TRUNCATE at the database itself."""

from django.db import migrations

from niangjia.core.audit import PG_APPEND_ONLY_REVERSE_SQL, PG_APPEND_ONLY_SQL


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_APPEND_ONLY_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_APPEND_ONLY_REVERSE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
