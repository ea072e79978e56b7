"""One settings module, driven by environment variables; SQLite by default so a checkout just runs."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


DEBUG = envbool("NIANGJIA_DEBUG", True)


def envsecret(name: str, dev_default: str) -> str:
    """A secret from the environment; outside debug a missing secret is refused."""
    value = os.environ.get(name)
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when NIANGJIA_DEBUG is off")


SECRET_KEY = envsecret("NIANGJIA_SECRET_KEY", "dev-only-insecure-secret-key-for-niangjia-0123456789")
# Comma-separated Fernet keys, newest first; older keys still decrypt until rotated out.
FIELD_ENCRYPTION_KEYS = envsecret(
    "NIANGJIA_FIELD_KEYS", "Ulf9Q0ZgCKAnVxM1Yc5Kx0f8Lw0TOz5F0d8b9RkzX3E="
).split(",")
BLIND_INDEX_KEY = envsecret("NIANGJIA_BLIND_INDEX_KEY", "dev-only-blind-index-key")

ALLOWED_HOSTS = [h for h in os.environ.get("NIANGJIA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("NIANGJIA_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "niangjia.core",
    "niangjia.org",
    "niangjia.people",
    "niangjia.accounts",
    "niangjia.stats",
    "niangjia.duties",
    "niangjia.fieldwork",
    "niangjia.contacts",
    "niangjia.needs",
    "niangjia.cases",
    "niangjia.participation",
    "niangjia.awards",
    "niangjia.selection",
    "niangjia.wechat",
    "niangjia.reform",
    "niangjia.reports",
    "niangjia.demo",  # only `niangjia demo` (no models): the command sits above every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "niangjia.core.middleware.RequestContextMiddleware",
    "niangjia.core.replica.StickyPrimaryMiddleware",  # read-your-writes when a replica is configured
    "niangjia.core.http_errors.ApiErrorsMiddleware",  # /api/ answers every error as JSON
    "niangjia.accounts.middleware.ForcePasswordChangeMiddleware",
    "niangjia.core.middleware.NoStoreMiddleware",
    "niangjia.core.input_guard.InputGuardMiddleware",  # NUL, control characters, ids and years out of range: 400
]

ROOT_URLCONF = "niangjia.urls"
WSGI_APPLICATION = "niangjia.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["niangjia.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "niangjia" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "niangjia.accounts.context.nav",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'niangjia.sqlite3'}",
        conn_max_age=envint("NIANGJIA_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("NIANGJIA_SQLITE_TEST_NAME") or None}
else:
    # PostgreSQL prepares a statement only when the code asks (core.together.prepared_cursor: intake's writes and the
    # rate counts, the same text thousands of times, parsed and planned once per connection). Django's
    # psycopg default (None) would refuse even that; the ORM's own cursors bind on the client and never
    # prepare, and no statement reaches this count by repetition. Behind a transaction-pooling pgbouncer:
    # 1.21 or newer with max_prepared_statements (docs/operations.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)

# A PostgreSQL streaming replica for dashboards, lists and exports (niangjia/core/replica.py,
# docs/operations.md "Read replica"): read-your-writes for NIANGJIA_REPLICA_STICKY_SECONDS after a
# user's write, and the primary whenever the replica is down or more than
# NIANGJIA_REPLICA_MAX_LAG_SECONDS behind (checked at most every NIANGJIA_REPLICA_CHECK_SECONDS).
REPLICA_STICKY_SECONDS = envint("NIANGJIA_REPLICA_STICKY_SECONDS", 15)
REPLICA_MAX_LAG_SECONDS = envint("NIANGJIA_REPLICA_MAX_LAG_SECONDS", 10)
REPLICA_CHECK_SECONDS = envint("NIANGJIA_REPLICA_CHECK_SECONDS", 5)
if os.environ.get("NIANGJIA_REPLICA_URL"):
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("NIANGJIA_REPLICA_URL needs a PostgreSQL DATABASE_URL")
    DATABASES["replica"] = dj_database_url.parse(os.environ["NIANGJIA_REPLICA_URL"],
                                                 conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    # read-only sessions even if the URL pointed at a writable server; a dead replica fails fast
    DATABASES["replica"].setdefault("OPTIONS", {}).update(
        {"options": "-c default_transaction_read_only=on", "connect_timeout": 3})
    # tests: never create or flush a test database there (it replicates the primary's)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["niangjia.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password policy: configurable length and character classes, common passwords refused.
PASSWORD_MIN_LENGTH = envint("NIANGJIA_PASSWORD_MIN_LENGTH", 10)
PASSWORD_MIN_CLASSES = envint("NIANGJIA_PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "niangjia.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "niangjia.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
]
LOGIN_MAX_FAILURES = envint("NIANGJIA_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = envint("NIANGJIA_LOGIN_LOCK_MINUTES", 30)

# Idle sessions expire: the cookie age restarts on every request.
SESSION_COOKIE_AGE = envint("NIANGJIA_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("NIANGJIA_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
API_TOKEN_TTL_HOURS = envint("NIANGJIA_API_TOKEN_TTL_HOURS", 12)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "niangjia" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "niangjia" / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / "var" / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "NIANGJIA_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Every asset is served locally; nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NIANGJIA_LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------- go live: proxies, TLS, media, static (h10a)
# Every value here comes from the environment and is checked; docs/operations.md and
# docs/security.md give the production values (`manage.py check --deploy` is clean with them).


def envlist(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks dropped."""
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def trusted_networks(entries: list[str], name: str = "NIANGJIA_TRUSTED_PROXIES") -> list:
    """IP addresses/CIDRs of the reverse proxies; a setting that trusts everyone is refused."""
    networks = []
    for entry in entries:
        if entry == "*":
            raise ImproperlyConfigured(f"{name}: '*' would trust every client")
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {entry!r} is not an IP address or CIDR") from exc
        if network.prefixlen == 0:
            raise ImproperlyConfigured(f"{name}: {entry!r} would trust every client")
        networks.append(network)
    return networks


