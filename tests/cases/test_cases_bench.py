"""The hotline intake bench section: a real gunicorn serving the test database, posts with retries."""

from types import SimpleNamespace

import pytest
from django.db import connection

from niangjia.cases import bench
from niangjia.cases.models import HotlineCall

pytestmark = [pytest.mark.pg,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench serves PostgreSQL"),
              pytest.mark.django_db(transaction=True)]


def test_the_bench_section_measures_intake_and_finds_no_call_lost_or_duplicated(tree):
    # when
    lines = bench.run(SimpleNamespace(repeat=2, say=lambda s: None, meta={}, budget_s=60))
    # then
    report = "\n".join(lines)
    assert "| POST /api/v1/intake/hotline-calls | 200 |" in report
    assert "none lost, none duplicated" in report and " 0 errors" in report
    assert HotlineCall.objects.count() == 160  # 200 deliveries, every 5th a retry
    assert "160 created, 40 retries" in report
    # and a second run on the same database records calls of its own (not retries of the first run's ids)
    again = "\n".join(bench.run(SimpleNamespace(repeat=2, say=lambda s: None, meta={}, budget_s=60)))
    assert "160 created, 40 retries" in again and "none lost, none duplicated" in again
    assert HotlineCall.objects.count() == 320
