"""Rows written together: the SQL of one model instance's INSERT, to send with others as one statement
(PostgreSQL's data-modifying WITH), so a record and its audit row cost one round trip, not two."""

from django.db import connection
from django.db.models.sql import InsertQuery


def insert_sql(obj, *, returning: bool = False) -> tuple[str, list]:
    """`INSERT INTO <table> (...) VALUES (...)` for `obj` as `save(force_insert=True)` would write it (fields'
    pre_save run, e.g. auto_now_add), its primary key included when set; `RETURNING id` on request."""
    model = type(obj)
    fields = [f for f in model._meta.local_concrete_fields if not (f.primary_key and obj.pk is None)]
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    (sql, params), = compiler.as_sql()
    if returning:
        sql += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    return sql, list(params)
