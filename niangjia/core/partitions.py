"""Yearly range partitions for the largest fact tables, on PostgreSQL only (docs/scaling.md).

`convert(cursor, table, column)` turns a plain table into one partitioned by year on `column`
(a migration runs it): a new partitioned table takes the old one's columns, defaults and checks,
gets one partition per year holding rows (from the earliest to YEARS_AHEAD past this one), a
partition for anything older and a DEFAULT partition (so an insert never fails for want of a
partition), receives the rows, and takes the old table's name, id sequence, indexes, foreign
keys, triggers (the audit's append-only trigger) and grants. The primary key becomes (id, column)
— PostgreSQL wants the partition key in every unique index — and a unique index that lacks it
(the audit's seq, kept unique by the chain's head row) becomes a plain index of the same name.

`cover_years(cursor, table, first, last)` adds yearly partitions for older history (a backfill, the
bench's larger sizes) while the catch-all partition below them is still empty.

`make_ahead(cursor)` (the `partitions_ahead` periodic job) finds every range-partitioned table in
the schema and makes the partitions for this year and the next YEARS_AHEAD, moving any rows the
DEFAULT partition caught for those years into their own partition.

Lists and dashboards do not change: the planner prunes partitions by the date filters they already
carry, and the national list's ORDER BY day DESC reads the newest partition first.
"""

from datetime import date

from niangjia.core import periods

YEARS_AHEAD = 2
HISTORY_YEARS = 10  # a converted table gets yearly partitions this far back even when empty (history loads)


def _one(cur, sql: str, params=()):
    cur.execute(sql, params)
    return cur.fetchone()


def _all(cur, sql: str, params=()) -> list[tuple]:
    cur.execute(sql, params)
    return cur.fetchall()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _bound(key_type: str, year: int) -> str:
    return f"'{year}-01-01 00:00:00+00'" if key_type.startswith("timestamp") else f"'{year}-01-01'"


def _key_type(cur, table: str, column: str) -> str:
    return _one(cur, """SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                        WHERE a.attrelid = %s::regclass AND a.attname = %s""", [table, column])[0]


def partition_name(table: str, year: int) -> str:
    return f"{table}_y{year}"


def _year_partition(cur, table: str, key_type: str, year: int) -> None:
    cur.execute(f"CREATE TABLE IF NOT EXISTS {_q(partition_name(table, year))} PARTITION OF {_q(table)} "
                f"FOR VALUES FROM ({_bound(key_type, year)}) TO ({_bound(key_type, year + 1)})")


def _definitions(cur, table: str) -> dict:
    """What the swap must carry over from the old table."""
    return {
        "indexes": _all(cur, """SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indisunique, x.indisprimary,
                                       c.conname IS NOT NULL
                                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                                LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
                                WHERE x.indrelid = %s::regclass""", [table]),
        "fks": _all(cur, """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                            WHERE conrelid = %s::regclass AND contype = 'f'""", [table]),
        "triggers": _all(cur, """SELECT pg_get_triggerdef(oid) FROM pg_trigger
                                 WHERE tgrelid = %s::regclass AND NOT tgisinternal""", [table]),
        "grants": _all(cur, """SELECT grantee, privilege_type FROM information_schema.role_table_grants
                               WHERE table_schema = current_schema() AND table_name = %s
                                 AND grantee <> (SELECT pg_get_userbyid(relowner) FROM pg_class
                                                 WHERE oid = %s::regclass)""", [table, table]),
        "column_grants": _all(cur, """SELECT grantee, privilege_type, column_name FROM information_schema.column_privileges
                                      WHERE table_schema = current_schema() AND table_name = %s
                                        AND grantee <> (SELECT pg_get_userbyid(relowner) FROM pg_class
                                                        WHERE oid = %s::regclass)""", [table, table]),
    }


def _role(grantee: str) -> str:
    return "PUBLIC" if grantee == "PUBLIC" else _q(grantee)


