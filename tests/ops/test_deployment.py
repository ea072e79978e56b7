"""The documented deployment (docs/operations.md), on PostgreSQL, run once (the PostgreSQL pass).

1. Database roles: tables owned by a migration role; the application's role reads and writes as
   the platform needs, yet cannot truncate the audit, disable its trigger, switch to replica mode,
   or rewrite or delete audit rows.
2. The stack, on loopback, under that app role: Debian's nginx with the site of deploy/ and a
   self-signed certificate, gunicorn with deploy/gunicorn.conf.py and 2 workers, NIANGJIA_DEBUG=false,
   the task worker. Over HTTPS through the proxy: log in, post forms (CSRF passes), client addresses
   as the trusted proxy forwarded them, static files compressed, an upload by X-Accel-Redirect,
   /api/docs from local assets, /readyz.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from niangjia import version

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


def _niangjia(url: str, *args: str, timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {}), "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "niangjia.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


_BROKEN: list[str] = []  # a module fixture that failed once is not retried for every test


@pytest.fixture(scope="module")
def roles():
    if _BROKEN:
        pytest.fail(f"set-up failed earlier: {_BROKEN[0]}")
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
        try:
            _niangjia(owner_url, "migrate", "--noinput", "-v0")
            _niangjia(owner_url, "grant_app_role", app)
        except BaseException as exc:
            _BROKEN.append(repr(exc)[:300])
            raise
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


# ---------------------------------------------------------------- 2. the stack on loopback

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HTTPS_PORT, HTTP_PORT, APP_PORT = 8443, 8280, 8201
PROXY_ADDR = "127.0.0.2"   # nginx connects to gunicorn from here: the one trusted proxy
CLIENT_ADDR = "127.0.0.3"  # the browser, as nginx sees it
PDF = b"%PDF-1.4\n" + b"stack-test " * 40

SEED = """
from django.core.files.uploadedfile import SimpleUploadedFile
from niangjia.accounts.models import User
from niangjia.fieldwork import services as fw
from niangjia.org import services as org
from niangjia.people import services as people
admin = User.objects.create_superuser("stack_admin", password="Stack-test-2026!")
unit = None
for level, code in enumerate(["S1", "S2", "S3", "S4", "S5", "S6"], start=1):
    unit = org.federation_create(actor=admin, parent=unit, name=f"测试{level}级妇联", code=code)
person = people.person_create(actor=admin, unit=unit, name="测试人员")
report = fw.report_file(actor=admin, person=person, date=__import__("datetime").date.today(), title="调研", topic="就业",
                        file=SimpleUploadedFile("报告.pdf", PDF, content_type="application/pdf"))
from niangjia.people.tasks import run_import_job
result = run_import_job.enqueue(job_id=0, actor_id=admin.pk)
print(unit.pk, report.pk, result.id)
""".replace("PDF", repr(PDF))


def _nginx_site(tmp: Path) -> str:
    """deploy/nginx/niangjia.conf with this test's ports, paths and certificate, bound to the proxy address."""
    site = (ROOT / "deploy" / "nginx" / "niangjia.conf").read_text()
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{HTTPS_PORT} ssl").replace("listen 80;", f"listen 127.0.0.1:{HTTP_PORT};")
    site = site.replace("server 127.0.0.1:8000", f"server 127.0.0.1:{APP_PORT}").replace("/var/lib/niangjia/", f"{tmp}/")
    site = site.replace("/etc/ssl/niangjia/", f"{tmp}/tls/").replace("niangjia.example.org", "127.0.0.1")
    site = site.replace("/var/log/nginx/", f"{tmp}/nginx/")
    # The only change of substance: nginx talks to gunicorn from the trusted proxy's own address,
    # so a direct client on 127.0.0.1 is someone else.
    return site.replace("proxy_pass http://niangjia_app;", f"proxy_pass http://niangjia_app; proxy_bind {PROXY_ADDR};")


