"""core.metrics: a metric declared once moves its counts in one upsert without savepoints, and one
reader answers from summary rows (city grain and above) or fact rows (county and below), the same."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from niangjia.core import metrics
from niangjia.core.models import SummaryCount
from niangjia.needs import metrics as needs_metrics
from tests.needs.conftest import register

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


def rows(name):
    return sorted(SummaryCount.objects.filter(metric=name).exclude(count=0, total=0)
                  .values_list("category", "status", "l3", "count", "total"))


def test_every_metric_is_declared_with_its_words_and_a_known_source():
    # given the registry after the apps loaded / then each metric says what it counts and where
    assert len(metrics.REGISTRY) >= 29  # the 29 of the figures pages, and any new one
    for m in metrics.REGISTRY.values():
        assert m.label and m.area != "其他" and m.model and m.date_field, m.name


def test_a_move_nets_its_rows_and_writes_them_in_one_statement_without_a_savepoint(tree):
    m = metrics.Metric("test_move", "needs.Need", "day", category_field="category", status_field="status")
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        metrics.write([m.add(tree.east_village, DAY, category="legal", status="registered"),
                       m.add(tree.east_village2, DAY, category="legal", status="registered"),
                       m.add(tree.west_village, DAY, category="legal", status="assigned", total=3)])
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == 1 and "SAVEPOINT" not in sql[0]
    assert rows("test_move") == [("legal", "assigned", tree.city.pk, 1, 3), ("legal", "registered", tree.city.pk, 2, 0)]


def test_a_move_that_cancels_out_writes_nothing(tree):
    m = metrics.Metric("test_cancel", "needs.Need", "day")
    with CaptureQueriesContext(connection) as ctx:
        metrics.write([m.add(tree.east, DAY, count=1), m.add(tree.east, DAY, count=-1)])
    assert ctx.captured_queries == [] and rows("test_cancel") == []


def test_move_from_before_to_after_reads_the_dimensions_off_the_object(tree, personas):
    need = register(personas.east, tree.east_village)  # counted as legal / registered on registration
    before = rows("need")
    needs_metrics.NEED.move(need, before={}, after={"status": "closed"})
    assert before == [("legal", "registered", tree.city.pk, 1, 0)]
    assert rows("need") == [("legal", "closed", tree.city.pk, 1, 0)]


def test_counts_from_summaries_and_from_facts_agree(tree, personas):
    register(personas.east, tree.east_village)
    register(personas.east, tree.east_village2, category="rights")
    register(personas.west, tree.west_village)
    for group in [(), ("category",), ("category", "status"), ("l3",), ("period", "category", "status")]:
        a = needs_metrics.NEED.counts(personas.province, group=group, summaries=True)
        b = needs_metrics.NEED.counts(personas.province, group=group, summaries=False)
        assert a == b, group
    assert needs_metrics.NEED.pairs(personas.province, "category") == {("legal",): 2, ("rights",): 1}
    # a county reach reads the facts, and only its own
    assert needs_metrics.NEED.pairs(personas.east, "category") == {("legal",): 1, ("rights",): 1}
    assert needs_metrics.NEED.counts(personas.east, where={"category": "rights"}) == [{"n": 1, "t": 0}]


def test_declaring_one_name_twice_is_refused():
    with pytest.raises(ValueError):
        metrics.register(metrics.Metric("need", "needs.Need", "created_at"))
