"""PostgreSQL triggers that keep a table append-only (audit rows, ballots, scores).

A scoped table may still have its ancestor columns l1..l6 rewritten, and nothing else:
`org.services.federation_move` rewrites them in every scoped table when a subtree moves.
"""

ANCESTORS = "ARRAY['l1','l2','l3','l4','l5','l6']"


def function_sql(function: str, message: str) -> str:
    """A trigger function refusing UPDATE and DELETE with `message` (one `%` for the operation);
    called with the argument 'scoped', it lets an UPDATE of the ancestor columns alone through."""
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_NARGS > 0 AND TG_ARGV[0] = 'scoped'
     AND (to_jsonb(NEW) - {ANCESTORS}) IS NOT DISTINCT FROM (to_jsonb(OLD) - {ANCESTORS}) THEN
    RETURN NEW;  -- only the ancestor columns moved (a subtree move)
  END IF;
  RAISE EXCEPTION '{message}', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(table: str, function: str, *, scoped: bool) -> str:
    arg = "'scoped'" if scoped else ""
    return (f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n"
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}({arg});\n")


def drop_sql(table: str, function: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\nDROP FUNCTION IF EXISTS {function}();\n"


def follows_unit_function_sql(function: str, message: str, *, tree: str = "org_federation") -> str:
    """Like `function_sql(...)('scoped')`, but an UPDATE of l1..l6 passes only when the new columns are the
    row's unit's current ancestor columns in the federation table (the unit: the deepest non-null column,
    which a move keeps). So a row follows a real move of its unit (org.services.federation_move rewrites
    the tree first) and cannot be re-scoped anywhere else, e.g. out of a province auditor's view."""
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
DECLARE
  unit_id bigint;
  tree record;
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - {ANCESTORS}) IS NOT DISTINCT FROM (to_jsonb(OLD) - {ANCESTORS}) THEN
    unit_id := COALESCE(OLD.l6, OLD.l5, OLD.l4, OLD.l3, OLD.l2, OLD.l1);
    SELECT l1, l2, l3, l4, l5, l6 INTO tree FROM {tree} WHERE id = unit_id;
    IF unit_id IS NOT NULL AND FOUND
       AND ROW(NEW.l1, NEW.l2, NEW.l3, NEW.l4, NEW.l5, NEW.l6)
           IS NOT DISTINCT FROM ROW(tree.l1, tree.l2, tree.l3, tree.l4, tree.l5, tree.l6) THEN
      RETURN NEW;  -- the row follows its unit's move
    END IF;
    RAISE EXCEPTION '{message}: ancestor columns may only follow a move of the row''s unit', TG_OP;
  END IF;
  RAISE EXCEPTION '{message}', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
