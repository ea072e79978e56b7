"""On PostgreSQL, submitted scores refuse UPDATE and DELETE at the database itself (a correction is a
new row that supersedes the old one). SQLite has no trigger here: the model refuses instead."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION selection_score_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'scores are immutable: enter a correction instead (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS selection_score_append_only ON selection_score;
CREATE TRIGGER selection_score_append_only BEFORE UPDATE OR DELETE ON selection_score
  FOR EACH ROW EXECUTE FUNCTION selection_score_append_only();
"""
REVERSE_SQL = """
DROP TRIGGER IF EXISTS selection_score_append_only ON selection_score;
DROP FUNCTION IF EXISTS selection_score_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("selection", "0001_selection_scoring_vetting_election")]
    operations = [migrations.RunPython(forwards, backwards)]