def _restore(cur, table: str, column: str, defs: dict, *, partitioned: bool) -> None:
    t = _q(table)
    cols = ["id", column] if partitioned else ["id"]
    cur.execute(f"ALTER TABLE {t} ADD CONSTRAINT {_q(table + '_pkey')} PRIMARY KEY ({', '.join(cols)})")
    for name, indexdef, unique, primary, is_constraint in defs["indexes"]:
        if primary:
            continue
        columns = [c.strip().strip('"') for c in indexdef.rsplit("(", 1)[1].rstrip(")").split(",")]
        if unique and partitioned and column not in columns:
            indexdef = indexdef.replace("CREATE UNIQUE INDEX", "CREATE INDEX", 1)  # unique needs the key
            is_constraint = False
        if is_constraint and unique:
            cols_sql = indexdef[indexdef.index("(", indexdef.index(" USING ")):]
            cur.execute(f"ALTER TABLE {t} ADD CONSTRAINT {_q(name)} UNIQUE {cols_sql}")
        else:
            cur.execute(indexdef)
    for name, definition in defs["fks"]:
        cur.execute(f"ALTER TABLE {t} ADD CONSTRAINT {_q(name)} {definition}")
    for (definition,) in defs["triggers"]:
        cur.execute(definition)
    for grantee, privilege in defs["grants"]:
        cur.execute(f"GRANT {privilege} ON {t} TO {_role(grantee)}")
    covered = {(g, p) for g, p in defs["grants"]}
    for grantee, privilege, col in defs["column_grants"]:
        if (grantee, privilege) not in covered:
            cur.execute(f"GRANT {privilege} ({_q(col)}) ON {t} TO {_role(grantee)}")


def _swap(cur, table: str, column: str, create_sql: str, *, partitioned: bool, fill) -> None:
    """Build `table` anew (create_sql makes `<table>__new`), move the rows, and take over the old one's name."""
    defs = _definitions(cur, table)
    new = table + "__new"
    cur.execute(create_sql)
    cur.execute(f"ALTER TABLE {_q(new)} ALTER COLUMN id DROP DEFAULT")  # the old table's sequence goes with it
    fill(new)
    cur.execute(f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)}")
    next_id = _one(cur, f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_q(table)}")[0]
    cur.execute(f"DROP TABLE {_q(table)}")  # refuses (no CASCADE) if another table points at it
    cur.execute(f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}")
    seq = table + "_id_seq"
    cur.execute(f"CREATE SEQUENCE {_q(seq)} START WITH {int(next_id)} OWNED BY {_q(table)}.id")
    cur.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN id SET DEFAULT nextval('{seq}'::regclass)")
    for grantee in {g for g, _p in defs["grants"]}:
        cur.execute(f"GRANT USAGE, SELECT ON SEQUENCE {_q(seq)} TO {_role(grantee)}")
    _restore(cur, table, column, defs, partitioned=partitioned)
    if partitioned:
        for (name,) in _all(cur, """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                                    WHERE i.inhparent = %s::regclass""", [table]):
            if name.startswith(new):
                cur.execute(f"ALTER TABLE {_q(name)} RENAME TO {_q(table + name[len(new):])}")


