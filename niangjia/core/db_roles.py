"""The privileges of the application's PostgreSQL role (docs/operations.md, "Database roles").

Tables belong to a migration role (the owner); the web, the worker and the periodic jobs
connect as an application role that owns nothing. Without ownership it cannot ALTER TABLE
(so cannot disable a trigger), without superuser it cannot SET session_replication_role,
and these grants give it no TRUNCATE anywhere. Append-only tables (those with an
`<table>_append_only` trigger: the audit, ballots, scores) get SELECT and INSERT only, plus
UPDATE of the ancestor columns l1..l6 that a subtree move rewrites (the trigger lets that
alone through). django_migrations is read-only (readiness checks read it). Partitions (core.partitions)
get nothing: the role reaches their rows through the partitioned table, under its grants.

`niangjia grant_app_role ROLE` runs `grant_statements` as the owner after every migrate.
"""

from django.db import connection, transaction
from django.utils.translation import gettext

APPEND_ONLY_TABLES_SQL = """
SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND t.tgname = c.relname || '_append_only' AND NOT t.tgisinternal
"""
TABLES_SQL = """
SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname
"""
ANCESTORS = ("l1", "l2", "l3", "l4", "l5", "l6")
READ_ONLY = {"django_migrations"}


class RoleRefused(Exception):
    pass


def _fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _columns(table: str) -> set[str]:
    rows = _fetch("SELECT column_name FROM information_schema.columns "
                  "WHERE table_schema = current_schema() AND table_name = %s", [table])
    return {r[0] for r in rows}


def check_role(role: str) -> None:
    """Refuse a role that exists not, is a superuser, or owns (or inherits from the owner of) a table."""
    found = _fetch("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    if not found:
        raise RoleRefused(gettext("角色 {role} 不存在：先按 docs/operations.md 创建").format(role=role))
    if found[0][0] or found[0][1]:
        raise RoleRefused(gettext("角色 {role} 是超级用户或可绕过行级安全：应用角色不能有这些权限").format(role=role))
    owners = {owner for _, owner in _fetch(TABLES_SQL)}
    for owner in owners:
        if owner == role or _fetch("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])[0][0]:
            raise RoleRefused(gettext("角色 {role} 拥有数据表（或属于其所有者 {owner}）：应用角色不能拥有数据表").format(role=role, owner=owner))


def grant_statements(role: str) -> list[str]:
    """The SQL that gives `role` exactly the application's privileges on the current database."""
    q = connection.ops.quote_name
    r = q(role)
    db = q(connection.settings_dict["NAME"])
    schema = q(_fetch("SELECT current_schema()")[0][0])
    append_only = {row[0] for row in _fetch(APPEND_ONLY_TABLES_SQL)}
    sql = [
        f"GRANT CONNECT ON DATABASE {db} TO {r}",
        f"GRANT USAGE ON SCHEMA {schema} TO {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {r}",
    ]
    for table, _owner in _fetch(TABLES_SQL):
        t = q(table)
        if table in READ_ONLY:
            sql.append(f"GRANT SELECT ON {t} TO {r}")
        elif table in append_only:
            sql.append(f"GRANT SELECT, INSERT ON {t} TO {r}")
            moved = [c for c in ANCESTORS if c in _columns(table)]
            if moved:
                sql.append(f"GRANT UPDATE ({', '.join(moved)}) ON {t} TO {r}")
        else:
            sql.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO {r}")
    return sql


def grant_app_role(role: str) -> list[str]:
    """Check the role, then run the grants in one transaction; returns the statements run."""
    if connection.vendor != "postgresql":
        raise RoleRefused(gettext("只有 PostgreSQL 需要分开的应用角色（SQLite 没有角色）"))
    check_role(role)
    statements = grant_statements(role)
    with transaction.atomic(), connection.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
    return statements