def _nginx_conf(tmp: Path) -> Path:
    user = "user root;\n" if os.geteuid() == 0 else ""  # files live under a private temp dir
    temp = " ".join(f"{k}_temp_path {tmp}/nginx/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx").mkdir()
    (tmp / "nginx" / "site.conf").write_text(_nginx_site(tmp))
    conf = tmp / "nginx" / "nginx.conf"
    conf.write_text(f"""{user}daemon off; worker_processes 1; pid {tmp}/nginx/nginx.pid; error_log {tmp}/nginx/error.log;
events {{ worker_connections 256; }}
http {{ include /etc/nginx/mime.types; default_type application/octet-stream; sendfile on;
  access_log {tmp}/nginx/access.log; {temp}
  include {tmp}/nginx/site.conf; }}
""")
    return conf


def _wait(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{what} did not come up within {seconds} s")


class Browser:
    """A tiny HTTP client with cookies, connecting from a chosen loopback address."""

    def __init__(self, port: int, *, tls: ssl.SSLContext | None, source: str):
        self.port, self.tls, self.source, self.cookies = port, tls, source, {}

    def request(self, method: str, path: str, *, form: dict | None = None, headers: dict | None = None):
        cls = http.client.HTTPSConnection if self.tls else http.client.HTTPConnection
        kw = {"context": self.tls} if self.tls else {}
        conn = cls("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0), **kw)
        scheme = "https" if self.tls else "http"
        hdrs = {"Host": f"127.0.0.1:{self.port}", "Referer": f"{scheme}://127.0.0.1:{self.port}{path}", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        data = r.read()
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, v = value.split(";", 1)[0].split("=", 1)
                self.cookies[k.strip()] = v.strip()
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def form_fields(self, path: str) -> dict:
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        html = page.decode()
        return {m.group(1): m.group(2) for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)}


@pytest.fixture(scope="module")
def stack(roles, tmp_path_factory):
    if _BROKEN:
        pytest.fail(f"set-up failed earlier: {_BROKEN[0]}")
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs Debian's nginx")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    owner_url, app_url = roles
    tmp = tmp_path_factory.mktemp("stack")
    (tmp / "tls").mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(tmp / "tls" / "privkey.pem"),
                    "-out", str(tmp / "tls" / "fullchain.pem")], check=True, capture_output=True)
    env = {
        "NIANGJIA_DEBUG": "false", "NIANGJIA_SECRET_KEY": "stack-test-secret-key-" + "x" * 40,
        "NIANGJIA_FIELD_KEYS": "Ulf9Q0ZgCKAnVxM1Yc5Kx0f8Lw0TOz5F0d8b9RkzX3E=",
        "NIANGJIA_BLIND_INDEX_KEY": "c3RhY2stdGVzdC1ibGluZC1pbmRleC1rZXktMDEyMzQ=",
        "NIANGJIA_ALLOWED_HOSTS": "127.0.0.1", "NIANGJIA_TRUSTED_PROXIES": PROXY_ADDR,
        "NIANGJIA_MEDIA_ROOT": str(tmp / "media"), "NIANGJIA_STATIC_ROOT": str(tmp / "static"),
        "NIANGJIA_X_ACCEL_REDIRECT": "/_uploads/", "NIANGJIA_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "GUNICORN_BIND": f"127.0.0.1:{APP_PORT}", "GUNICORN_WORKERS": "2", "DATABASE_URL": app_url,
        "PYTHONPATH": str(ROOT),
    }
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NIANGJIA_")}, **env}
    _niangjia(app_url, "collectstatic", "--noinput", "-v0", env=env)
    seeded = _niangjia(app_url, "shell", "-c", SEED, env=env).stdout.strip().splitlines()[-1].split()
    procs = []
    try:
        procs.append(subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                       "niangjia.wsgi"], cwd=tmp, env=env, stdout=open(tmp / "gunicorn.log", "w"),
                                      stderr=subprocess.STDOUT))
        procs.append(subprocess.Popen([sys.executable, "-m", "niangjia.cli", "worker", "--queue-name", "*",
                                       "--interval", "0.5", "--no-reload", "--no-startup-delay"], cwd=tmp, env=env,
                                      stdout=open(tmp / "worker.log", "w"), stderr=subprocess.STDOUT))
        conf = _nginx_conf(tmp)
        check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        procs.append(subprocess.Popen([NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        tls = ssl.create_default_context(cafile=str(tmp / "tls" / "fullchain.pem"))
        direct = Browser(APP_PORT, tls=None, source="127.0.0.1")
        _wait(lambda: direct.request("GET", "/healthz")[0] == 200, "gunicorn")
        _wait(lambda: Browser(HTTPS_PORT, tls=tls, source=CLIENT_ADDR).request("GET", "/healthz")[0] == 200, "nginx")
    except BaseException as exc:
        _BROKEN.append(repr(exc)[:300])
        raise
    else:
        yield {"tmp": tmp, "tls": tls, "owner_url": owner_url, "village": seeded[0], "report": seeded[1],
               "task": seeded[2], "direct": direct}
    finally:
        for p in reversed(procs):  # quick shutdown: gunicorn and the worker on SIGINT, nginx on SIGTERM
            p.send_signal(signal.SIGINT if p.args[0] == sys.executable else signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def _owner_query(stack, sql: str, params=()) -> list:
    with psycopg.connect(stack["owner_url"]) as conn:
        return conn.execute(sql, params).fetchall()


def _browser(stack) -> Browser:
    return Browser(HTTPS_PORT, tls=stack["tls"], source=CLIENT_ADDR)


def test_plain_http_is_sent_to_https(stack):
    status, headers, _ = Browser(HTTP_PORT, tls=None, source=CLIENT_ADDR).request("GET", "/login/")
    assert status == 301 and headers["location"] == "https://127.0.0.1/login/"


def test_login_over_https_through_the_proxy(stack):
    # given the login form, fetched over TLS through nginx
    b = _browser(stack)
    fields = b.form_fields("/login/")
    # when she logs in (the CSRF token, cookie and Referer checked as in production)
    status, headers, _ = b.request("POST", "/login/", form={**fields, "username": "stack_admin",
                                                            "password": "Stack-test-2026!"})
    # then she is in, with a secure session cookie and a request id answered back
    assert status == 302 and headers["location"] == "/", headers
    assert "sessionid" in b.cookies and headers["x-request-id"]
    status, _, page = b.request("GET", "/")
    assert status == 200 and "娘家 Niangjia" in page.decode()


def test_a_form_post_sees_the_client_address_the_trusted_proxy_forwarded(stack):
    # given a woman's browser behind nginx that also sends a forged X-Forwarded-For
    b = _browser(stack)
    path = f"/p/needs/v/{stack['village']}/"
    fields = b.form_fields(path)
    forged = {"X-Forwarded-For": "203.0.113.9"}
    # when she posts the public need form
    status, headers, body = b.request("POST", path, headers=forged, form={
        **fields, "category": "employment", "urgency": "normal", "description": "想学电商技能（stack test 1）"})
    # then CSRF passed, and the audit row and the rate counter hold her address, not the forged one
    assert status == 302, body[:500]
    ips = _owner_query(stack, "SELECT ip FROM core_auditentry WHERE action = 'need.submit_public'")
    assert ips == [(CLIENT_ADDR,)]
    buckets = _owner_query(stack, "SELECT bucket FROM core_ratecounter WHERE bucket LIKE 'needs.public:%%'")
    assert buckets == [(f"needs.public:{CLIENT_ADDR}",)]


def test_an_x_forwarded_for_sent_by_anyone_else_is_ignored(stack):
    # given someone on the machine who talks to gunicorn directly and claims to be 198.51.100.7
    direct = stack["direct"]
    path = f"/p/needs/v/{stack['village']}/"
    fields = direct.form_fields(path)
    # when she posts the same form
    status, _, body = direct.request("POST", path, headers={"X-Forwarded-For": "198.51.100.7"}, form={
        **fields, "category": "employment", "urgency": "normal", "description": "直接访问（stack test 2）"})
    # then she is counted and audited as herself
    assert status == 302, body[:500]
    ips = _owner_query(stack, "SELECT ip FROM core_auditentry WHERE action = 'need.submit_public' ORDER BY id")
    assert ips[-1] == ("127.0.0.1",)
    assert ("needs.public:127.0.0.1",) in _owner_query(stack, "SELECT bucket FROM core_ratecounter")
    assert not _owner_query(stack, "SELECT bucket FROM core_ratecounter WHERE bucket LIKE '%%198.51.100.7%%'")


def test_static_files_are_served_compressed_and_cached_by_nginx(stack):
    b = _browser(stack)
    _, _, page = b.request("GET", "/login/")
    css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page.decode()).group(1)
    status, headers, body = b.request("GET", css, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"] and "max-age=31536000" in headers["cache-control"]
    assert gzip.decompress(body).startswith(b"@charset") or b"bootstrap" in gzip.decompress(body)[:400].lower()


def test_an_upload_is_sent_by_nginx_after_the_permission_check(stack):
    b = _browser(stack)
    path = f"/fieldwork/reports/{stack['report']}/file/"
    # given nobody logged in, the view refuses and nginx sends nothing
    status, _, body = b.request("GET", path)
    assert status == 302 and PDF not in body
    # when the administrator asks for it
    fields = b.form_fields("/login/")
    b.request("POST", "/login/", form={**fields, "username": "stack_admin", "password": "Stack-test-2026!"})
    status, headers, body = b.request("GET", path)
    # then nginx sends the file itself (the view only said where), as the view described it
    assert status == 200 and body == PDF
    assert headers["content-type"] == "application/pdf" and headers["x-content-type-options"] == "nosniff"
    assert headers["content-disposition"].startswith("inline;") and "x-accel-redirect" not in headers
    # and the internal location cannot be reached from outside
    stored = _owner_query(stack, "SELECT file FROM fieldwork_researchreport WHERE id = %s", [stack["report"]])[0][0]
    assert b.request("GET", "/_uploads/" + urllib.parse.quote(stored))[0] == 404
    assert b.request("GET", "/media/" + urllib.parse.quote(stored))[0] == 404


def test_api_docs_render_from_local_assets(stack):
    b = _browser(stack)
    status, headers, page = b.request("GET", "/api/docs")
    assert status == 200
    html = page.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert b.request("GET", asset)[0] == 200, asset
    assert "'self'" in headers["content-security-policy"] and "cdn" not in headers["content-security-policy"]


def test_the_worker_runs_enqueued_tasks(stack):
    # the seed enqueued an import job for a job that does not exist: the worker takes it and records the failure
    def finished():
        rows = _owner_query(stack, "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s",
                            [stack["task"]])
        return rows and rows[0][0] in ("SUCCESSFUL", "FAILED")
    _wait(finished, "the task worker", seconds=60)


def test_readyz_is_ok_through_the_proxy(stack):
    # the worker's first heartbeat is written as it starts; readiness names the running version
    def ready():
        return _browser(stack).request("GET", "/readyz")[0] == 200
    _wait(ready, "/readyz", seconds=30)
    status, _, body = _browser(stack).request("GET", "/readyz")
    answer = json.loads(body)
    assert status == 200 and answer["status"] == "ok" and answer["version"] == version()


def test_no_log_line_holds_the_phone_or_id_number_of_a_search(stack):
    # given an administrator who searches the people register by phone and by ID number
    b = _browser(stack)
    fields = b.form_fields("/login/")
    b.request("POST", "/login/", form={**fields, "username": "stack_admin", "password": "Stack-test-2026!"})
    phone, id_number = "13912345678", "330523199001011234"
    # when the searches pass through nginx and gunicorn in a URL (the page posts them; a URL holding a
    # number is refused with 400, but its request line still passes both logs)
    status, headers, _ = b.request("GET", f"/people/?q={phone}")
    status_2, _, _ = b.request("GET", f"/people/?id_number={id_number}&q={id_number}")
    assert status == 400 and status_2 == 400
    # then nginx's access line holds the path and the request id, and neither log holds the numbers
    access = (stack["tmp"] / "nginx" / "niangjia.access.log").read_text()
    app = (stack["tmp"] / "gunicorn.log").read_text()
    assert '"GET /people/ ' in access and f"rid={headers['x-request-id']}" in access
    assert headers["x-request-id"] in app
    for log in (access, app):
        assert phone not in log and id_number not in log
