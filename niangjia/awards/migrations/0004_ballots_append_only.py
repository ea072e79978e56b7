"""On PostgreSQL, evaluation ballots, their marks and ballot voids refuse DELETE, and UPDATE of
anything but the ancestor columns l1..l6 (a subtree move rewrites those in every scoped table).
SQLite has no triggers here: the models refuse updates instead."""

from django.db import migrations

TABLES = {"awards_ballot": True, "awards_ballotvoid": True, "awards_ballotmark": False}  # table: has l1..l6

FUNCTION = """
CREATE OR REPLACE FUNCTION awards_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_NARGS > 0 AND TG_ARGV[0] = 'scoped'
     AND (to_jsonb(NEW) - ARRAY['l1','l2','l3','l4','l5','l6'])
         IS NOT DISTINCT FROM (to_jsonb(OLD) - ARRAY['l1','l2','l3','l4','l5','l6']) THEN
    RETURN NEW;  -- only the ancestor columns moved (org.services.federation_move)
  END IF;
  RAISE EXCEPTION 'evaluation ballots are immutable (% on % refused)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, scoped in TABLES.items():
        arg = "'scoped'" if scoped else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
        schema_editor.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION awards_append_only({arg});", params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS awards_append_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_ballot_void")]
    operations = [migrations.RunPython(forwards, backwards)]
