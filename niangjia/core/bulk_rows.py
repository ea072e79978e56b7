"""Many new rows of one model at a time, given as tuples of column values (no model instance per row): an import's
persons, posts and audit rows. PostgreSQL: ids drawn from the table's sequence in one query, then one COPY;
SQLite (development, tests): bulk_create.

Values are what the model's fields hold in Python (str, int, bool, date, aware datetime, None; lists and dicts for
JSON fields); the caller has validated them, as a service does before saving.
"""

import json

from django.db import connection
from django.db.models import JSONField

_sequences: dict[str, str] = {}


def _json_columns(model, columns) -> list[int]:
    return [i for i, name in enumerate(columns) if isinstance(model._meta.get_field(_field_name(model, name)),
                                                              JSONField)]


def _field_name(model, attname: str) -> str:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return f.name
    raise ValueError(f"{model.__name__} has no column {attname}")


def reserve_ids(model, n: int) -> list[int]:
    """`n` new ids from the table's own sequence (PostgreSQL), in one query."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        if table not in _sequences:
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            _sequences[table] = cur.fetchone()[0]
        cur.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [_sequences[table], n])
        return [row[0] for row in cur.fetchall()]


def insert(model, columns: tuple[str, ...], rows: list[tuple], *, ids: bool = True) -> list[int]:
    """Insert `rows` (each a tuple of values for `columns`, the fields' attnames, without the primary key);
    returns the new ids in order when `ids` (else an empty list). Runs inside the caller's transaction."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._base_manager.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in objs] if ids else []
    json_at = _json_columns(model, columns)
    fields = [_field_name(model, c) for c in columns]
    names = [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]
    new_ids = reserve_ids(model, len(rows)) if ids else []
    if ids:
        names.insert(0, connection.ops.quote_name(model._meta.pk.column))
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        for n, row in enumerate(rows):
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = json.dumps(row[i], ensure_ascii=False)
            copy.write_row((new_ids[n], *row) if ids else row)
    return new_ids
