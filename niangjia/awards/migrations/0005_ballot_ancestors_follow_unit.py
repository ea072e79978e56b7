"""On PostgreSQL, a ballot's or a void's ancestor columns l1..l6 may change only to follow a real move of
its unit (the round's federation): the new columns must be that unit's current columns in org_federation,
which org.services.federation_move rewrites first. Before, any rewrite of l1..l6 passed, so a ballot could
be re-scoped out of an auditor's view. Ballot marks keep refusing every UPDATE and DELETE. The SQL is
frozen here (the shape of core.append_only.follows_unit_function_sql, keyed on the row's own unit_id)."""

from django.db import migrations

SCOPED = ("awards_ballot", "awards_ballotvoid")

FOLLOWS_UNIT = """
CREATE OR REPLACE FUNCTION awards_ballot_follows_unit() RETURNS trigger AS $$
DECLARE
  tree record;
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - ARRAY['l1','l2','l3','l4','l5','l6'])
                          IS NOT DISTINCT FROM (to_jsonb(OLD) - ARRAY['l1','l2','l3','l4','l5','l6']) THEN
    SELECT l1, l2, l3, l4, l5, l6 INTO tree FROM org_federation WHERE id = OLD.unit_id;
    IF FOUND AND ROW(NEW.l1, NEW.l2, NEW.l3, NEW.l4, NEW.l5, NEW.l6)
                 IS NOT DISTINCT FROM ROW(tree.l1, tree.l2, tree.l3, tree.l4, tree.l5, tree.l6) THEN
      RETURN NEW;  -- the row follows its unit's move
    END IF;
    RAISE EXCEPTION 'evaluation ballots are immutable (% on % refused): ancestor columns may only follow a move of the row''s unit',
      TG_OP, TG_TABLE_NAME;
  END IF;
  RAISE EXCEPTION 'evaluation ballots are immutable (% on % refused)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str, function: str, arg: str = "") -> str:
    return (f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n"
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}({arg});\n")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLLOWS_UNIT, params=None)
    for table in SCOPED:
        schema_editor.execute(_trigger(table, "awards_ballot_follows_unit"), params=None)


def backwards(apps, schema_editor):
    """Back to 0004's triggers (any rewrite of l1..l6 alone passes)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SCOPED:
        schema_editor.execute(_trigger(table, "awards_append_only", "'scoped'"), params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS awards_ballot_follows_unit();", params=None)


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_ballots_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
