"""On PostgreSQL, the audit trigger lets a subtree move rewrite the ancestor columns (l1..l6) of
audit rows, and still refuses every other UPDATE and every DELETE. Databases migrated before
this refused the move (org.services.federation_move) outright."""

from django.db import migrations

from niangjia.core.audit import PG_APPEND_ONLY_SQL

BEFORE = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
  FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_APPEND_ONLY_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BEFORE, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_outboundmessage_onetimetoken_ratecounter_and_more")]
    operations = [migrations.RunPython(forwards, backwards)]
