"""The documented database roles (docs/operations.md, "Database roles"), on PostgreSQL: tables owned
by a migration role; the application's role reads and writes as the platform needs, yet cannot
truncate the audit, disable its trigger, switch to replica mode, or rewrite or delete audit rows."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql", reason="roles exist on PostgreSQL only"
)

APP_WORK = """
from niangjia.accounts.models import User
from niangjia.core import ratelimit
from niangjia.core.models import AuditEntry
from niangjia.org import services as org
admin = User.objects.create_superuser("root", password="Xq7!rootpass")
nation = org.federation_create(actor=admin, parent=None, name="全国妇联", code="N")
p = org.federation_create(actor=admin, parent=nation, name="甲省妇联", code="P")
a = org.federation_create(actor=admin, parent=p, name="甲市妇联", code="A")
b = org.federation_create(actor=admin, parent=p, name="乙市妇联", code="B")
county = org.federation_create(actor=admin, parent=a, name="丙县妇联", code="C")
org.federation_move(actor=admin, federation=county, new_parent=b)
ratelimit.hit("probe", "127.0.0.1", limit=5, per_seconds=60)
row = AuditEntry.objects.filter(action="federation.create", target_id=str(county.pk)).get()
print("audit rows", AuditEntry.objects.count(), "county row l3", row.l3 == b.pk)
"""


def documented_role_sql(owner: str, app: str, db: str) -> str:
    """The SQL block of docs/operations.md, with this test's names."""
    doc = (ROOT / "docs" / "operations.md").read_text()
    block = re.search(r"<!-- db-roles:begin.*?```sql\n(.*?)```", doc, re.S).group(1)
    block = block.replace("niangjia_owner", owner).replace("niangjia_app", app)
    return re.sub(r"\bniangjia\b", db, block)


def _url(role: str, password: str, db: str) -> str:
    s = settings.DATABASES["default"]
    return f"postgres://{role}:{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{db}"


def _niangjia(url: str, *args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "niangjia.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def roles():
    s = settings.DATABASES["default"]
    tag = uuid.uuid4().hex[:8]
    owner, app, db = f"nj_owner_{tag}", f"nj_app_{tag}", f"nj_roles_{tag}"
    sql = documented_role_sql(owner, app, db).replace("owner-secret", "o-" + tag).replace("app-secret", "a-" + tag)
    psql = ["psql", "-v", "ON_ERROR_STOP=1", "-X", "-q", "-h", s.get("HOST") or "127.0.0.1",
            "-p", str(s.get("PORT") or 5432), "-U", s["USER"], "-d", "postgres"]
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    subprocess.run(psql, input=sql, text=True, env=env, check=True, capture_output=True)
    owner_url, app_url = _url(owner, "o-" + tag, db), _url(app, "a-" + tag, db)
    try:
        _niangjia(owner_url, "migrate", "--noinput", "-v0")
        _niangjia(owner_url, "grant_app_role", app)
        yield owner_url, app_url
    finally:
        subprocess.run(psql, input=f"DROP DATABASE IF EXISTS {db} WITH (FORCE); DROP ROLE IF EXISTS {app}; "
                                   f"DROP ROLE IF EXISTS {owner};", text=True, env=env, capture_output=True)


def _refused(app_url: str, statement: str) -> str:
    with psycopg.connect(app_url, autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(statement)
    return str(caught.value)


def test_the_app_role_does_the_platforms_writes(roles):
    # given the documented roles, migrated by the owner and granted by `grant_app_role`
    _, app_url = roles
    # when the application, as its role, creates a tree, moves a county (which carries its audit
    # rows along) and counts a rate limit
    done = _niangjia(app_url, "shell", "-c", APP_WORK)
    # then all of it is written
    assert done.stdout.strip().splitlines()[-1] == "audit rows 6 county row l3 True"


def test_the_app_role_owns_nothing_and_is_no_superuser(roles):
    owner_url, app_url = roles
    app = psycopg.conninfo.conninfo_to_dict(app_url)["user"]
    with psycopg.connect(owner_url) as conn:
        owned = conn.execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s", [app]).fetchone()[0]
        superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [app]).fetchone()[0]
        truncatable = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND has_table_privilege(%s, c.oid, 'TRUNCATE')",
            [app]).fetchone()[0]
    assert (owned, superuser, truncatable) == (0, False, 0)


@pytest.mark.parametrize("statement, error", [
    ("TRUNCATE core_auditentry", "permission denied for table core_auditentry"),
    ("ALTER TABLE core_auditentry DISABLE TRIGGER ALL", "must be owner of table core_auditentry"),
    ("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only",
     "must be owner of table core_auditentry"),
    ("SET session_replication_role = replica", 'permission denied to set parameter "session_replication_role"'),
    ("UPDATE core_auditentry SET action = 'x'", "permission denied for table core_auditentry"),
    ("DELETE FROM core_auditentry", "permission denied for table core_auditentry"),
    ("DROP TABLE core_auditentry", "must be owner of table core_auditentry"),
    ("CREATE TABLE shadow (id int)", "permission denied for schema public"),
    ("DELETE FROM django_migrations", "permission denied for table django_migrations"),
])
def test_the_app_role_cannot_rewrite_the_audit(roles, statement, error):
    # given the application's role
    _, app_url = roles
    # when it tries to get round the append-only audit
    message = _refused(app_url, statement)
    # then PostgreSQL refuses by privilege, before any trigger is asked
    assert error in message


def test_an_audit_row_keeps_everything_but_its_ancestor_columns(roles):
    # given the app role's column grant on l1..l6 (a subtree move)
    _, app_url = roles
    # when it changes an ancestor column together with the action, the trigger refuses
    message = _refused(app_url, "UPDATE core_auditentry SET l1 = l1, summary = 'rewritten'")
    assert "permission denied for table core_auditentry" in message


def test_grant_refuses_the_owner_as_app_role(roles):
    owner_url, _ = roles
    owner = psycopg.conninfo.conninfo_to_dict(owner_url)["user"]
    env = {**os.environ, "DATABASE_URL": owner_url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "niangjia.cli", "grant_app_role", owner], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and f"角色 {owner} 拥有数据表" in done.stderr