# The proxies whose X-Forwarded-For is believed (core.context.client_ip); empty: none.
TRUSTED_PROXIES = envlist("NIANGJIA_TRUSTED_PROXIES")
TRUSTED_PROXY_NETWORKS = trusted_networks(TRUSTED_PROXIES)
if TRUSTED_PROXIES:
    # TLS ends at the proxy, which says so in X-Forwarded-Proto (nginx: proxy_set_header).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = envlist("NIANGJIA_CSRF_TRUSTED_ORIGINS") or CSRF_TRUSTED_ORIGINS
SECURE_SSL_REDIRECT = envbool("NIANGJIA_SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes speak plain HTTP on loopback
SECURE_HSTS_SECONDS = envint("NIANGJIA_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("NIANGJIA_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("NIANGJIA_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; Django's default
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Uploads live outside the code (a pip install puts BASE_DIR inside site-packages).
MEDIA_ROOT = Path(os.environ.get("NIANGJIA_MEDIA_ROOT") or MEDIA_ROOT)
STATIC_ROOT = Path(os.environ.get("NIANGJIA_STATIC_ROOT") or STATIC_ROOT)

# Static files: compressed (gzip, Brotli when installed) with hashed names and far-future caching
# outside debug; `collectstatic` makes them. Debug and tests keep plain storage (no manifest needed).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("NIANGJIA_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# /api/docs renders Swagger UI from django-ninja's own static files (not its CDN template).
INSTALLED_APPS += ["ninja"]

# ---------------------------------------------------------------- go live: login throttle (h10a)
# Failed logins per client address (core.context.client_ip) before it gets 429, e.g. "20/h".
LOGIN_ADDRESS_RATE = os.environ.get("NIANGJIA_LOGIN_ADDRESS_RATE", "20/h")

# ---------------------------------------------------------------- go live: logs, health, metrics (h10a)
# JSON lines on stdout (core.requestlog): one per request, errors with their traceback; phones,
# ID numbers and sensitive query parameters are scrubbed from every line. docs/observability.md.
MIDDLEWARE = ["niangjia.core.requestlog.RequestLogMiddleware", *MIDDLEWARE]
SLOW_REQUEST_MS = envint("NIANGJIA_SLOW_REQUEST_MS", 1000)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "niangjia.core.requestlog.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("NIANGJIA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "niangjia.request": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}
# /readyz: the task worker's heartbeat must be this fresh, the backlog of ready tasks this small.
WORKER_HEARTBEAT_MAX_AGE = envint("NIANGJIA_WORKER_HEARTBEAT_MAX_AGE", 120)
TASK_BACKLOG_MAX = envint("NIANGJIA_TASK_BACKLOG_MAX", 1000)
# /metrics (Prometheus) answers only a bearer token or these addresses; neither set: 404.
METRICS_TOKEN = os.environ.get("NIANGJIA_METRICS_TOKEN", "")
METRICS_ALLOWED = trusted_networks(envlist("NIANGJIA_METRICS_ALLOWED"), "NIANGJIA_METRICS_ALLOWED")
# Optional error reporting to a Sentry server on the intranet (needs `pip install niangjia[sentry]`).
SENTRY_DSN = os.environ.get("NIANGJIA_SENTRY_DSN", "")

# ---------------------------------------------------------------- go live: production guards (h10a)
# Production as configured (NIANGJIA_DEBUG=false); unlike DEBUG, the test runner leaves it alone.
PRODUCTION = not DEBUG

# ---------------------------------------------------------------- go live: operations (h10b)
# Behind nginx, uploads are sent by nginx from an `internal` location (deploy/nginx/niangjia.conf)
# after the permission-checked view answers with X-Accel-Redirect; empty: Django streams them.
X_ACCEL_REDIRECT = os.environ.get("NIANGJIA_X_ACCEL_REDIRECT", "")
if X_ACCEL_REDIRECT and not X_ACCEL_REDIRECT.startswith("/"):
    raise ImproperlyConfigured(f"NIANGJIA_X_ACCEL_REDIRECT must be a path such as /_uploads/, got {X_ACCEL_REDIRECT!r}")
# `niangjia backup` encrypts with this secret when set (at least 32 characters; docs/operations.md).
BACKUP_KEY = os.environ.get("NIANGJIA_BACKUP_KEY", "")

# ---------------------------------------------------------------- go live: retention (h10a)
# `niangjia purge` (core.retention). Audit rows are never purged; the two floors come from the law.
AUDIT_RETENTION_DAYS = envint("NIANGJIA_AUDIT_RETENTION_DAYS", 3 * 365)
ACCESS_LOG_RETENTION_DAYS = envint("NIANGJIA_ACCESS_LOG_RETENTION_DAYS", 183)
if AUDIT_RETENTION_DAYS < 3 * 365:
    raise ImproperlyConfigured("NIANGJIA_AUDIT_RETENTION_DAYS must be at least 1095 (3 years, the legal floor)")
if ACCESS_LOG_RETENTION_DAYS < 183:
    raise ImproperlyConfigured("NIANGJIA_ACCESS_LOG_RETENTION_DAYS must be at least 183 (6 months, the legal floor)")
NOTIFICATION_RETENTION_DAYS = envint("NIANGJIA_NOTIFICATION_RETENTION_DAYS", 90)
IDEMPOTENCY_KEY_DAYS = envint("NIANGJIA_IDEMPOTENCY_KEY_DAYS", 30)

# Issue 15: `make run` (DEBUG on) shows the product's own 404 and 500 pages; a developer who wants
# Django's debug pages sets NIANGJIA_DEBUG_PAGES=1.
DEBUG_PAGES = envbool("NIANGJIA_DEBUG_PAGES", False)
MIDDLEWARE.append("niangjia.core.middleware.ProductErrorPagesMiddleware")

# Boundary files for the figures' maps: one <division code>.geojson per parent unit, supplied by the
# deployment (official maps need an approved drawing, 审图号); without one the page draws a schematic.
BOUNDARIES_DIR = os.environ.get("NIANGJIA_BOUNDARIES_DIR", "")
# ---------------------------------------------------------------- issue 16: who the caller is, cached (h16a)
# core.callers keeps a caller's user, reach and home unit here, invalidated on any change to her account,
# roles, scopes or the tree. Every web process must share it: a directory on this machine by default
# outside debug (NIANGJIA_CACHE_DIR), the process's memory in debug and tests ("locmem"). Several machines
# need a cache they all reach (e.g. NIANGJIA_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache
# with NIANGJIA_CACHE_LOCATION=redis://…, after `pip install redis`).
# beside the uploads (a directory the application may write, also after a pip install)
CACHE_DIR = os.environ.get("NIANGJIA_CACHE_DIR", "" if DEBUG else str(Path(MEDIA_ROOT).parent / "cache"))
_cache_backend = os.environ.get("NIANGJIA_CACHE_BACKEND", "")
if _cache_backend:
    _cache = {"BACKEND": _cache_backend, "LOCATION": os.environ.get("NIANGJIA_CACHE_LOCATION", "")}
elif CACHE_DIR and CACHE_DIR != "locmem":
    _cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": CACHE_DIR,
              "OPTIONS": {"MAX_ENTRIES": envint("NIANGJIA_CACHE_MAX_ENTRIES", 20_000)}}
else:
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}
# Two deployments (or the benchmark database) on one machine never read each other's entries.
_cache["KEY_PREFIX"] = "nj-" + __import__("hashlib").sha256(
    f"{DATABASES['default'].get('HOST')}:{DATABASES['default'].get('PORT')}/{DATABASES['default']['NAME']}"
    .encode()).hexdigest()[:12]
CACHES = {"default": _cache}
CALLER_CACHE_SECONDS = envint("NIANGJIA_CALLER_CACHE_SECONDS", 300)
# The intake floor of `niangjia bench` (a bare endpoint making one durable INSERT): never on in production.
BENCH_FLOOR = envbool("NIANGJIA_BENCH_FLOOR", False)
