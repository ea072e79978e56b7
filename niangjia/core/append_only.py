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
