"""core.together.db_value: a statement's values are what Django's own save would send, whether or not a
field's value skips Django's conversion calls."""

import warnings
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.db import connection, models

from niangjia.core import together

SAMPLES = ["", "文本", 0, 7, -3, 2**40, True, False, None, 1.5, date(2026, 3, 1),
           datetime(2026, 3, 1, 8, 30, tzinfo=UTC), datetime(2026, 3, 1, 8, 30)]
FIELDS = [f for model in apps.get_models() for f in model._meta.local_concrete_fields]


def _django(field, obj):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a naive date-time's RuntimeWarning
        return field.get_db_prep_save(field.pre_save(obj, True), connection)


def _plain(value):
    return getattr(value, "obj", value)  # psycopg's Jsonb wrapper compares by identity


@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_every_field_of_every_model_gets_what_djangos_save_would_send(value):
    compared = skipped = 0
    for field in FIELDS:
        obj = field.model()
        setattr(obj, field.attname, value)
        try:
            expected = _django(field, obj)
        except Exception:  # Django refuses this value for this field (e.g. a date for a number): nothing to compare
            skipped += 1
            continue
        setattr(obj, field.attname, value)  # pre_save may have changed it (auto_now)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = together.db_value(field, obj, connection)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            assert type(got) is type(expected), field  # both the time of saving
            continue
        assert _plain(got) == _plain(expected) and type(got) is type(expected), (field, value, got, expected)
        compared += 1
    assert compared > 100


def test_the_common_values_skip_djangos_calls():
    need = apps.get_model("needs", "Need")
    kinds = {f.name: together.shortcut(f, connection)[0] for f in need._meta.local_concrete_fields}
    assert str in kinds["description"] and int in kinds["unit"] and bool not in kinds["unit"]
    assert kinds["created_at"] == ()  # auto_now_add: pre_save sets the time
    aware = need(assigned_at=datetime(2026, 3, 1, tzinfo=UTC))
    field = need._meta.get_field("assigned_at")
    if connection.vendor == "postgresql":  # an aware time travels as it is
        assert together.db_value(field, aware, connection) is aware.assigned_at
    else:  # SQLite: as text
        assert together.db_value(field, aware, connection) == "2026-03-01 00:00:00"


def test_a_bool_in_an_integer_column_and_a_subclassed_field_take_djangos_way():
    class Sealed(models.CharField):
        def get_prep_value(self, value):
            return f"sealed:{value}"

    field = Sealed(max_length=10)
    field.set_attributes_from_name("x")
    obj = type("O", (), {"x": "abc"})()
    assert together.db_value(field, obj, connection) == "sealed:abc"
    number = models.IntegerField()
    number.set_attributes_from_name("n")
    assert together.db_value(number, type("O", (), {"n": True})(), connection) == 1
