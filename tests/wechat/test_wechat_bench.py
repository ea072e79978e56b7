"""The intake benchmark: its pieces, and one short run through a real gunicorn on PostgreSQL."""

import pytest
from django.db import connection

from niangjia.needs.models import Need
from niangjia.wechat import bench
from niangjia.wechat.models import WeChatMessage


def test_percentiles_and_ratios():
    fast = bench.Result("GET /healthz (trivial)", 2.0, latencies=[0.001 * n for n in range(1, 101)])
    slow = bench.Result("POST x", 2.0, latencies=[0.01] * 50, errors=3, first_error="HTTP 500")
    assert fast.rate == 50 and fast.pct(0.5) == pytest.approx(51) and fast.pct(0.95) == pytest.approx(95)
    rows = bench.table([fast, slow])
    assert rows[2].startswith("| GET /healthz (trivial) | 50 |") and rows[2].endswith("| 1.00 |")
    assert rows[3] == "| POST x | 25 | 10.0 | 10.0 | 50 | 3 | 0.50 |"


def test_an_empty_result_has_no_percentile():
    assert bench.Result("x", 1.0).pct(0.5) != bench.Result("x", 1.0).pct(0.5)  # NaN


@pytest.mark.django_db
def test_the_server_gets_this_processs_database_as_a_url():
    url = bench.database_url() if connection.vendor == "postgresql" else None
    if url is None:
        with pytest.raises(RuntimeError):  # the test SQLite database lives in memory
            bench.database_url()
    else:
        assert url.startswith("postgres://") and url.endswith("/" + connection.settings_dict["NAME"])


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server process needs a shared database")
@pytest.mark.django_db(transaction=True)
def test_a_short_run_measures_every_door_without_errors_and_stops_the_server(tree, monkeypatch):
    started = []
    real_enter = bench.Server.__enter__

    def enter(self):
        started.append(self)
        return real_enter(self)

    monkeypatch.setattr(bench.Server, "__enter__", enter)
    lines = bench.measure(seconds=1, clients=2, workers=1, threads=2, say=lambda _: None)
    rows = bench.table_only(lines)[2:]
    assert [r.split(" | ")[0] for r in rows] == ["| GET /healthz (trivial)", "| POST /api/v1/intake/hotline-calls",
                                                 "| POST /p/wechat/… (plaintext)", "| POST /p/wechat/… (safe mode, AES)",
                                                 "| POST /p/needs/v/<village>/ (public need form)"]
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert float(cells[1].replace(",", "")) > 0 and cells[5] == "0", row
    assert WeChatMessage.objects.filter(account__slug__in=["bench-plain", "bench-safe"]).count() > 0
    assert Need.objects.filter(channel="website").count() > 0  # the form's needs, each from its own address
    assert started and started[0].proc.poll() is not None  # the server is gone


@pytest.mark.pg
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server process needs a shared database")
@pytest.mark.django_db(transaction=True)
def test_the_server_is_stopped_when_a_measurement_fails(tree, monkeypatch):
    servers = []
    real_enter = bench.Server.__enter__
    monkeypatch.setattr(bench.Server, "__enter__", lambda self: servers.append(self) or real_enter(self))

    def broken(*args, **kw):
        raise ValueError("client crashed")

    monkeypatch.setattr(bench, "drive", broken)
    with pytest.raises(ValueError):
        bench.measure(seconds=1, clients=1, workers=1, threads=1, say=lambda _: None)
    assert servers and servers[0].proc.poll() is not None


@pytest.mark.parametrize(("workers", "expected"), [(4, 15), (5, 12), (1, 52), (50, 3)])
def test_each_intake_bench_worker_holds_at_most_its_share_of_the_clients_and_two_more(workers, expected):
    # (the clients all fit: workers × connections ≥ clients)
    from niangjia.wechat import intake_load

    assert intake_load.connections_per_worker(workers) == expected
    assert workers * expected >= intake_load.CLIENTS


def test_each_door_is_held_to_the_floors_measured_just_before_and_after_it():
    from niangjia.wechat.intake_load import FLOOR, Load, floor_beside, report

    def load(name, ok, p99=150.0, statements=1):
        return Load(name, ok=ok, seconds=1.0, p50_ms=50.0, p99_ms=p99, statements=statements, transactions=0)

    results = [load("GET /healthz (trivial)", 1000, statements=0), load(FLOOR, 600), load("POST hotline", 260),
               load(FLOOR, 440), load("POST wechat", 200, p99=250.0), load(FLOOR, 400)]
    assert floor_beside(results, 2) == 520  # (600 + 440) / 2
    assert floor_beside(results, 4) == 420
    rows = {i: line for i, line in enumerate(line for line in report(results, {
        "seconds": 1, "workers": 4, "threads": 2, "load_before": 1.0, "load_after": 1.0, "engine": "postgresql"})
        if line.startswith("| ") and not line.startswith("| endpoint"))}
    assert "| 50% |" in rows[2] and rows[2].endswith("| PASS |")  # 260 of 520: against the first floor alone, 43%
    assert "| 48% |" in rows[4] and "< 50% of the floor, p99 ≥ 200 ms" in rows[4]
    assert "| 125% |" in rows[1] and "(reference)" in rows[1]  # 600 of the floors' mean (480): the drift shows
