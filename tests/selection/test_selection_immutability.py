"""Submitted scores are immutable down to the database: on PostgreSQL a trigger refuses UPDATE and
DELETE of score rows (a correction is a new row); on SQLite the migration adds nothing."""

import pytest
from django.db import DatabaseError, connection, transaction

from niangjia.selection.models import Score
from tests.selection.conftest import add_scorers, close_call, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(sel, personas):
    close_call(personas.east, sel.selection)
    token = add_scorers(personas.east, sel.parts["jury"], 1)[0][1]
    submit(token, sel.candidates, [80, 81, 82, 83])
    return sel


def test_sqlite_has_no_score_trigger():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'selection_score'")
        assert cur.fetchall() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
@pytest.mark.parametrize("sql", ["UPDATE selection_score SET value = 100", "DELETE FROM selection_score"])
def test_postgresql_refuses_changes_to_scores(scored, sql):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert sorted(Score.objects.values_list("value", flat=True)) == [80, 81, 82, 83]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_postgresql_refuses_a_queryset_update(scored):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        Score.objects.update(value=0)
    assert not Score.objects.filter(value=0).exists()