def is_partitioned(cur, table: str) -> bool:
    return bool(_one(cur, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = %s::regclass", [table])[0])


def convert(cur, table: str, column: str, *, today: date | None = None) -> None:
    """Make `table` range-partitioned by year on `column` (see the module's docstring); idempotent."""
    if is_partitioned(cur, table):
        return
    this_year = (today or periods.today()).year
    key_type = _key_type(cur, table, column)
    first = _one(cur, f"SELECT min(EXTRACT(YEAR FROM {_q(column)}))::int FROM {_q(table)}")[0] or this_year
    first = min(first, this_year - HISTORY_YEARS)
    new = table + "__new"

    def fill(name: str) -> None:
        cur.execute(f"CREATE TABLE {_q(name + '_before')} PARTITION OF {_q(name)} "
                    f"FOR VALUES FROM (MINVALUE) TO ({_bound(key_type, first)})")
        for year in range(first, this_year + YEARS_AHEAD + 1):
            cur.execute(f"CREATE TABLE {_q(name + f'_y{year}')} PARTITION OF {_q(name)} "
                        f"FOR VALUES FROM ({_bound(key_type, year)}) TO ({_bound(key_type, year + 1)})")
        cur.execute(f"CREATE TABLE {_q(name + '_default')} PARTITION OF {_q(name)} DEFAULT")

    _swap(cur, table, column,
          f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
          f"INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({_q(column)})",
          partitioned=True, fill=fill)


def unconvert(cur, table: str, column: str) -> None:
    """Back to one plain table (the migration's reverse)."""
    if not is_partitioned(cur, table):
        return
    _swap(cur, table, column,
          f"CREATE TABLE {_q(table + '__new')} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
          f"INCLUDING STORAGE INCLUDING COMMENTS)", partitioned=False, fill=lambda name: None)


def make_ahead(cur, *, today: date | None = None, years: int = YEARS_AHEAD) -> list[str]:
    """Make this year's and the next `years` years' partitions of every range-partitioned table; returns
    the partitions made. Rows the DEFAULT partition caught for such a year move into it."""
    made = []
    this_year = (today or periods.today()).year
    tables = _all(cur, """SELECT c.relname, a.attname FROM pg_partitioned_table p
                          JOIN pg_class c ON c.oid = p.partrelid
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                          JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
                          WHERE n.nspname = current_schema() AND p.partstrat = 'r' AND NOT c.relispartition
                          ORDER BY c.relname""")
    for table, column in tables:
        key_type = _key_type(cur, table, column)
        for year in range(this_year, this_year + years + 1):
            name = partition_name(table, year)
            if _one(cur, "SELECT to_regclass(%s)", [name])[0] is not None:
                continue
            default = _one(cur, """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                                   WHERE i.inhparent = %s::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'""",
                           [table])
            caught = default and _one(cur, f"SELECT count(*) FROM {_q(default[0])} WHERE {_q(column)} >= "
                                           f"{_bound(key_type, year)} AND {_q(column)} < {_bound(key_type, year + 1)}")[0]
            if caught:
                _move_out_of_default(cur, table, column, default[0], key_type, year)
            else:
                _year_partition(cur, table, key_type, year)
            made.append(name)
    return made


def _move_out_of_default(cur, table: str, column: str, default: str, key_type: str, year: int) -> None:
    """PostgreSQL refuses a new partition while the DEFAULT one holds rows for its range: detach the
    default, make the partition, move those rows through the parent, attach the default again."""
    in_year = f"{_q(column)} >= {_bound(key_type, year)} AND {_q(column)} < {_bound(key_type, year + 1)}"
    cur.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(default)}")
    _year_partition(cur, table, key_type, year)
    cur.execute(f"INSERT INTO {_q(table)} SELECT * FROM {_q(default)} WHERE {in_year}")
    cur.execute(f"DELETE FROM {_q(default)} WHERE {in_year}")  # an append-only table refuses: said in the error
    cur.execute(f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(default)} DEFAULT")


def cover_years(cur, table: str, first: int, last: int) -> list[str]:
    """Yearly partitions of `table` for `first`..`last` (before loading history that old). The catch-all
    `<table>_before` partition must be empty: it is dropped and made again below `first`."""
    key_type = _key_type(cur, table, _partition_column(cur, table))
    before = table + "_before"
    if _one(cur, "SELECT to_regclass(%s)", [before])[0] is not None:
        if _one(cur, f"SELECT EXISTS (SELECT 1 FROM {_q(before)})")[0]:
            raise RuntimeError(f"{before} holds rows: move them before adding older partitions")
        cur.execute(f"DROP TABLE {_q(before)}")
    made = []
    for year in range(first, last + 1):
        if _one(cur, "SELECT to_regclass(%s)", [partition_name(table, year)])[0] is None:
            _year_partition(cur, table, key_type, year)
            made.append(partition_name(table, year))
    oldest = _one(cur, """SELECT min(substring(c.relname from '_y([0-9]{4})$')::int) FROM pg_inherits i
                          JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass""", [table])[0]
    cur.execute(f"CREATE TABLE {_q(before)} PARTITION OF {_q(table)} "
                f"FOR VALUES FROM (MINVALUE) TO ({_bound(key_type, oldest)})")
    return made


def _partition_column(cur, table: str) -> str:
    return _one(cur, """SELECT a.attname FROM pg_partitioned_table p
                        JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
                        WHERE p.partrelid = %s::regclass""", [table])[0]
