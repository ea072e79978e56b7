"""A real PostgreSQL streaming replica on loopback (scripts/ensure-replica.sh): dashboards, lists and
exports read from it; a user who just wrote reads from the primary; a lagging or stopped replica
hands the reads back to the primary; nothing is ever written to it.

The replica is a second cluster (pg_createcluster + pg_basebackup -R) of the primary the tests run
on, so the test database and every committed row reach it by streaming replication.
"""

import subprocess
import time
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.core.cache import cache
from django.db import connection, connections, router
from django.test.utils import CaptureQueriesContext

from niangjia.core import replica
from niangjia.core.models import AuditEntry
from niangjia.stats import services as stats
from niangjia.stats.models import ActivityLog

ROOT = Path(__file__).resolve().parents[2]
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "COPY")

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica is a PostgreSQL feature"),
    # the replica alias is declared (below) as a test mirror: never created, flushed or migrated
    pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA]),
]


@pytest.fixture(scope="module")
def replica_port():
    done = subprocess.run(["bash", str(ROOT / "scripts" / "ensure-replica.sh")], capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, replica_port):
    """The `replica` alias pointing at the loopback replica, as NIANGJIA_REPLICA_URL would make it."""
    if connection.vendor != "postgresql":
        yield
        return
    cfg = {**connections["default"].settings_dict, "HOST": "127.0.0.1", "PORT": replica_port,
           "TEST": {**connections["default"].settings_dict.get("TEST", {}), "MIRROR": "default"}}
    cfg["OPTIONS"] = {**cfg.get("OPTIONS", {}), "options": "-c default_transaction_read_only=on",
                      "connect_timeout": 3}
    connections.settings[replica.REPLICA] = cfg
    yield
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]
    replica.forget_state()


def _cluster(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "niangjia_replica", action, *extra],
                   check=True, capture_output=True, timeout=60)


@pytest.fixture
def on_replica(settings):
    """Queries the application sends the replica during the test; afterwards, none of them a write."""
    settings.REPLICA_CHECK_SECONDS = 0  # check on every read: the test changes the replica under it
    settings.REPLICA_MAX_LAG_SECONDS = 1
    settings.REPLICA_STICKY_SECONDS = 30
    replica.forget_state()
    cache.clear()
    captured = CaptureQueriesContext(connections[replica.REPLICA])
    with captured:
        yield captured
    replica.forget_state()
    # then, over the whole test: the application sent the replica reads only
    sent = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    assert not [s for s in sent if s.startswith(WRITES)]


def _replica_sql(port: int, sql: str):
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as c:
        return c.execute(sql).fetchone()


def _wait_caught_up(port: int) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()::text")
        lsn = cur.fetchone()[0]
    for _ in range(100):
        if _replica_sql(port, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0]:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up in 10 s")


def _reads_on_replica(captured, fn) -> tuple[int, object]:
    """How many of the application's reads `fn` sent the replica (its health checks not counted)."""
    before = len(captured.captured_queries)
    result = fn()
    sent = captured.captured_queries[before:]
    return len([q for q in sent if "pg_is_in_recovery" not in q["sql"]]), result


def _log(actor, unit, title, n=1):
    return stats.activity_log(actor=actor, unit=unit, day=date(2026, 3, 2), category="visit", title=title,
                              women_reached=n)


DASHBOARD = "/stats/?start=2026-01-01&end=2026-06-30"


def test_dashboards_lists_and_exports_read_from_the_replica(on_replica, replica_port, tree, personas, client):
    # given activities committed on the primary and streamed to the replica
    _log(personas.east, tree.east_village, "入户走访（一）", 7)
    _log(personas.east, tree.east, "入户走访（二）", 5)
    _wait_caught_up(replica_port)
    client.force_login(personas.province)
    # when she opens the dashboard, the activity list and its export
    n_dash, dash = _reads_on_replica(on_replica, lambda: client.get(DASHBOARD))
    n_list, listed = _reads_on_replica(on_replica, lambda: client.get("/stats/activities/"))
    audits = AuditEntry.objects.filter(action="export").count()
    n_export, exported = _reads_on_replica(on_replica, lambda: client.get("/stats/activities/?export=xlsx"))
    # then every one of them read from the replica and showed the committed rows
    assert dash.status_code == listed.status_code == exported.status_code == 200
    assert n_dash > 0 and n_list > 0 and n_export > 0
    assert "入户走访（一）" in listed.content.decode()
    sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "stats_activitylog" in sql or "core_summarycount" in sql
    # and the export's audit row went to the primary (a write from a read never goes to the replica)
    assert AuditEntry.objects.filter(action="export").count() == audits + 1
    # and a page that is not a dashboard, list or export never reads there
    n_other, other = _reads_on_replica(on_replica, lambda: client.get("/org/tree/"))
    assert n_other == 0
    # and the router never sends a write or a migration to the replica
    assert router.db_for_write(ActivityLog, instance=ActivityLog.objects.using(replica.REPLICA).first()) == "default"
    assert not router.allow_migrate(replica.REPLICA, "stats", model_name="activitylog")


def test_after_her_write_she_reads_from_the_primary(on_replica, replica_port, tree, personas, client, settings):
    client.force_login(personas.east)
    assert _reads_on_replica(on_replica, lambda: client.get(DASHBOARD))[0] > 0  # not sticky yet
    # when she logs an activity from the list page
    posted = client.post("/stats/activities/", {"unit": tree.east.pk, "day": "2026-03-03", "category": "visit",
                                                "title": "妇女议事会", "women_reached": 12})
    assert posted.status_code == 302, posted.content.decode()[:500]
    assert replica.COOKIE in posted.cookies
    # then her next reads go to the primary (cookie), and from another browser too (cache by user)
    n, page = _reads_on_replica(on_replica, lambda: client.get("/stats/activities/"))
    assert n == 0 and "妇女议事会" in page.content.decode()
    client.cookies.pop(replica.COOKIE)
    assert _reads_on_replica(on_replica, lambda: client.get("/stats/activities/"))[0] == 0
    # and another user, who wrote nothing, still reads from the replica
    other = client.__class__()
    other.force_login(personas.province)
    assert _reads_on_replica(on_replica, lambda: other.get(DASHBOARD))[0] > 0
    # and once the window passes, so does she
    cache.clear()
    assert _reads_on_replica(on_replica, lambda: client.get("/stats/activities/"))[0] > 0


def test_a_lagging_replica_hands_reads_to_the_primary(on_replica, replica_port, tree, personas, client):
    client.force_login(personas.province)
    _wait_caught_up(replica_port)
    assert _reads_on_replica(on_replica, lambda: client.get(DASHBOARD))[0] > 0
    _replica_sql(replica_port, "SELECT pg_wal_replay_pause()")
    try:
        # given a write the replica has received but not replayed, older than the limit (1 s)
        _log(personas.east, tree.east, "滞后期间登记的活动", 3)
        assert replica.state(fresh=True)["state"] == "ok"  # the check sees it behind, but not yet for long
        time.sleep(1.6)
        # when she opens the list, it comes from the primary and shows the new row
        n, page = _reads_on_replica(on_replica, lambda: client.get("/stats/activities/"))
        assert n == 0 and "滞后期间登记的活动" in page.content.decode()
        ready = client.get("/readyz").json()["checks"]["replica"]
        assert ready["state"] == "lagging" and ready["reads_from"] == "primary" and ready["lag_seconds"] > 1
    finally:
        _replica_sql(replica_port, "SELECT pg_wal_replay_resume()")
    # then, caught up again, the reads go back to the replica
    _wait_caught_up(replica_port)
    assert _reads_on_replica(on_replica, lambda: client.get(DASHBOARD))[0] > 0
    assert client.get("/readyz").json()["checks"]["replica"]["state"] == "ok"


def test_a_stopped_replica_hands_reads_to_the_primary(on_replica, replica_port, tree, personas, client):
    _log(personas.east, tree.east, "停机前的活动", 2)
    client.force_login(personas.province)
    assert _reads_on_replica(on_replica, lambda: client.get(DASHBOARD))[0] > 0
    _cluster("stop")
    try:
        # when the replica is down, the pages still answer, from the primary
        page = client.get("/stats/activities/")
        assert page.status_code == 200 and "停机前的活动" in page.content.decode()
        ready = client.get("/readyz")
        assert ready.status_code == 200  # reads fell back: still ready
        assert ready.json()["checks"]["replica"]["state"] == "down"
    finally:
        _cluster("start")
    for _ in range(50):
        if replica.state(fresh=True)["state"] == "ok":
            break
        time.sleep(0.2)
    assert _reads_on_replica(on_replica, lambda: client.get(DASHBOARD))[0] > 0


def test_every_list_and_export_of_every_app_reads_from_the_replica(on_replica, replica_port, tree, personas, client):
    # given the tree committed on the primary and streamed to the replica
    _wait_caught_up(replica_port)
    client.force_login(personas.province)
    # when she opens lists of other apps than stats: an HTML list (core.web.list_page), its export
    # (core.excel.xlsx_response) and an API list (every GET that takes a cursor, core.replica.route_api_lists)
    n_html, html = _reads_on_replica(on_replica, lambda: client.get("/org/sites/"))
    n_xlsx, xlsx = _reads_on_replica(on_replica, lambda: client.get("/org/sites/?export=xlsx"))
    n_api, api = _reads_on_replica(on_replica, lambda: client.get("/api/v1/federations"))
    # then each answered from the replica, with the committed rows
    assert html.status_code == xlsx.status_code == api.status_code == 200
    assert n_html > 0 and n_xlsx > 0 and n_api > 0
    assert tree.east.name in {row["name"] for row in api.json()["items"]}
    # and an API read that is not a list stays on the primary
    n_one, one = _reads_on_replica(on_replica, lambda: client.get(f"/api/v1/federations/{tree.east.pk}"))
    assert one.status_code == 200 and n_one == 0
